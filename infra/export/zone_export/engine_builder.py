"""build_engines.py's work, on a GPU host with onnxruntime-gpu and TensorRT: per engine role, build
an fp16 TensorRT engine with explicit optimization profiles through ONNX Runtime's TensorRT
provider, dumped as an EPContext model; check that the EPContext model loads the way the runtime
loads it (TensorRT provider, device id only) and matches the ONNX graph on the CUDA provider;
record it in the manifest (`engines`, keyed by GPU type) and in engines/<gpu>/engines.json.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .contract import ENGINE_ROLES, spec_from_json
from .engine_record import RECORD_FILE, read_record, write_record
from .ep_context import normalize
from .gpu_names import engine_dir, engine_key, key_fits
from .hashing import sha256_file, write_sums
from .inputs import random_inputs
from .manifest import MANIFEST_FILE, bundle_id, id_label, read_manifest, with_engine, write_manifest
from .report import Check, metrics
from .schema_check import manifest_errors
from .tolerances import FLOAT16, compare
from .trt_options import build_options, load_options
from .trt_profiles import opt_bindings, profile_shapes, role_ranges


@dataclass
class EngineOptions:
    bundle: Path
    device: int = 0
    gpu_type: str | None = None
    roles: list[str] = field(default_factory=lambda: list(ENGINE_ROLES))
    max_side: int = 512
    workspace_gb: float = 8.0
    optimization_level: int = 3
    log: Callable[[str], None] = print


def gpu_info(device: int) -> dict:
    out = subprocess.run(
        ["nvidia-smi", "--query-gpu=name,compute_cap,driver_version", "--format=csv,noheader", "-i", str(device)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    name, capability, driver = (part.strip() for part in out.split(","))
    return {"name": name, "computeCapability": capability, "driver": driver}


def versions() -> dict:
    import onnxruntime as ort

    found = {"onnxruntime": ort.__version__}
    try:
        import tensorrt

        found["tensorrt"] = tensorrt.__version__
    except ImportError:
        found["tensorrt"] = "not importable from Python (libraries found by ONNX Runtime)"
    return found


def _session(path: Path, providers: list):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), sess_options=options, providers=providers)


def _run(session, inputs: dict) -> dict:
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, inputs)))


def build_role(options: EngineOptions, manifest: dict, role: str, key: str, scratch: Path) -> tuple[dict, list[Check]]:
    bundle = options.bundle
    entry = manifest["models"][role]
    spec = spec_from_json(entry)
    ranges = role_ranges(role, options.max_side)
    profiles = profile_shapes(spec, ranges)
    folder = bundle / engine_dir(key)
    folder.mkdir(parents=True, exist_ok=True)
    context_rel = f"{engine_dir(key)}/{role}_ctx.onnx"
    context = bundle / context_rel
    if context.exists():
        context.unlink()
    cache = scratch / role
    provider_options = build_options(
        device=options.device,
        context_file=context,
        cache_dir=cache,
        timing_dir=folder / "timing-cache",
        profiles=profiles,
        workspace_bytes=int(options.workspace_gb * (1 << 30)),
        optimization_level=options.optimization_level,
    )
    (folder / "timing-cache").mkdir(exist_ok=True)
    options.log(f"{role}: building the TensorRT engine ({profiles['opt'] or 'static shapes'})")
    cuda = ("CUDAExecutionProvider", {"device_id": str(options.device)})
    builder = _session(bundle / entry["file"], [("TensorrtExecutionProvider", provider_options), cuda])
    del builder
    if not context.is_file():
        raise RuntimeError(f"{role}: ONNX Runtime wrote no EPContext model at {context}")
    engines, fully = normalize(context, role, [cache, Path.cwd()])

    inputs = random_inputs(spec, opt_bindings(ranges), seed=11)
    engine_out = _run(_session(context, [("TensorrtExecutionProvider", load_options(options.device))]), inputs)
    graph_out = _run(_session(bundle / entry["file"], [cuda]), inputs)
    checks = []
    for tensor in spec.outputs:
        error, peak, relative = compare(graph_out[tensor.name], engine_out[tensor.name])
        bound = FLOAT16.bound(peak)
        checks.append(
            Check(role, f"engine {key} {tensor.name} vs CUDA graph", error <= bound, metrics(error, relative, bound, FLOAT16.describe()))
        )
    record = {
        "context": context_rel,
        "engines": [{"file": e.relative_to(bundle).as_posix(), "sha256": sha256_file(e)} for e in engines],
        "fullyTensorRT": fully,
        "profiles": profiles,
        "ranges": {k: list(v) for k, v in ranges.items()},
    }
    return record, checks


def build_engines(options: EngineOptions) -> tuple[dict, list[Check]]:
    bundle = Path(options.bundle)
    manifest = read_manifest(bundle)
    gpu = gpu_info(options.device)
    key = options.gpu_type or engine_key(gpu["name"])
    if not key_fits(key, gpu["name"]):
        raise ValueError(f"engine key {key!r} does not fit this GPU ({gpu['name']}): the runtime would never pick it")
    missing = [r for r in options.roles if r not in manifest["models"]]
    if missing:
        raise ValueError(f"the bundle has no {', '.join(missing)}")
    record_file = bundle / engine_dir(key) / RECORD_FILE
    record = read_record(record_file)
    record.update({"gpu": {"key": key, **gpu}, "versions": versions(), "built": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    record.setdefault("roles", {})
    checks: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="zone-trt-") as scratch:
        for role in options.roles:
            entry_record, role_checks = build_role(options, manifest, role, key, Path(scratch))
            checks += role_checks
            record["roles"][role] = entry_record
            context = bundle / entry_record["context"]
            manifest = with_engine(manifest, role, key, entry_record["context"], sha256_file(context))
            write_record(record_file, record)
    # New content, new id; then SHA256SUMS again for the rewritten manifest.
    digests = write_sums(bundle)
    updated = dict(manifest)
    updated["id"] = bundle_id(id_label(manifest["id"]), digests)
    errors = manifest_errors(updated)
    if errors:
        raise ValueError(f"the manifest does not validate: {'; '.join(errors)}")
    write_manifest(bundle, updated)
    write_sums(bundle, {p: d for p, d in digests.items() if p != MANIFEST_FILE})
    return updated, checks
