"""How close ONNX Runtime's outputs must be to PyTorch's, per role and precision.

A check passes when  max|onnx - torch| <= atol + rtol * max|torch|  over the whole output (the
error relative to the output's peak magnitude, robust to outputs that cross zero). Float32 graphs
on the CPU differ from PyTorch only by kernel order; float16 graphs carry half-precision weights
and activations (ONNX Runtime's CPU provider computes most float16 nodes in float32 behind casts,
CUDA in half precision), hence the wider band. Torch-side checks of the attention processor
(same output as diffusers' own attention, same maps as an independent recomputation) are exact
up to float32 rounding.
"""

from __future__ import annotations

from dataclasses import dataclass


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
