"""The manifest's engine key for a GPU, from its marketing name.

The runtime picks an engine when every token of its key appears, in order, among the tokens of
the GPU's name (gpu-function/src/runtime/gpu-type.ts): "H100" fits "NVIDIA H100 80GB HBM3". A
TensorRT engine depends on the GPU architecture (compute capability), not on the memory size, so
the key is the model token alone: "A100", "H100", "L40S", "A10G", "RTX-4090".
"""

from __future__ import annotations

import re

_BRANDS = {"NVIDIA", "TESLA", "GEFORCE", "QUADRO"}
_SERIES = {"RTX", "GTX"}


def tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[^A-Z0-9]+", name.upper()) if t]


def engine_key(gpu_name: str) -> str:
    """"NVIDIA A100-SXM4-80GB" -> "A100"; "NVIDIA GeForce RTX 4090" -> "RTX-4090"."""
    words = [t for t in tokens(gpu_name) if t not in _BRANDS]
    if not words:
        raise ValueError(f"cannot derive an engine key from the GPU name {gpu_name!r}")
    if words[0] in _SERIES and len(words) > 1:
        return f"{words[0]}-{words[1]}"
    return words[0]


def key_fits(key: str, gpu_name: str) -> bool:
    """The runtime's rule: the key's tokens appear in order among the name's tokens."""
    want = tokens(key)
    at = 0
    for token in tokens(gpu_name):
        if at < len(want) and token == want[at]:
            at += 1
    return bool(want) and at == len(want)


def engine_dir(key: str) -> str:
    """Folder of a key's engines inside the bundle: engines/h100."""
    return f"engines/{key.lower()}"
