"""The exporter's side of the bundle contract as JSON, for the TypeScript drift test
(test/export-contract.test.ts), with the standard library alone:

    python3 -m zone_export.contract_dump [--dims tiny|real]

Everything the runtime and the fixture builder must agree on: the roles (and which are optional),
the dtypes, each role's tensors with and without the samDecoder's mask statistics, the mask
statistics' names, fields and cut-offs, the manifest's constant parts (tokenizer and scheduler
paths, latent and attention constants) and the tokenizer's special tokens. The test compares each
with what shared/src/model-manifest.ts, the runtime and gpu-function/src/fixtures/ declare.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import contract
from .manifest import SCHEDULER_CONFIG_FILE, TOKENIZER_DIR, build_manifest, model_entry
from .tokenizer_files import END_ID, END_TOKEN, START_ID, START_TOKEN, VOCAB_SIZE

# The VAE's default latent scaling (diffusers AutoencoderKL, SD 1.5); the real export reads it from
# the model's config, the tiny models have the default.
SD_SCALING_FACTOR = 0.18215


def contract_json(dims: contract.ModelDims) -> dict:
    specs = {role: contract.spec_json(contract.role_spec(role, dims, False)) for role in contract.ROLES}
    manifest = build_manifest(
        bundle="contract",
        description="contract",
        models={role: model_entry(f"{role}.onnx", "0" * 64, spec) for role, spec in specs.items()},
        dims=dims,
        scaling_factor=SD_SCALING_FACTOR,
    )
    return {
        "roles": list(contract.ROLES),
        "optionalRoles": list(contract.OPTIONAL_ROLES),
        "dtypes": list(contract.DTYPES),
        "fp16Roles": list(contract.FP16_ROLES),
        "textTokens": contract.TEXT_TOKENS,
        "models": specs,
        "samDecoderWithStatistics": contract.spec_json(contract.role_spec("samDecoder", dims, True)),
        "maskStatistics": {
            "input": contract.SAM_FRAME_INPUT,
            "output": contract.SAM_STATS_OUTPUT,
            "fields": list(contract.MASK_STATS_FIELDS),
            "maskThreshold": contract.MASK_THRESHOLD,
            "stabilityOffset": contract.STABILITY_OFFSET,
        },
        "manifest": {key: manifest[key] for key in ("schemaVersion", "tokenizer", "scheduler", "latent", "attention")},
        "tokenizer": {
            "dir": TOKENIZER_DIR,
            "schedulerConfig": SCHEDULER_CONFIG_FILE,
            "start": [START_TOKEN, START_ID],
            "end": [END_TOKEN, END_ID],
            "vocabSize": VOCAB_SIZE,
        },
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dims", choices=("tiny", "real"), default="real")
    args = parser.parse_args(argv)
    print(json.dumps(contract_json(contract.TINY_DIMS if args.dims == "tiny" else contract.ModelDims()), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
