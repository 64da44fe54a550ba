"""The bundle contract per role: tensor names, dtypes and shapes with symbolic dimensions.

This is what the runtime trusts (shared/src/model-manifest.ts for the manifest layout; the tensors
as the fixture bundle in gpu-function/src/fixtures/fixture-models.ts defines them and the pipeline
in gpu-function/src/pipeline/ calls them). Every exported ONNX file is stamped with exactly these
inputs and outputs, and the manifest is written from what the file then declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .dims_expr import Dim, parse_dim

ROLES = (
    "textEncoder",
    "vaeEncoder",
    "vaeDecoder",
    "ip2pUnet",
    "magicBrushUnet",
    "samEncoder",
    "samDecoder",
    "actionClassifier",
)
OPTIONAL_ROLES = ("actionClassifier",)

# Roles converted to float16 by --fp16 (issue: the UNets, the VAE and the SAM image encoder). Their
# inputs and outputs stay float32 (the runtime converts at the boundary either way).
FP16_ROLES = ("vaeEncoder", "vaeDecoder", "ip2pUnet", "magicBrushUnet", "samEncoder")

# Roles that get TensorRT EPContext engines from build_engines.py.
ENGINE_ROLES = ("vaeEncoder", "vaeDecoder", "ip2pUnet", "magicBrushUnet", "samEncoder")

TEXT_TOKENS = 77
ATTENTION_OUTPUT = "attention_probs"
DTYPES = ("float32", "float16", "int32", "int64")

# Segment Anything's mask statistics (README, "Mask statistics"): an optional input/output pair of
# the samDecoder, both or neither. The exporter adds it by default; the CPU fixture bundle has none.
SAM_FRAME_INPUT = "image_frame"  # int64 [4]: input_height, input_width, image_height, image_width
SAM_STATS_OUTPUT = "mask_stats"  # int32 [1, points, masks, 7]: MASK_STATS_FIELDS per mask
# Pixels with logit > 1, > 0, > -1 (stability score = intersection / union, area = the mask), then
# the inclusive bounding box of the mask (x = column, y = row), all zero for an empty mask.
MASK_STATS_FIELDS = ("intersection", "area", "union", "x0", "y0", "x1", "y1")
MASK_THRESHOLD = 0.0  # segment-anything's Sam.mask_threshold
STABILITY_OFFSET = 1.0  # the automatic mask generator's stability_score_offset (release default)


@dataclass(frozen=True)
class TensorSpec:
    name: str
    dtype: str
    shape: tuple[Dim, ...]

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"{self.name}: dtype {self.dtype!r} is not one of {DTYPES}")
        for d in self.shape:
            if isinstance(d, str):
                parse_dim(d)
            elif not isinstance(d, int) or d < 0:
                raise ValueError(f"{self.name}: bad dimension {d!r}")

    def to_json(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "shape": list(self.shape)}


@dataclass(frozen=True)
class RoleSpec:
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]

    def tensors(self) -> tuple[TensorSpec, ...]:
        return self.inputs + self.outputs


@dataclass(frozen=True)
class ModelDims:
    """Sizes that differ between the real models and the tiny random ones."""

    text_hidden: int = 768  # CLIP ViT-L/14 text width
    latent_channels: int = 4
    latent_downsample: int = 8  # VAE: pixels per latent cell
    attention_stride: int = 32  # method section 3: attention maps at 1/32 of the image
    sam_image_size: int = 1024
    sam_embed_channels: int = 256
    sam_embed_size: int = 64
    sam_masks: int = 3
    sam_low_res: int = 256
    classes: int = 3  # change, add, remove

    @property
    def attention_latent_factor(self) -> int:
        """Latent cells per attention cell (32 / 8 = 4)."""
        if self.attention_stride % self.latent_downsample != 0:
            raise ValueError("the attention stride must be a multiple of the latent downsampling")
        return self.attention_stride // self.latent_downsample


# The tiny random models' sizes, which are also the fixture bundle's (gpu-function/src/fixtures/):
# everything as in the real models but a 32-wide text encoder.
TINY_DIMS = ModelDims(text_hidden=32)


def _f32(name: str, *shape: Dim) -> TensorSpec:
    return TensorSpec(name, "float32", tuple(shape))


def sam_image_frame(image_height: int, image_width: int, model_size: int) -> tuple[int, int, int, int]:
    """The samDecoder's image_frame for an image of that size: the extent of the resized image in
    the padded square model input (segment-anything's ResizeLongestSide.get_preprocess_shape: the
    long side becomes `model_size`, the other side is rounded half up), then the image size."""
    scale = model_size / max(image_height, image_width)
    return int(image_height * scale + 0.5), int(image_width * scale + 0.5), image_height, image_width


def role_spec(role: str, dims: ModelDims = ModelDims(), sam_statistics: bool = True) -> RoleSpec:
    """The inputs and outputs of `role`, in declaration order; `sam_statistics` adds the samDecoder's
    optional image_frame input and mask_stats output (other roles ignore it)."""
    c = dims.latent_channels
    k = dims.attention_latent_factor
    d = dims.latent_downsample
    if role == "textEncoder":
        return RoleSpec(
            (TensorSpec("input_ids", "int32", ("batch", TEXT_TOKENS)),),
            (
                _f32("last_hidden_state", "batch", TEXT_TOKENS, dims.text_hidden),
                _f32("pooler_output", "batch", dims.text_hidden),
            ),
        )
    if role == "vaeEncoder":
        # The distribution's mean, not multiplied by the scaling factor (method section 2).
        return RoleSpec(
            (_f32("sample", "batch", 3, "height", "width"),),
            (_f32("latent", "batch", c, f"height/{d}", f"width/{d}"),),
        )
    if role == "vaeDecoder":
        return RoleSpec(
            (_f32("latent_sample", "batch", c, "latent_height", "latent_width"),),
            (_f32("sample", "batch", 3, f"{d}*latent_height", f"{d}*latent_width"),),
        )
    if role in ("ip2pUnet", "magicBrushUnet"):
        inputs = (
            _f32("sample", "batch", 2 * c, "latent_height", "latent_width"),
            _f32("timestep", "batch"),
            _f32("encoder_hidden_states", "batch", TEXT_TOKENS, dims.text_hidden),
        )
        outputs = (_f32("out_sample", "batch", c, "latent_height", "latent_width"),)
        if role == "ip2pUnet":
            outputs += (
                _f32(ATTENTION_OUTPUT, "batch", TEXT_TOKENS, f"latent_height/{k}", f"latent_width/{k}"),
            )
        return RoleSpec(inputs, outputs)
    if role == "samEncoder":
        s = dims.sam_image_size
        e = dims.sam_embed_size
        return RoleSpec(
            (_f32("pixel_values", "batch", 3, s, s),),
            (_f32("image_embeddings", "batch", dims.sam_embed_channels, e, e),),
        )
    if role == "samDecoder":
        e = dims.sam_embed_size
        m = dims.sam_masks
        r = dims.sam_low_res
        inputs = (
            _f32("image_embeddings", 1, dims.sam_embed_channels, e, e),
            _f32("point_coords", 1, "points", 1, 2),
            TensorSpec("point_labels", "int64", (1, "points", 1)),
        )
        outputs = (_f32("low_res_masks", 1, "points", m, r, r), _f32("iou_scores", 1, "points", m))
        if sam_statistics:
            inputs += (TensorSpec(SAM_FRAME_INPUT, "int64", (4,)),)
            outputs += (TensorSpec(SAM_STATS_OUTPUT, "int32", (1, "points", m, len(MASK_STATS_FIELDS))),)
        return RoleSpec(inputs, outputs)
    if role == "actionClassifier":
        return RoleSpec(
            (_f32("text_embeds", "batch", dims.text_hidden),),
            (_f32("logits", "batch", dims.classes),),
        )
    raise KeyError(f"unknown role {role!r}")


def dynamic_axes(spec: RoleSpec) -> dict[str, dict[int, str]]:
    """torch.onnx.export's dynamic_axes: every symbolic dimension of every input and output."""
    axes: dict[str, dict[int, str]] = {}
    for tensor in spec.tensors():
        named = {i: d for i, d in enumerate(tensor.shape) if isinstance(d, str)}
        if named:
            axes[tensor.name] = named
    return axes


