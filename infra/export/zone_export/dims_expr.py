"""Symbolic tensor dimensions: "batch", "height/8", "8*latent_height".

The manifest names dynamic dimensions with these strings (as the fixture bundle does); this module
parses them, evaluates them for concrete sizes and lists the dynamic axes torch.onnx.export needs.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence, Union

Dim = Union[int, str]

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DIVIDED = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)/([1-9][0-9]*)$")
_SCALED = re.compile(r"^([1-9][0-9]*)\*([A-Za-z_][A-Za-z0-9_]*)$")


def parse_dim(dim: str) -> tuple[str, int, int]:
    """Returns (variable, multiplier, divisor): "height/8" -> ("height", 1, 8)."""
    if _PLAIN.match(dim):
        return dim, 1, 1
    match = _DIVIDED.match(dim)
    if match:
        return match.group(1), 1, int(match.group(2))
    match = _SCALED.match(dim)
    if match:
        return match.group(2), int(match.group(1)), 1
    raise ValueError(f"unsupported symbolic dimension {dim!r} (use name, name/k or k*name)")


def resolve_dim(dim: Dim, bindings: Mapping[str, int]) -> int:
    """The size of one dimension for concrete variable values; a fraction must divide exactly."""
    if isinstance(dim, int):
        return dim
    variable, multiplier, divisor = parse_dim(dim)
    if variable not in bindings:
        raise KeyError(f"no value for {variable!r} (needed by {dim!r})")
    value = bindings[variable] * multiplier
    if value % divisor != 0:
        raise ValueError(f"{dim!r} with {variable}={bindings[variable]} is not a whole number")
    return value // divisor


def resolve_shape(shape: Sequence[Dim], bindings: Mapping[str, int]) -> tuple[int, ...]:
    return tuple(resolve_dim(d, bindings) for d in shape)


def variables(shape: Sequence[Dim]) -> list[str]:
    """The variables a shape depends on, in order of first use."""
    seen: list[str] = []
    for d in shape:
        if isinstance(d, str):
            name = parse_dim(d)[0]
            if name not in seen:
                seen.append(name)
    return seen
