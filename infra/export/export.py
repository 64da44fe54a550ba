#!/usr/bin/env python3
"""Exports the ZONE Edit model bundle from public weights (or tiny random models) to ONNX.

    python infra/export/export.py --out DIR [--fp16] [--action-classifier PATH]
    python infra/export/export.py --out DIR --tiny-random          # offline, seconds
    python infra/export/export.py --out DIR --full-size-random     # offline, the real sizes, random weights

See infra/export/README.md for what is exported from where and what the bundle holds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# No __pycache__ folders in the repository.
sys.dont_write_bytecode = True


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="bundle folder (created; a previous bundle is replaced)")
    parser.add_argument("--tiny-random", action="store_true", help="tiny random models of the same classes, offline")
    parser.add_argument(
        "--full-size-random",
        action="store_true",
        help="the published architectures (SD 1.5 UNets, CLIP ViT-L/14, SD VAE, SAM ViT-H) with random weights, offline",
    )
    parser.add_argument("--tokenizer", type=Path, help="with random weights: a CLIP tokenizer folder to copy")
    parser.add_argument("--fp16", action="store_true", help="float16 UNets, VAE and SAM encoder (float32 I/O)")
    parser.add_argument("--action-classifier", type=Path, help="the authors' action_classifier.pth (768 -> 128 -> 3)")
    parser.add_argument(
        "--any-action-classifier", action="store_true", help="accept a classifier checkpoint other than the release's"
    )
    parser.add_argument(
        "--revision", action="append", default=[], metavar="REPO=SHA", help="override a pinned revision"
    )
    parser.add_argument("--strict-pins", action="store_true", help="refuse sources pinned to a branch, not a commit")
    parser.add_argument("--opset", type=int, default=17, help="ONNX opset (default 17)")
    parser.add_argument(
        "--no-sam-statistics",
        action="store_true",
        help="SAM decoder without the in-graph mask statistics (no image_frame input, no mask_stats output)",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.tiny_random and args.full_size_random:
        print("export.py: --tiny-random or --full-size-random, not both", file=sys.stderr)
        return 2
    if (args.tiny_random or args.full_size_random) and args.action_classifier:
        print("export.py: random weights build their own random classifier; drop --action-classifier", file=sys.stderr)
        return 2
    if args.tokenizer and not (args.tiny_random or args.full_size_random):
        print("export.py: --tokenizer only applies with random weights", file=sys.stderr)
        return 2
    from zone_export.exporter import ExportOptions, export_bundle

    export_bundle(
        ExportOptions(
            out=args.out,
            tiny_random=args.tiny_random,
            full_size_random=args.full_size_random,
            tokenizer_dir=args.tokenizer,
            fp16=args.fp16,
            action_classifier=args.action_classifier,
            check_action_classifier_hash=not args.any_action_classifier,
            revisions=args.revision,
            strict_pins=args.strict_pins,
            opset=args.opset,
            sam_statistics=not args.no_sam_statistics,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
