// The chain guarantees (method section 6), on the fixture bundle through the service's own edit
// path: each turn edits the decoded result file of the one before, as POST /v1/edits with `parent`
// does. Over chains of 3 to 5 turns: pixels outside the union of the layers are the original's;
// the render of all layers is the last result file byte for byte; the render without the last
// turn (undo) is the parent's result file byte for byte; and a JPEG tip (lossy, the last turn's
// own choice) is reproduced byte for byte too, because the chain itself stays lossless.
import { type GpuEditParamsInput, gpuEditParamsSchema, parseGpuRenderParams } from "@zone/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { builtInProfile, generateFile } from "../../test/input-files.ts";
import { fixtureModelsOnce } from "../../test/service-support.ts";
import { syntheticScene } from "../demo/synthetic-scene.ts";
import { encodePng } from "../image/io.ts";
import { decodeInput } from "../image/source-image.ts";
import type { ZoneModels } from "../pipeline/zone-models.ts";
import { runServiceEdit } from "../service/run-edit.ts";
import { decodeLayer, renderFiles } from "./render-files.ts";

const models = fixtureModelsOnce();
let zone: ZoneModels;
beforeAll(async () => {
  zone = (await models()).models;
}, 120_000);

const INSTRUCTIONS = [
  "make the ball blue",
  "add a hat on the ball",
  "remove the box",
  "turn the sky orange",
  "make the ground green",
];

interface Turn {
  result: Buffer;
  layer: Buffer;
  ring: "round" | "truncate";
}

/** Turns 1..n, each on the previous turn's result file (the first on `original`). */
async function chain(
  original: Uint8Array,
  n: number,
  last: Partial<GpuEditParamsInput> = {},
): Promise<Turn[]> {
  const turns: Turn[] = [];
  let input: Uint8Array = original;
  for (let k = 0; k < n; k++) {
    const params = gpuEditParamsSchema.parse({
      instruction: INSTRUCTIONS[k],
      seed: 11 + k,
      steps: 2,
      ...(k === n - 1 ? last : {}),
    });
    const outcome = await runServiceEdit(
      zone,
      { image: await decodeInput(input), params },
      new AbortController().signal,
    );
    const part = (name: string) => outcome.parts.find((p) => p.name === name)?.bytes as Buffer;
    turns.push({
      result: part("result"),
      layer: part("layer"),
      ring: outcome.meta.fidelity === "release" ? "truncate" : "round",
    });
    input = part("result");
  }
  return turns;
}

const render = (
  original: Uint8Array,
  turns: Turn[],
  output: { output?: "png" | "jpeg" | "webp"; quality?: number } = {},
) =>
  renderFiles({
    original,
    layers: turns.map((t) => t.layer),
    reference: turns.length === 0 ? null : turns[turns.length - 1].result,
    params: parseGpuRenderParams({ rings: turns.map((t) => t.ring), ...output }),
  });

/** Pixels where any layer's alpha is not 0. */
async function layerUnion(turns: Turn[], size: number): Promise<Uint8Array> {
  const union = new Uint8Array(size);
  for (const t of turns) {
    const layer = await decodeLayer(t.layer, "layer");
    for (let i = 0; i < size; i++) if (layer.data[i * 4 + 3] !== 0) union[i] = 1;
  }
  return union;
}

describe.each([3, 5])("a chain of %i turns (8-bit sRGB PNG)", (n) => {
  const original = syntheticScene(64, 48, 5).image;
  let png: Buffer;
  let turns: Turn[];
  beforeAll(async () => {
    png = await encodePng(original);
    turns = await chain(png, n);
  }, 120_000);

  it("changes something in every turn (the test would be vacuous otherwise)", async () => {
    for (const t of turns) {
      const layer = await decodeLayer(t.layer, "layer");
      expect(layer.data.some((v, i) => i % 4 === 3 && v !== 0)).toBe(true);
    }
  });

  it("keeps every pixel outside the union of the layers exactly as the original upload", async () => {
    const last = (await decodeInput(turns[n - 1].result)).source;
    const union = await layerUnion(turns, original.width * original.height);
    let outside = 0;
    for (let i = 0; i < union.length; i++) {
      if (union[i]) continue;
      outside++;
      for (let c = 0; c < 3; c++) expect(last.data[i * 3 + c]).toBe(original.data[i * 3 + c]);
    }
    expect(outside).toBeGreaterThan(0);
  });

  it("renders all layers to the last result, byte for byte", async () => {
    expect((await render(png, turns)).bytes.equals(turns[n - 1].result)).toBe(true);
  });

  it("undoes the last turn to the parent's result, byte for byte", async () => {
    expect((await render(png, turns.slice(0, -1))).bytes.equals(turns[n - 2].result)).toBe(true);
  });

  it("leaves out a middle turn: the kept layers over the original, not the last result (the documented limit)", async () => {
    const kept = turns.filter((_, k) => k !== 1);
    const { image } = await render(png, kept);
    expect(
      Buffer.from(image.data).equals(Buffer.from((await decodeInput(turns[n - 1].result)).source.data)),
    ).toBe(false);
    const union = await layerUnion(kept, original.width * original.height);
    for (let i = 0; i < union.length; i++)
      if (!union[i]) for (let c = 0; c < 3; c++) expect(image.data[i * 3 + c]).toBe(original.data[i * 3 + c]);
  });

  it("renders no layers to the original's pixels", async () => {
    const { image } = await render(png, []);
    expect(Buffer.from(image.data).equals(Buffer.from(original.data))).toBe(true);
  });
});

describe("a chain on a 16-bit PNG with alpha and an ICC profile (the own-terms composite)", () => {
  let file: Awaited<ReturnType<typeof generateFile>>;
  let turns: Turn[];
  beforeAll(async () => {
    const icc = await builtInProfile("p3");
    file = await generateFile({
      format: "png",
      grey: false,
      alpha: true,
      depth: 16,
      icc,
      width: 64,
      height: 48,
      seed: 3,
    });
    turns = await chain(file.bytes, 3);
  }, 120_000);

  it("renders all layers and the undo byte for byte", async () => {
    expect((await render(file.bytes, turns)).bytes.equals(turns[2].result)).toBe(true);
    expect((await render(file.bytes, turns.slice(0, 2))).bytes.equals(turns[1].result)).toBe(true);
  });

  it("keeps the original's samples (alpha included) outside the union of the layers", async () => {
    const last = (await decodeInput(turns[2].result)).source;
    const union = await layerUnion(turns, file.width * file.height);
    for (let i = 0; i < union.length; i++) {
      if (union[i]) continue;
      for (let c = 0; c < 4; c++) expect(last.data[i * 4 + c]).toBe(file.pixels[i * 4 + c]);
    }
  });
});

describe("a lossy tip", () => {
  it("a JPEG last turn over a lossless chain is reproduced byte for byte by a JPEG render", async () => {
    const png = await encodePng(syntheticScene(64, 48, 9).image);
    const turns = await chain(png, 3, { output: "jpeg", quality: 80 });
    expect((await render(png, turns, { output: "jpeg", quality: 80 })).bytes.equals(turns[2].result)).toBe(
      true,
    );
  }, 120_000);
});
