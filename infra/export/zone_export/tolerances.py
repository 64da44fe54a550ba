"""How close ONNX Runtime's outputs must be to PyTorch's, per role and precision.

A check passes when  max|onnx - torch| <= atol + rtol * max|torch|  over the whole output (the
error relative to the output's peak magnitude, robust to outputs that cross zero). Float32 graphs
on the CPU differ from PyTorch only by kernel order; float16 graphs carry half-precision weights
and activations (ONNX Runtime's CPU provider computes most float16 nodes in float32 behind casts,
CUDA in half precision), hence the wider band. Torch-side checks of the attention processor
(same output as diffusers' own attention, same maps as an independent recomputation) are exact
up to float32 rounding.

The samDecoder's mask_stats are integers: pixel counts and box edges of the masks upscaled in the
graph. ONNX Runtime's Resize and PyTorch's interpolate compute the same bilinear weights in a
different float32 order (ONNX: (x + 0.5) / (out / in) - 0.5, PyTorch: (in / out) * (x + 0.5) - 0.5,
then the weighted sum), so a pixel whose upscaled logit lies within rounding of a cut-off may fall
on either side: a count may differ by a few pixels, a box edge by one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .contract import MASK_STATS_FIELDS

_BOX_START = MASK_STATS_FIELDS.index("x0")  # the counts come first, then the box


@dataclass(frozen=True)
class Tolerance:
    atol: float
    rtol: float

    def bound(self, peak: float) -> float:
        return self.atol + self.rtol * peak

    def describe(self) -> str:
        return f"{self.atol:g} + {self.rtol:g}*peak"


FLOAT32 = Tolerance(atol=1e-4, rtol=1e-3)
FLOAT16 = Tolerance(atol=1e-3, rtol=3e-2)
TORCH_EQUIVALENCE = Tolerance(atol=1e-5, rtol=1e-4)
# mask_stats from the same low-resolution logits: counts in pixels, the peak being the image's pixel
# count (4 pixels plus 5 in 100,000 of the image: 56 at 1024 x 1024); box edges in pixels. ONNX
# Runtime's Resize against a numpy replica of PyTorch's CPU kernel (tests/mask_stats_reference.py)
# differed by at most 6 pixels per count and by no box edge on 0.6-1 megapixel images upscaled from
# white-noise logits (the most cut-off crossings); a real error (a pixel of offset, the wrong crop)
# moves a count by about a mask's perimeter, hundreds of pixels.
MASK_COUNTS = Tolerance(atol=4, rtol=5e-5)
MASK_BOX_EDGE = 1


def tolerance(role: str, output: str, precision: str) -> Tolerance:
    """Tolerance of one output of one role ("float32" or "float16" weights)."""
    if precision not in ("float32", "float16"):
        raise ValueError(f"unknown precision {precision!r}")
    if precision == "float16":
        return FLOAT16
    if output == "attention_probs":
        # Probabilities are at most 1; their error is absolute.
        return Tolerance(atol=1e-5, rtol=1e-3)
    return FLOAT32


def compare(reference, actual) -> tuple[float, float, float]:
    """(max abs error, peak |reference|, error relative to the peak) of two numpy arrays."""
    import numpy as np

    reference = np.asarray(reference, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    if reference.shape != actual.shape:
        raise ValueError(f"shape {actual.shape} differs from the reference {reference.shape}")
    if not np.all(np.isfinite(actual)):
        return float("inf"), float(np.max(np.abs(reference))), float("inf")
    error = float(np.max(np.abs(actual - reference))) if reference.size else 0.0
    peak = float(np.max(np.abs(reference))) if reference.size else 0.0
    return error, peak, error / peak if peak > 0 else error


def mask_stats_errors(reference, actual) -> tuple[int, int]:
    """(largest count difference, largest box edge difference) between two mask_stats arrays
    (..., 7) laid out as contract.MASK_STATS_FIELDS."""
    import numpy as np

    reference = np.asarray(reference, dtype=np.int64)
    actual = np.asarray(actual, dtype=np.int64)
    if reference.shape != actual.shape:
        raise ValueError(f"shape {actual.shape} differs from the reference {reference.shape}")
    if reference.shape[-1:] != (len(MASK_STATS_FIELDS),):
        raise ValueError(f"mask_stats hold {len(MASK_STATS_FIELDS)} values per mask, not shape {reference.shape}")
    difference = np.abs(actual - reference)
    if not difference.size:
        return 0, 0
    return int(difference[..., :_BOX_START].max()), int(difference[..., _BOX_START:].max())
