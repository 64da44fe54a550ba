"""TensorRT optimization profiles for the engine roles: the min / opt / max input shapes, written
in the provider-option syntax "name:1x8x64x64,name2:3".

The ranges follow the runtime: the edit works at long side 512 with sides multiples of 32
(latents multiples of 4, at most 64), the UNets always run the three-way guidance batch (batch 3)
and the VAE and the SAM encoder one image at a time. Shapes outside a profile make the engine fail
and the runtime fall back to the ONNX graph, so the ranges are recorded next to the engines.
"""

from __future__ import annotations

from typing import Mapping

from .contract import RoleSpec
from .dims_expr import resolve_shape, variables

Range = tuple[int, int, int]  # min, opt, max


def role_ranges(role: str, max_side: int = 512) -> dict[str, Range]:
    """Variable -> (min, opt, max) for one engine role; `max_side` in pixels (multiple of 32)."""
    if max_side % 32 != 0 or max_side < 64:
        raise ValueError(f"max side {max_side} must be a multiple of 32, at least 64")
    latent = (4, max_side // 8, max_side // 8)
    pixels = (32, max_side, max_side)
    if role in ("ip2pUnet", "magicBrushUnet"):
        return {"batch": (1, 3, 3), "latent_height": latent, "latent_width": latent}
    if role == "vaeEncoder":
        return {"batch": (1, 1, 1), "height": pixels, "width": pixels}
    if role == "vaeDecoder":
        return {"batch": (1, 1, 1), "latent_height": latent, "latent_width": latent}
    if role == "samEncoder":
        return {"batch": (1, 1, 1)}
    raise KeyError(f"no engine profile for {role!r}")


def profile_shapes(spec: RoleSpec, ranges: Mapping[str, Range]) -> dict[str, str]:
    """{"min": ..., "opt": ..., "max": ...} shape strings for the inputs with symbolic dimensions."""
    out: dict[str, str] = {}
    for level, label in enumerate(("min", "opt", "max")):
        bindings = {name: r[level] for name, r in ranges.items()}
        parts = []
        for tensor in spec.inputs:
            needed = variables(tensor.shape)
            if not needed:
                continue
            missing = [v for v in needed if v not in bindings]
            if missing:
                raise KeyError(f"no range for {', '.join(missing)} (input {tensor.name})")
            parts.append(f"{tensor.name}:" + "x".join(str(d) for d in resolve_shape(tensor.shape, bindings)))
        out[label] = ",".join(parts)
    return out


def opt_bindings(ranges: Mapping[str, Range]) -> dict[str, int]:
    return {name: r[1] for name, r in ranges.items()}
