#!/usr/bin/env python3
"""Builds TensorRT EPContext engines (fp16, explicit profiles, timing cache) for a bundle's UNets,
VAE and SAM image encoder on this GPU, and records them in the manifest under the GPU type.

    python infra/export/build_engines.py --bundle DIR [--gpu-type H100] [--device 0]

Needs onnxruntime-gpu with the TensorRT provider and the TensorRT libraries the service uses (run
it in the GPU image); see infra/export/README.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# No __pycache__ folders in the repository.
sys.dont_write_bytecode = True


def parse_args(argv: list[str]) -> argparse.Namespace:
    from zone_export.contract import ENGINE_ROLES

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", type=Path, required=True, help="a bundle made by export.py")
    parser.add_argument("--device", type=int, default=0, help="CUDA device index")
    parser.add_argument("--gpu-type", help="engine key (default: from the GPU's name, e.g. H100)")
    parser.add_argument("--roles", default=",".join(ENGINE_ROLES), help="comma-separated roles")
    parser.add_argument("--max-side", type=int, default=512, help="largest image side the profiles cover (px)")
    parser.add_argument("--workspace-gb", type=float, default=8.0, help="TensorRT builder workspace")
    parser.add_argument("--optimization-level", type=int, default=3, help="TensorRT builder level 0..5")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from zone_export.engine_builder import EngineOptions, build_engines
    from zone_export.report import all_passed, render

    manifest, checks = build_engines(
        EngineOptions(
            bundle=args.bundle,
            device=args.device,
            gpu_type=args.gpu_type,
            roles=args.roles.split(","),
            max_side=args.max_side,
            workspace_gb=args.workspace_gb,
            optimization_level=args.optimization_level,
        )
    )
    print(render(checks))
    print(f"bundle {manifest['id']}: engines recorded; run verify.py --files-only to check the files")
    return 0 if all_passed(checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
