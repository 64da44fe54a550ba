"""Compares a manifest's tensors with the contract (no onnx, no torch):

    python3 -m zone_export.contract_check manifest.json [--dims tiny|real]

The TypeScript tests run it on the fixture bundle's manifest (whose sizes are the tiny ones), so
a change to the runtime's contract that the exporter does not follow fails there. The samDecoder's
mask statistics pair (image_frame, mask_stats) is optional: the fixture bundle leaves it out, the
exporter adds it; half of it, or either half with another dtype or shape, is a difference.
"""

from __future__ import annotations

import argparse
import json
import sys

from .contract import ROLES, TINY_DIMS, ModelDims, contract_differences


def contract_problems(manifest: dict, dims: ModelDims) -> list[str]:
    problems = []
    for role in ROLES:
        entry = manifest.get("models", {}).get(role)
        if entry is None:
            continue
        problems += [f"{role}: {p}" for p in contract_differences(role, dims, entry)]
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("manifest")
    parser.add_argument("--dims", choices=("tiny", "real"), default="real")
    args = parser.parse_args(argv)
    with open(args.manifest, encoding="utf-8") as f:
        manifest = json.load(f)
    problems = contract_problems(manifest, TINY_DIMS if args.dims == "tiny" else ModelDims())
    for problem in problems:
        print(problem)
    print(f"{len(problems)} difference(s) from the contract")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
