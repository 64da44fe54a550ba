"""engines/<gpu>/engines.json: what build_engines.py built for one GPU type, beside the engines.

The manifest lists each EPContext model with its sha256; the TensorRT engine it points to (a
separate file, ep_context_embed_mode 0) is recorded here with its own sha256, together with the
GPU, the versions that built it (an engine only loads with the same TensorRT) and the
optimization profiles (shapes outside them fail and the runtime falls back to the ONNX graph).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from .hashing import sha256_file

RECORD_FILE = "engines.json"


def record_path(out: str | Path, context_file: str) -> Path:
    return Path(out, str(PurePosixPath(context_file).parent), RECORD_FILE)


def read_record(path: Path) -> dict:
    if not path.is_file():
        return {"roles": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def write_record(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def engine_record_problems(out: str | Path, role: str, gpu: str, context_file: str) -> list[str]:
    path = record_path(out, context_file)
    if not path.is_file():
        return [f"{path.relative_to(out).as_posix()} is missing"]
    record = read_record(path)
    problems = []
    if record.get("gpu", {}).get("key") != gpu:
        problems.append(f"{RECORD_FILE} is for GPU {record.get('gpu', {}).get('key')!r}, not {gpu!r}")
    entry = record.get("roles", {}).get(role)
    if entry is None:
        return problems + [f"{RECORD_FILE} has no {role}"]
    if entry.get("context") != context_file:
        problems.append(f"{RECORD_FILE} names {entry.get('context')}, the manifest {context_file}")
    for engine in entry.get("engines", []):
        target = Path(out, engine["file"])
        if not target.is_file():
            problems.append(f"{engine['file']} is missing")
        elif sha256_file(target) != engine["sha256"]:
            problems.append(f"{engine['file']}: sha256 differs from {RECORD_FILE}")
    if not entry.get("engines"):
        problems.append(f"{RECORD_FILE} lists no engine file for {role}")
    return problems
