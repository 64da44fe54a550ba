#!/usr/bin/env python3
"""Verifies a ZONE Edit model bundle: manifest vs JSON Schema, contract and files (sha256, ONNX
inputs/outputs), tokenizer, scheduler config, SHA256SUMS, engines; then, per role, ONNX Runtime
against PyTorch on random inputs. Prints a table; exits 1 when anything fails.

    python infra/export/verify.py --out DIR                         # a bundle made by export.py
    python infra/export/verify.py --tiny-random --out /tmp/bundle   # export tiny models, then verify
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# No __pycache__ folders in the repository.
sys.dont_write_bytecode = True


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="the bundle folder")
    parser.add_argument("--tiny-random", action="store_true", help="first export tiny random models into --out")
    parser.add_argument("--fp16", action="store_true", help="with --tiny-random: export float16 models")
    parser.add_argument("--providers", choices=("cpu", "cuda"), default="cpu", help="ONNX Runtime providers")
    parser.add_argument("--action-classifier", type=Path, help="the classifier checkpoint, to compare that role")
    parser.add_argument("--any-action-classifier", action="store_true", help="accept a non-release checkpoint")
    parser.add_argument("--roles", help="comma-separated roles to compare numerically (default: all)")
    parser.add_argument("--files-only", action="store_true", help="skip the numeric comparison (no torch needed)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from zone_export.ort_providers import providers_for
    from zone_export.report import all_passed, render
    from zone_export.verifier import VerifyOptions, verify_bundle

    if args.tiny_random:
        from zone_export.exporter import ExportOptions, export_bundle

        export_bundle(ExportOptions(out=args.out, tiny_random=True, fp16=args.fp16))
    elif args.fp16:
        print("verify.py: --fp16 only applies with --tiny-random (a bundle knows its precision)", file=sys.stderr)
        return 2
    checks = verify_bundle(
        VerifyOptions(
            out=args.out,
            providers=providers_for(args.providers),
            action_classifier=args.action_classifier,
            check_action_classifier_hash=not args.any_action_classifier,
            roles=args.roles.split(",") if args.roles else None,
            numerics=not args.files_only,
        )
    )
    print(render(checks))
    return 0 if all_passed(checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
