"""The torch module of each role, real (pinned Hub revisions) or tiny random, with the base models
shared between roles loaded once and released after their last role (a real UNet is 3.4 GB).
"""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

import torch

from . import full_size, tiny
from . import sources as real
from .contract import ModelDims, RoleSpec, role_spec
from .pins import ROLE_SOURCES, HubSource
from .wrappers import SamDecoder, SamDecoderWithStatistics, SamEncoder, TextEncoder, Unet, VaeDecoder, VaeEncoder

# Roles in export order, and the base model each one wraps.
EXPORT_ORDER = (
    "textEncoder",
    "actionClassifier",
    "vaeEncoder",
    "vaeDecoder",
    "ip2pUnet",
    "magicBrushUnet",
    "samEncoder",
    "samDecoder",
)
BASE = {
    "textEncoder": "textEncoder",
    "actionClassifier": "actionClassifier",
    "vaeEncoder": "vae",
    "vaeDecoder": "vae",
    "ip2pUnet": "ip2pUnet",
    "magicBrushUnet": "magicBrushUnet",
    "samEncoder": "sam",
    "samDecoder": "sam",
}


def fingerprint(module: torch.nn.Module) -> str:
    """sha256 of every parameter and buffer (name, dtype, shape, bytes), in name order."""
    digest = hashlib.sha256()
    for name, tensor in sorted(module.state_dict().items()):
        data = tensor.detach().cpu().contiguous()
        digest.update(f"{name}|{data.dtype}|{tuple(data.shape)}|".encode())
        digest.update(data.numpy().tobytes() if data.dtype != torch.bfloat16 else data.float().numpy().tobytes())
    return digest.hexdigest()


class ModelFactory:
    def __init__(
        self,
        *,
        tiny_random: bool,
        dims: ModelDims,
        full_size_random: bool = False,
        sources: dict[str, HubSource] | None = None,
        action_classifier: Path | None = None,
        check_action_classifier_hash: bool = True,
        sam_statistics: bool = True,
    ) -> None:
        if tiny_random and full_size_random:
            raise ValueError("tiny or full-size random models, not both")
        self.tiny_random = tiny_random
        self.full_size_random = full_size_random  # the published sizes with random weights
        self.dims = dims
        self.sam_statistics = sam_statistics  # the samDecoder's optional mask statistics pair
        self.sources = sources or {}
        self.action_classifier_path = action_classifier
        self.check_action_classifier_hash = check_action_classifier_hash
        self._bases: dict[str, torch.nn.Module] = {}

    def roles(self) -> list[str]:
        """The roles this factory can build (the classifier only from a checkpoint or tiny)."""
        has_classifier = self.random_weights or self.action_classifier_path is not None
        return [r for r in EXPORT_ORDER if r != "actionClassifier" or has_classifier]

    @property
    def random_weights(self) -> bool:
        return self.tiny_random or self.full_size_random

    def _source(self, role: str) -> HubSource:
        repo, _ = ROLE_SOURCES[role]
        return self.sources[repo]

    def _load_base(self, role: str) -> torch.nn.Module:
        base = BASE[role]
        if self.random_weights:
            sizes = full_size if self.full_size_random else tiny
            builders = {
                "textEncoder": sizes.text_encoder,
                "actionClassifier": sizes.action_classifier,
                "vae": sizes.vae,
                "ip2pUnet": lambda: sizes.unet("ip2pUnet"),
                "magicBrushUnet": lambda: sizes.unet("magicBrushUnet"),
                "sam": sizes.sam,
            }
            return builders[base]()
        if base == "actionClassifier":
            if self.action_classifier_path is None:
                raise ValueError("no action classifier checkpoint given")
            return real.action_classifier(
                self.action_classifier_path, self.dims.text_hidden, self.check_action_classifier_hash
            )
        loaders = {
            "textEncoder": real.text_encoder,
            "vae": real.vae,
            "ip2pUnet": real.unet,
            "magicBrushUnet": real.unet,
            "sam": real.sam,
        }
        return loaders[base](self._source(role))

    def base(self, role: str) -> torch.nn.Module:
        key = BASE[role]
        if key not in self._bases:
            self._bases[key] = self._load_base(role)
        return self._bases[key]

    def spec(self, role: str) -> RoleSpec:
        """The contract of `role` as this factory's module implements it."""
        return role_spec(role, self.dims, self.sam_statistics)

    def module(self, role: str) -> torch.nn.Module:
        """The role's export wrapper (a UNet wrapper installs its attention processors)."""
        base = self.base(role)
        if role == "textEncoder":
            return TextEncoder(base)
        if role == "actionClassifier":
            return base
        if role == "vaeEncoder":
            return VaeEncoder(base)
        if role == "vaeDecoder":
            return VaeDecoder(base)
        if role == "ip2pUnet":
            return Unet(base, attention_factor=self.dims.attention_latent_factor)
        if role == "magicBrushUnet":
            return Unet(base)
        if role == "samEncoder":
            return SamEncoder(base)
        if role == "samDecoder":
            return SamDecoderWithStatistics(base, self.dims.sam_image_size) if self.sam_statistics else SamDecoder(base)
        raise KeyError(role)

    def scaling_factor(self) -> float:
        return float(self.base("vaeEncoder").config.scaling_factor)

    def describe(self, role: str) -> str:
        if self.random_weights:
            size = "full-size" if self.full_size_random else "tiny"
            return f"{size} random {BASE[role]} (seed {tiny.SEEDS[BASE[role]]})"
        if role == "actionClassifier":
            return f"action classifier {self.action_classifier_path}"
        repo, subfolder = ROLE_SOURCES[role]
        source = self._source(role)
        return f"{repo}@{source.revision}" + (f"/{subfolder}" if subfolder else "")

    def release(self, role: str, remaining: list[str]) -> None:
        """Drops `role`'s base model when no role in `remaining` needs it."""
        key = BASE[role]
        if key in self._bases and all(BASE[r] != key for r in remaining):
            del self._bases[key]
            gc.collect()
