"""ONNX Runtime TensorRT provider options for building one EPContext engine (option names as in
onnxruntime/core/providers/tensorrt/tensorrt_execution_provider_info.cc). Values are strings,
which every ONNX Runtime version parses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping


def build_options(
    *,
    device: int,
    context_file: Path,
    cache_dir: Path,
    timing_dir: Path,
    profiles: Mapping[str, str],
    workspace_bytes: int,
    optimization_level: int = 3,
) -> dict[str, str]:
    """fp16 engine with explicit profiles, engine and timing caches, dumped as an EPContext model
    whose engine stays a separate file (embed mode 0) beside it."""
    if not 0 <= optimization_level <= 5:
        raise ValueError("the TensorRT builder optimization level is 0..5")
    options = {
        "device_id": str(device),
        "trt_fp16_enable": "1",
        "trt_engine_cache_enable": "1",
        "trt_engine_cache_path": str(cache_dir),
        "trt_timing_cache_enable": "1",
        "trt_timing_cache_path": str(timing_dir),
        "trt_dump_ep_context_model": "1",
        "trt_ep_context_file_path": str(context_file),
        "trt_ep_context_embed_mode": "0",
        "trt_builder_optimization_level": str(optimization_level),
        "trt_max_workspace_size": str(workspace_bytes),
    }
    if any(profiles.values()):
        options["trt_profile_min_shapes"] = profiles["min"]
        options["trt_profile_opt_shapes"] = profiles["opt"]
        options["trt_profile_max_shapes"] = profiles["max"]
    return options


def load_options(device: int) -> dict[str, str]:
    """Loading an EPContext model: the engine carries its choices; the runtime passes only the
    device (onnxruntime-node), so the check loads it the same way."""
    return {"device_id": str(device)}
