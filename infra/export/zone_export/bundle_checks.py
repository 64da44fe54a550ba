"""verify.py's file checks: the manifest against the JSON Schema and the contract, every file against
its sha256, every ONNX file's declared inputs and outputs against the manifest, the tokenizer and
scheduler files, SHA256SUMS, and the TensorRT engines the manifest lists.
"""

from __future__ import annotations

import json
from pathlib import Path

from .contract import ATTENTION_OUTPUT, OPTIONAL_ROLES, ROLES, ModelDims, contract_differences, signature_differences
from .engine_record import engine_record_problems
from .hashing import check_sums, sha256_file
from .manifest import MANIFEST_FILE
from .report import Check
from .scheduler_config import scheduler_problems
from .schema_check import manifest_errors, validator_name
from .tokenizer_files import tokenizer_problems


def _check(role: str, what: str, problems: list[str], ok_detail: str = "") -> Check:
    return Check(role, what, not problems, "; ".join(problems) if problems else ok_detail)


def manifest_checks(out: Path, dims: ModelDims) -> tuple[dict | None, list[Check]]:
    path = out / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        return None, [Check("bundle", MANIFEST_FILE, False, str(error))]
    checks = [_check("bundle", "manifest vs JSON Schema", manifest_errors(manifest), validator_name())]
    models = manifest.get("models", {}) if isinstance(manifest, dict) else {}
    missing = [r for r in ROLES if r not in OPTIONAL_ROLES and r not in models]
    checks.append(_check("bundle", "required roles", [f"{r} is missing" for r in missing], f"{len(models)} roles"))
    constants = []
    if manifest.get("attention") != {"output": ATTENTION_OUTPUT, "stride": dims.attention_stride}:
        constants.append(f"attention is {manifest.get('attention')}")
    latent = manifest.get("latent", {})
    if latent.get("channels") != dims.latent_channels or latent.get("downsample") != dims.latent_downsample:
        constants.append(f"latent is {latent}")
    checks.append(_check("bundle", "latent and attention constants", constants))
    return manifest, checks


def model_checks(out: Path, manifest: dict, dims: ModelDims) -> list[Check]:
    from .onnx_io import read_signature

    checks: list[Check] = []
    for role in ROLES:
        entry = manifest.get("models", {}).get(role)
        if entry is None:
            continue
        path = out / entry["file"]
        if not path.is_file():
            checks.append(Check(role, "file", False, f"{entry['file']} is missing"))
            continue
        digest = sha256_file(path)
        checks.append(_check(role, "sha256", [] if digest == entry["sha256"] else [f"file has {digest}"], digest[:16]))
        declared = read_signature(path)
        checks.append(_check(role, "file signature vs manifest", signature_differences(entry, declared)))
        checks.append(_check(role, "manifest vs contract", contract_differences(role, dims, entry)))
        for gpu, engine in (entry.get("engines") or {}).items():
            engine_path = out / engine["file"]
            problems = []
            if not engine_path.is_file():
                problems.append(f"{engine['file']} is missing")
            elif sha256_file(engine_path) != engine["sha256"]:
                problems.append(f"{engine['file']}: sha256 differs from the manifest")
            else:
                problems += engine_record_problems(out, role, gpu, engine["file"])
            checks.append(_check(role, f"engine {gpu}", problems, engine["file"]))
    return checks


def file_checks(out: Path, manifest: dict) -> list[Check]:
    checks = [_check("bundle", "tokenizer", tokenizer_problems(out / manifest["tokenizer"]["dir"]))]
    config_path = out / manifest["scheduler"]["config"]
    try:
        problems = scheduler_problems(json.loads(config_path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as error:
        problems = [str(error)]
    checks.append(_check("bundle", "scheduler config", problems, manifest["scheduler"]["config"]))
    checks.append(_check("bundle", "SHA256SUMS", check_sums(out)))
    return checks


def bundle_checks(out: Path, dims: ModelDims) -> tuple[dict | None, list[Check]]:
    manifest, checks = manifest_checks(out, dims)
    if manifest is None or not all(c.ok for c in checks[:1]):
        return manifest, checks
    return manifest, checks + model_checks(out, manifest, dims) + file_checks(out, manifest)
