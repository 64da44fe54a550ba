"""Concrete sizes and seeded random inputs per role, for tracing the export and for verification.

The trace sizes are deliberately not the verification sizes, so verification proves the dynamic
axes. The UNet is traced at a latent size that is not a multiple of 8: diffusers then forwards
the skip connections' sizes to its upsamplers, which the graph keeps as shape arithmetic, so the
exported UNet runs at every latent size that is a multiple of 4 (images that are multiples of 32,
as the runtime uses), not only multiples of 8. The samDecoder's image_frame comes from an image size
(image_height, image_width; landscape at trace time, portrait and square in verification) as the
runtime derives it, so its crop and final resize run at other sizes than traced too.
"""

from __future__ import annotations

from typing import Mapping

from .contract import SAM_FRAME_INPUT, ModelDims, RoleSpec, TensorSpec, sam_image_frame
from .dims_expr import resolve_shape
from .tokenizer_files import END_ID, START_ID

TRACE_BINDINGS = {
    "batch": 2,
    "height": 96,
    "width": 160,
    "latent_height": 12,
    "latent_width": 20,
    "points": 2,
    "image_height": 600,
    "image_width": 800,
}
VERIFY_BINDINGS = (
    {
        "batch": 3,
        "height": 64,
        "width": 128,
        "latent_height": 16,
        "latent_width": 8,
        "points": 3,
        "image_height": 1000,
        "image_width": 333,
    },
    {
        "batch": 1,
        "height": 160,
        "width": 96,
        "latent_height": 20,
        "latent_width": 12,
        "points": 1,
        "image_height": 512,
        "image_width": 512,
    },
)

_NUMPY_DTYPES = {"float32": "float32", "float16": "float16", "int32": "int32", "int64": "int64"}


def _tensor(
    spec: TensorSpec, shape: tuple[int, ...], rng, latent_scale: float, bindings: Mapping[str, int], sam_size: int
):
    import numpy as np

    name = spec.name
    if name == SAM_FRAME_INPUT:
        frame = sam_image_frame(bindings["image_height"], bindings["image_width"], sam_size)
        return np.array(frame, dtype=_NUMPY_DTYPES[spec.dtype])
    if name == "input_ids":
        # Start token, a random instruction of 3..20 tokens, end token, then end-token padding: what
        # the runtime's tokenizer produces (CLIP pools the first end token).
        ids = np.full(shape, END_ID, dtype=np.int64)
        for row in ids:
            length = int(rng.integers(3, 21))
            row[0] = START_ID
            row[1 : 1 + length] = rng.integers(256, 20000, size=length)
        return ids.astype(_NUMPY_DTYPES[spec.dtype])
    if name == "point_labels":
        return rng.integers(0, 2, size=shape).astype(_NUMPY_DTYPES[spec.dtype])
    if name == "point_coords":
        return rng.uniform(0, sam_size, size=shape).astype("float32")
    if name == "timestep":
        return rng.integers(0, 1000, size=shape).astype("float32")
    if name == "sample" and len(shape) == 4 and shape[1] == 3:
        return rng.uniform(-1, 1, size=shape).astype("float32")  # an image in [-1, 1]
    if name == "latent_sample":
        return (rng.standard_normal(shape) / latent_scale).astype("float32")  # z / 0.18215
    return rng.standard_normal(shape).astype(_NUMPY_DTYPES[spec.dtype])


def random_inputs(
    spec: RoleSpec,
    bindings: Mapping[str, int],
    seed: int,
    latent_scale: float = 0.18215,
    sam_size: int = ModelDims.sam_image_size,
) -> dict:
    """name -> numpy array for every input of `spec` at the given sizes (`sam_size`: SAM's square
    input, the frame of point_coords and image_frame)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return {
        t.name: _tensor(t, resolve_shape(t.shape, bindings), rng, latent_scale, bindings, sam_size) for t in spec.inputs
    }


def describe(arrays: Mapping) -> str:
    return ", ".join(f"{name} [{','.join(str(d) for d in a.shape)}]" for name, a in arrays.items())