def spec_json(spec: RoleSpec) -> dict:
    """The manifest's inputs/outputs for a role."""
    return {
        "inputs": [t.to_json() for t in spec.inputs],
        "outputs": [t.to_json() for t in spec.outputs],
    }


def signature_differences(expected: Mapping, actual: Mapping) -> list[str]:
    """What differs between two {inputs, outputs} signatures (names, dtypes, shapes, order)."""
    problems: list[str] = []
    for kind in ("inputs", "outputs"):
        want = {t["name"]: t for t in expected[kind]}
        got = {t["name"]: t for t in actual[kind]}
        for name, w in want.items():
            g = got.get(name)
            if g is None:
                problems.append(f"{kind[:-1]} {name} is missing (has {', '.join(got) or 'none'})")
                continue
            if g["dtype"] != w["dtype"]:
                problems.append(f"{kind[:-1]} {name}: dtype {g['dtype']}, expected {w['dtype']}")
            if list(g["shape"]) != list(w["shape"]):
                problems.append(f"{kind[:-1]} {name}: shape {list(g['shape'])}, expected {list(w['shape'])}")
        for name in got:
            if name not in want:
                problems.append(f"{kind[:-1]} {name} is not expected")
        if not problems and [t["name"] for t in expected[kind]] != [t["name"] for t in actual[kind]]:
            problems.append(f"{kind} are in a different order")
    return problems


def _sam_statistics_present(signature: Mapping) -> list[str]:
    """Which halves of the statistics pair a signature has, each where it belongs."""
    inputs = {t["name"] for t in signature["inputs"]}
    outputs = {t["name"] for t in signature["outputs"]}
    return [name for name, names in ((SAM_FRAME_INPUT, inputs), (SAM_STATS_OUTPUT, outputs)) if name in names]


def has_sam_statistics(signature: Mapping) -> bool:
    """Whether an {inputs, outputs} signature has either half of the statistics pair."""
    return bool(_sam_statistics_present(signature))


def contract_differences(role: str, dims: ModelDims, signature: Mapping) -> list[str]:
    """signature_differences from the role's contract, where a samDecoder may have the statistics
    pair or not: it is held to the contract with the pair as soon as it has either half."""
    present = _sam_statistics_present(signature) if role == "samDecoder" else []
    problems = signature_differences(spec_json(role_spec(role, dims, bool(present))), signature)
    if len(present) == 1:
        (has,) = present
        lacks = SAM_STATS_OUTPUT if has == SAM_FRAME_INPUT else SAM_FRAME_INPUT
        problems.insert(0, f"{has} without {lacks}: the mask statistics need both or neither")
    return problems


def spec_from_json(entry: Mapping) -> RoleSpec:
    """A RoleSpec from a manifest entry's inputs and outputs."""

    def tensors(items) -> tuple[TensorSpec, ...]:
        return tuple(TensorSpec(t["name"], t["dtype"], tuple(t["shape"])) for t in items)

    return RoleSpec(tensors(entry["inputs"]), tensors(entry["outputs"]))
