"""ONNX Runtime execution providers by short name (verify.py --providers)."""

from __future__ import annotations

PROVIDERS = {
    "cpu": ["CPUExecutionProvider"],
    "cuda": ["CUDAExecutionProvider", "CPUExecutionProvider"],
}


def providers_for(name: str) -> list[str]:
    if name not in PROVIDERS:
        raise ValueError(f"unknown providers {name!r} (known: {', '.join(PROVIDERS)})")
    return list(PROVIDERS[name])
