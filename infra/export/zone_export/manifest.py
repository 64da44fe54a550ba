"""Writing and reading manifest.json, the one file the runtime trusts (schema:
shared/src/model-manifest.ts, exported as manifest.schema.json).

Model entries are built from what each ONNX file declares (onnx_io.read_signature), after the
file was checked against the contract; the bundle id is derived from the content digests, so it
changes whenever any file changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

from .contract import ATTENTION_OUTPUT, ROLES, ModelDims

MANIFEST_FILE = "manifest.json"
EXPORT_INFO_FILE = "export-info.json"
TOKENIZER_DIR = "tokenizer"
SCHEDULER_CONFIG_FILE = "scheduler/scheduler_config.json"
# Files that describe the bundle rather than make it up: not part of the id.
_NOT_CONTENT = {MANIFEST_FILE, EXPORT_INFO_FILE, "SHA256SUMS"}


def bundle_id(label: str, digests: Mapping[str, str]) -> str:
    """`label-<12 hex>` from the digests of every content file (path -> sha256)."""
    import hashlib

    content = {p: d for p, d in digests.items() if p not in _NOT_CONTENT}
    if not content:
        raise ValueError("a bundle id needs at least one content file")
    canonical = json.dumps(sorted(content.items()), separators=(",", ":")).encode()
    return f"{label}-{hashlib.sha256(canonical).hexdigest()[:12]}"


def model_entry(file: str, sha256: str, signature: Mapping, engines: Mapping | None = None) -> dict:
    entry = {
        "file": file,
        "sha256": sha256,
        "inputs": list(signature["inputs"]),
        "outputs": list(signature["outputs"]),
    }
    if engines:
        entry["engines"] = {gpu: dict(engines[gpu]) for gpu in sorted(engines)}
    return entry


def build_manifest(
    *,
    bundle: str,
    description: str,
    models: Mapping[str, dict],
    dims: ModelDims,
    scaling_factor: float,
) -> dict:
    """The manifest in the schema's key order; roles in the runtime's order."""
    missing = [r for r in ROLES if r != "actionClassifier" and r not in models]
    if missing:
        raise ValueError(f"the manifest needs every required role; missing {', '.join(missing)}")
    unknown = [r for r in models if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {', '.join(unknown)}")
    return {
        "schemaVersion": 1,
        "id": bundle,
        "description": description,
        "models": {role: models[role] for role in ROLES if role in models},
        "tokenizer": {"dir": TOKENIZER_DIR},
        "scheduler": {"config": SCHEDULER_CONFIG_FILE},
        "latent": {
            "channels": dims.latent_channels,
            "downsample": dims.latent_downsample,
            "scalingFactor": scaling_factor,
        },
        "attention": {"output": ATTENTION_OUTPUT, "stride": dims.attention_stride},
    }


def manifest_text(manifest: Mapping) -> str:
    return json.dumps(manifest, indent=2) + "\n"


def write_manifest(root: str | Path, manifest: Mapping) -> Path:
    path = Path(root, MANIFEST_FILE)
    path.write_text(manifest_text(manifest), encoding="utf-8")
    return path


def read_manifest(root: str | Path) -> dict:
    return json.loads(Path(root, MANIFEST_FILE).read_text(encoding="utf-8"))


def with_engine(manifest: Mapping, role: str, gpu: str, file: str, sha256: str) -> dict:
    """A copy of `manifest` whose `role` entry lists the engine for `gpu`."""
    updated = json.loads(json.dumps(manifest))
    entry = updated["models"].get(role)
    if entry is None:
        raise KeyError(f"the manifest has no {role}")
    engines = dict(entry.get("engines") or {})
    engines[gpu] = {"file": file, "sha256": sha256}
    entry["engines"] = {k: engines[k] for k in sorted(engines)}
    return updated


def id_label(bundle: str) -> str:
    """The label part of an id made by bundle_id ("zone-sd15-fp16-0123456789ab" -> "zone-sd15-fp16")."""
    label, sep, digest = bundle.rpartition("-")
    if not sep or len(digest) != 12 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"{bundle!r} is not an id made by bundle_id")
    return label
