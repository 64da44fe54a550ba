"""verify.py's work: the file checks of bundle_checks, then the numeric checks of numerics for
every role the manifest lists, with the torch models rebuilt from the same sources (the tiny
random seeds, or the commits export-info.json recorded).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .bundle_checks import bundle_checks
from .contract import ROLES, TINY_DIMS, ModelDims, has_sam_statistics
from .manifest import EXPORT_INFO_FILE
from .pins import HubSource
from .report import Check, skipped


@dataclass
class VerifyOptions:
    out: Path
    providers: list[str]
    action_classifier: Path | None = None
    check_action_classifier_hash: bool = True
    roles: list[str] | None = None
    numerics: bool = True
    log: Callable[[str], None] = print


def read_export_info(out: Path) -> dict:
    path = out / EXPORT_INFO_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def verify_bundle(options: VerifyOptions) -> list[Check]:
    out = Path(options.out)
    info = read_export_info(out)
    tiny_random = bool(info.get("tinyRandom"))
    full_size_random = bool(info.get("fullSizeRandom"))
    dims: ModelDims = TINY_DIMS if tiny_random else ModelDims()
    manifest, checks = bundle_checks(out, dims)
    if manifest is None or not options.numerics:
        return checks
    if not info:
        return checks + [skipped("bundle", "numerics", f"{EXPORT_INFO_FILE} is missing: sources unknown")]

    from .model_factory import ModelFactory
    from .numerics import role_checks

    sources = {repo: HubSource(repo, commit, True) for repo, commit in info.get("sources", {}).items()}
    decoder = manifest["models"].get("samDecoder")
    factory = ModelFactory(
        tiny_random=tiny_random,
        full_size_random=full_size_random,
        dims=dims,
        sources=sources,
        action_classifier=options.action_classifier,
        check_action_classifier_hash=options.check_action_classifier_hash,
        # The PyTorch side has the optional mask statistics exactly when the bundle's decoder does.
        sam_statistics=decoder is not None and has_sam_statistics(decoder),
    )
    roles = [r for r in ROLES if r in manifest["models"] and (options.roles is None or r in options.roles)]
    for index, role in enumerate(roles):
        if role == "actionClassifier" and not (tiny_random or full_size_random) and options.action_classifier is None:
            checks.append(skipped(role, "numerics", "pass --action-classifier PATH to compare it"))
            continue
        options.log(f"{role}: comparing ONNX Runtime with PyTorch")
        expected = info.get("roles", {}).get(role, {}).get("fingerprint")
        path = out / manifest["models"][role]["file"]
        checks += role_checks(factory, role, path, options.providers, expected)
        factory.release(role, roles[index + 1 :])
    return checks
