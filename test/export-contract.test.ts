// The exporter and the runtime must not drift apart: the exporter's contract
// (infra/export/zone_export/contract.py and friends, dumped as JSON by zone_export.contract_dump
// with the standard library alone) against what shared/src/model-manifest.ts declares, what the
// fixture builder (gpu-function/src/fixtures/) writes, and the names and constants the runtime
// reads the models with. Every comparison is between the two sides' own definitions, so a change
// on either side that the other does not follow fails here, in any role, tensor name, dtype,
// dimension or constant. (The exported bundles themselves: test/export-bundle.test.ts.)
import { join } from "node:path";
import { MODEL_ROLES, OPTIONAL_ROLES, TENSOR_DTYPES } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { buildFixtureBundle } from "../gpu-function/src/fixtures/fixture-bundle.ts";
import {
  CONTEXT_LENGTH,
  END_TOKEN,
  START_TOKEN,
} from "../gpu-function/src/runtime/tokenizer/clip-tokenizer.ts";
import {
  MASK_STATS_CUTS,
  MASK_STATS_INPUT,
  MASK_STATS_OUTPUT,
  MASK_STATS_WIDTH,
} from "../gpu-function/src/segment/mask-statistics.ts";
import { SAM_DECODER_INPUTS, SAM_DECODER_OUTPUTS } from "../gpu-function/src/segment/sam-decoder.ts";
import { SAM_ENCODER_INPUT, SAM_ENCODER_OUTPUT } from "../gpu-function/src/segment/sam-encoder.ts";
import { type ExporterContract, exporterContract } from "./exporter-contract.ts";

const contract = exporterContract("tiny");
if (contract === null) console.warn("SKIPPED: python3 is not on PATH; the exporter's contract needs it");
const names = (tensors: Array<{ name: string }>) => tensors.map((t) => t.name);

describe.skipIf(contract === null)(
  "the exporter's contract = the runtime's and the fixture builder's",
  () => {
    const c = contract as ExporterContract;
    const fixture = buildFixtureBundle();
    const vocab = JSON.parse(fixture.files.get("tokenizer/vocab.json") as string) as Record<string, number>;

    it("has the same roles, optional roles and dtypes as shared/src/model-manifest.ts", () => {
      expect(c.roles).toEqual([...MODEL_ROLES]);
      expect(c.optionalRoles).toEqual([...OPTIONAL_ROLES]);
      expect(c.dtypes).toEqual([...TENSOR_DTYPES]);
      for (const role of c.fp16Roles) expect(MODEL_ROLES).toContain(role);
    });

    it.each([...MODEL_ROLES])(
      "%s: the fixture bundle's tensors are the contract's (names, dtypes, shapes, order)",
      (role) => {
        const entry = fixture.manifest.models[role];
        expect(entry, role).toBeDefined();
        expect({ inputs: entry?.inputs, outputs: entry?.outputs }).toEqual(c.models[role]);
      },
    );

    it("the manifest's constant parts (schema version, tokenizer, scheduler, latent, attention) agree", () => {
      const { schemaVersion, tokenizer, scheduler, latent, attention } = fixture.manifest;
      expect({ schemaVersion, tokenizer, scheduler, latent, attention }).toEqual(c.manifest);
      expect(join(c.tokenizer.dir)).toBe(tokenizer.dir);
      expect(c.tokenizer.schedulerConfig).toBe(scheduler.config);
    });

    it("the runtime reads the SAM tensors and the mask statistics by the contract's names and sizes", () => {
      const encoder = c.models.samEncoder;
      expect([SAM_ENCODER_INPUT]).toEqual(names(encoder.inputs));
      expect([SAM_ENCODER_OUTPUT]).toEqual(names(encoder.outputs));
      const plain = c.models.samDecoder;
      expect(Object.values(SAM_DECODER_INPUTS)).toEqual(names(plain.inputs));
      expect(Object.values(SAM_DECODER_OUTPUTS)).toEqual(names(plain.outputs));
      const stats = c.samDecoderWithStatistics;
      expect(names(stats.inputs)).toEqual([...names(plain.inputs), MASK_STATS_INPUT]);
      expect(names(stats.outputs)).toEqual([...names(plain.outputs), MASK_STATS_OUTPUT]);
      expect(c.maskStatistics).toMatchObject({ input: MASK_STATS_INPUT, output: MASK_STATS_OUTPUT });
      expect(c.maskStatistics.fields).toHaveLength(MASK_STATS_WIDTH);
      expect(stats.outputs.at(-1)?.shape.at(-1)).toBe(MASK_STATS_WIDTH);
      expect({
        maskThreshold: c.maskStatistics.maskThreshold,
        stabilityScoreOffset: c.maskStatistics.stabilityOffset,
      }).toEqual(MASK_STATS_CUTS);
    });

    it("the text side: 77 tokens, CLIP's special tokens at the same ids in the fixture tokenizer", () => {
      expect(c.textTokens).toBe(CONTEXT_LENGTH);
      expect(c.models.textEncoder.inputs[0].shape).toEqual(["batch", CONTEXT_LENGTH]);
      expect(c.tokenizer.start).toEqual([START_TOKEN, vocab[START_TOKEN]]);
      expect(c.tokenizer.end).toEqual([END_TOKEN, vocab[END_TOKEN]]);
    });

    it("the real sizes differ from the tiny ones only in the text width (the fixture's sizes are the tiny ones)", () => {
      const real = exporterContract("real") as ExporterContract;
      const width = (x: ExporterContract) => x.models.textEncoder.outputs[1].shape[1];
      expect([width(c), width(real)]).toEqual([32, 768]);
      const widen = (x: ExporterContract) => JSON.stringify(x.models).replaceAll(`,${width(x)}]`, ",W]");
      expect(widen(real)).toBe(widen(c));
      expect(real.manifest).toEqual(c.manifest);
    });
  },
);
