"""The real models, from the pinned Hugging Face revisions (pins.py), and the files copied as they
are (tokenizer, scheduler config). Downloads go to the Hugging Face cache (HF_HOME); nothing is
fetched at run time of the service.
"""

from __future__ import annotations

from pathlib import Path

import torch

from .hashing import sha256_file
from .pins import (
    ACTION_CLASSIFIER_HIDDEN,
    ACTION_CLASSIFIER_SHA256,
    INSTRUCT_PIX2PIX,
    MAGICBRUSH,
    REQUIRED_TOKENIZER_FILES,
    SAM_VIT_HUGE,
    SCHEDULER_CONFIG,
    TOKENIZER_FILES,
    HubSource,
)
from .wrappers import ActionClassifier


def resolve_commit(source: HubSource) -> str:
    """The commit a revision names on the Hub (a pinned commit resolves to itself)."""
    from huggingface_hub import HfApi

    sha = HfApi().model_info(source.repo, revision=source.revision).sha
    if not sha:
        raise RuntimeError(f"the Hub returned no commit for {source.repo}@{source.revision}")
    return sha


def text_encoder(source: HubSource = INSTRUCT_PIX2PIX):
    from transformers import CLIPTextModel

    return CLIPTextModel.from_pretrained(
        source.repo,
        subfolder="text_encoder",
        revision=source.revision,
        torch_dtype=torch.float32,
        attn_implementation="eager",
    ).eval()


def vae(source: HubSource = INSTRUCT_PIX2PIX):
    from diffusers import AutoencoderKL

    return AutoencoderKL.from_pretrained(
        source.repo, subfolder="vae", revision=source.revision, torch_dtype=torch.float32
    ).eval()


def unet(source: HubSource):
    from diffusers import UNet2DConditionModel

    return UNet2DConditionModel.from_pretrained(
        source.repo, subfolder="unet", revision=source.revision, torch_dtype=torch.float32
    ).eval()


def ip2p_unet(source: HubSource = INSTRUCT_PIX2PIX):
    return unet(source)


def magicbrush_unet(source: HubSource = MAGICBRUSH):
    return unet(source)


def sam(source: HubSource = SAM_VIT_HUGE):
    from transformers import SamModel

    return SamModel.from_pretrained(source.repo, revision=source.revision, torch_dtype=torch.float32).eval()


def action_classifier(path: str | Path, text_hidden: int, check_release_hash: bool = True) -> ActionClassifier:
    """The authors' MLP from its state dict (fc1.weight (128, 768), fc1.bias, fc2.weight (3, 128),
    fc2.bias); the release file's sha256 is checked unless told otherwise (own retrained weights)."""
    if check_release_hash:
        digest = sha256_file(path)
        if digest != ACTION_CLASSIFIER_SHA256:
            raise ValueError(
                f"{path}: sha256 {digest} is not the release checkpoint's {ACTION_CLASSIFIER_SHA256} "
                "(pass --any-action-classifier to export other weights)"
            )
    state = torch.load(path, map_location="cpu", weights_only=True)
    model = ActionClassifier(text_hidden, ACTION_CLASSIFIER_HIDDEN)
    model.load_state_dict(state, strict=True)
    return model.eval()


def download(source: HubSource, filename: str) -> Path:
    from huggingface_hub import hf_hub_download

    return Path(hf_hub_download(source.repo, filename, revision=source.revision))


def tokenizer_files(source: HubSource = INSTRUCT_PIX2PIX) -> dict[str, Path]:
    """name -> local path of the tokenizer files the repository has (vocab.json, merges.txt required)."""
    from huggingface_hub.utils import EntryNotFoundError

    files: dict[str, Path] = {}
    for name in TOKENIZER_FILES:
        try:
            files[name] = download(source, f"tokenizer/{name}")
        except EntryNotFoundError:
            if name in REQUIRED_TOKENIZER_FILES:
                raise
    return files


def scheduler_config(source: HubSource = INSTRUCT_PIX2PIX) -> Path:
    return download(source, SCHEDULER_CONFIG)
