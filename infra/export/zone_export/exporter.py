"""export.py's work: every role to ONNX (the UNets, VAE and SAM encoder optionally to float16; the
SAM decoder with its mask statistics unless told otherwise), the tokenizer and scheduler files,
export-info.json (provenance), SHA256SUMS and manifest.json.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Callable

from . import sources as real
from .contract import FP16_ROLES, TINY_DIMS, ModelDims, signature_differences, spec_json
from .fp16 import convert_to_float16
from .hashing import bundle_files, sha256_file, write_sums
from .inputs import TRACE_BINDINGS, random_inputs
from .manifest import (
    EXPORT_INFO_FILE,
    MANIFEST_FILE,
    SCHEDULER_CONFIG_FILE,
    TOKENIZER_DIR,
    build_manifest,
    bundle_id,
    model_entry,
    write_manifest,
)
from .model_factory import ModelFactory, fingerprint
from .onnx_io import read_signature
from .pins import ROLE_SOURCES, TOKENIZER_FILES, HubSource, apply_overrides
from .scheduler_config import IP2P_SCHEDULE, bundle_scheduler_config, scheduler_problems
from .schema_check import manifest_errors, validator_name
from .tokenizer_files import copy_tokenizer, tokenizer_problems, write_tiny_tokenizer
from .torch_export import OPSET, export_role

PACKAGES = ("torch", "diffusers", "transformers", "huggingface_hub", "onnx", "onnxruntime", "onnxruntime-gpu")


@dataclass
class ExportOptions:
    out: Path
    tiny_random: bool = False
    full_size_random: bool = False  # the published architectures with random weights (full_size.py)
    tokenizer_dir: Path | None = None  # random weights: copy a real CLIP tokenizer instead of the tiny one
    fp16: bool = False
    action_classifier: Path | None = None
    check_action_classifier_hash: bool = True
    revisions: list[str] = field(default_factory=list)
    strict_pins: bool = False
    opset: int = OPSET
    sam_statistics: bool = True  # the samDecoder's image_frame input and mask_stats output
    log: Callable[[str], None] = print


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def prepare_folder(out: Path) -> None:
    """An empty folder; a previous bundle there is replaced, anything else is refused."""
    if out.exists() and any(out.iterdir()):
        if not ((out / MANIFEST_FILE).exists() or (out / EXPORT_INFO_FILE).exists()):
            raise FileExistsError(f"{out} is not empty and holds no bundle; choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def resolve_sources(options: ExportOptions) -> dict[str, HubSource]:
    """Every source pinned to the commit it resolves to now (branches are recorded, or refused)."""
    sources = apply_overrides(options.revisions)
    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
    resolved = {}
    for repo, source in sources.items():
        if offline and not source.pinned:
            raise ValueError(f"{repo} is not pinned and HF_HUB_OFFLINE is set: pass --revision {repo}=<commit>")
        # Offline (a re-export from the Hugging Face cache) a pinned commit needs no lookup.
        commit = source.revision if offline else real.resolve_commit(source)
        if not source.pinned:
            message = f"{repo} is not pinned ({source.revision!r} resolved to {commit}); record it in pins.py"
            if options.strict_pins:
                raise ValueError(message)
            options.log(f"warning: {message}")
        elif commit != source.revision:
            raise ValueError(f"{repo}@{source.revision} resolved to {commit}")
        resolved[repo] = HubSource(repo, commit, True)
    return resolved


def _write_scheduler(out: Path, random_weights: bool, sources: dict[str, HubSource]) -> None:
    target = out / SCHEDULER_CONFIG_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    if random_weights:
        from diffusers import EulerAncestralDiscreteScheduler

        EulerAncestralDiscreteScheduler(**IP2P_SCHEDULE).save_config(str(target.parent))
    else:
        shutil.copyfile(real.scheduler_config(sources[ROLE_SOURCES["ip2pUnet"][0]]), target)
    config = bundle_scheduler_config(json.loads(target.read_text(encoding="utf-8")))
    target.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    problems = scheduler_problems(config)
    if problems:
        raise ValueError(f"{SCHEDULER_CONFIG_FILE}: {'; '.join(problems)}")


def _write_tokenizer(
    out: Path, random_weights: bool, sources: dict[str, HubSource], tokenizer_dir: Path | None = None
) -> None:
    folder = out / TOKENIZER_DIR
    if tokenizer_dir is not None:
        copy_tokenizer({p.name: p for p in Path(tokenizer_dir).iterdir() if p.name in TOKENIZER_FILES}, folder)
    elif random_weights:
        write_tiny_tokenizer(folder)
    else:
        copy_tokenizer(real.tokenizer_files(sources[ROLE_SOURCES["textEncoder"][0]]), folder)
    problems = tokenizer_problems(folder)
    if problems:
        raise ValueError(f"{TOKENIZER_DIR}/: {'; '.join(problems)}")


def _describe(options: ExportOptions, sources: dict[str, HubSource]) -> str:
    precision = "float16 UNets, VAE and SAM encoder" if options.fp16 else "float32"
    if options.tiny_random:
        return f"Tiny random models of the real classes ({precision}); untrained, for testing the export"
    if options.full_size_random:
        return f"Full-size architectures with random weights ({precision}); untrained, for measuring size and speed"
    names = ", ".join(f"{repo}@{s.revision[:12]}" for repo, s in sources.items())
    return f"ZONE Edit models from {names} ({precision}); made by infra/export/export.py"


def export_bundle(options: ExportOptions) -> dict:
    out = Path(options.out)
    prepare_folder(out)
    if options.tiny_random and options.full_size_random:
        raise ValueError("tiny or full-size random models, not both")
    random_weights = options.tiny_random or options.full_size_random
    dims: ModelDims = TINY_DIMS if options.tiny_random else ModelDims()
    sources = {} if random_weights else resolve_sources(options)
    factory = ModelFactory(
        tiny_random=options.tiny_random,
        full_size_random=options.full_size_random,
        dims=dims,
        sources=sources,
        action_classifier=options.action_classifier,
        check_action_classifier_hash=options.check_action_classifier_hash,
        sam_statistics=options.sam_statistics,
    )
    roles = factory.roles()
    entries: dict[str, dict] = {}
    role_info: dict[str, dict] = {}
    digests: dict[str, str] = {}
    scaling_factor = None
    for index, role in enumerate(roles):
        started = time.monotonic()
        spec = factory.spec(role)
        module = factory.module(role)
        if role == "vaeEncoder":
            scaling_factor = factory.scaling_factor()
        file = f"{role}.onnx"
        inputs = random_inputs(spec, TRACE_BINDINGS, seed=index, sam_size=dims.sam_image_size)
        info = {"source": factory.describe(role), "fingerprint": fingerprint(factory.base(role))}
        options.log(f"{role}: exporting {info['source']}")
        if options.fp16 and role in FP16_ROLES:
            scratch = out / ".float32"
            export_role(module, spec, inputs, scratch / file, options.opset)
            info["float16"] = convert_to_float16(scratch / file, out / file, role, spec)
            info["files"] = info["float16"].pop("files")
            shutil.rmtree(scratch)
        else:
            info["files"] = export_role(module, spec, inputs, out / file, options.opset)
        signature = read_signature(out / file)
        problems = signature_differences(spec_json(spec), signature)
        if problems:
            raise ValueError(f"{role}: the exported graph breaks the contract: {'; '.join(problems)}")
        digests[file] = sha256_file(out / file)
        entries[role] = model_entry(file, digests[file], signature)
        if role == "ip2pUnet":
            info["attentionLayers"] = module.attention_layers
        info["seconds"] = round(time.monotonic() - started, 1)
        role_info[role] = info
        options.log(f"{role}: {', '.join(info['files'])} in {info['seconds']} s")
        del module
        factory.release(role, roles[index + 1 :])

    _write_tokenizer(out, random_weights, sources, options.tokenizer_dir)
    _write_scheduler(out, random_weights, sources)
    digests.update({p: sha256_file(out / p) for p in bundle_files(out) if p not in digests})
    label = ("tiny-random" if options.tiny_random else "full-size-random" if options.full_size_random else "zone-sd15") + ("-fp16" if options.fp16 else "-fp32")
    manifest = build_manifest(
        bundle=bundle_id(label, digests),
        description=_describe(options, sources),
        models=entries,
        dims=dims,
        scaling_factor=scaling_factor,
    )
    errors = manifest_errors(manifest)
    if errors:
        raise ValueError(f"the manifest does not validate ({validator_name()}): {'; '.join(errors)}")
    export_info = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tinyRandom": options.tiny_random,
        "fullSizeRandom": options.full_size_random,
        "float16": options.fp16,
        "samStatistics": options.sam_statistics,
        "opset": options.opset,
        "sources": {repo: s.revision for repo, s in sources.items()},
        "packages": package_versions(),
        "traceBindings": TRACE_BINDINGS,
        "roles": role_info,
    }
    (out / EXPORT_INFO_FILE).write_text(json.dumps(export_info, indent=2) + "\n", encoding="utf-8")
    write_manifest(out, manifest)
    write_sums(out, digests)
    options.log(f"bundle {manifest['id']} in {out} (manifest validated with {validator_name()})")
    return manifest
