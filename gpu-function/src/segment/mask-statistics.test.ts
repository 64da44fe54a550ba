import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticDecoder, syntheticScene } from "../../test/synthetic-sam.ts";
import { samDecoderModel } from "../fixtures/fixture-models.ts";
import { maskStatisticsModel } from "../fixtures/mask-statistics-graph.ts";
import type { RgbImage } from "../image/types.ts";
import { openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import { onnxSignature } from "../runtime/bundle/onnx-signature.ts";
import { type HostTensor, ModelSession } from "../runtime/onnx-runtime.ts";
import { generateMasks, gridPoints } from "./automatic-masks.ts";
import { imageFrameTensor, MASK_STATS_WIDTH, readMaskStats, statisticsApply } from "./mask-statistics.ts";
import { decoderHasStatistics, onnxPointDecoder, type SamPointDecoder } from "./sam-decoder.ts";
import { embedImage } from "./sam-encoder.ts";
import { loadSamSessions, releaseSamSessions, type SamSessions } from "./sam-models.ts";
import { samFrame } from "./sam-preprocess.ts";
import { createUpscalePlan, type SamFrame } from "./upscale-plan.ts";
import { UpscaledMaskMeter } from "./upscaled-mask-meter.ts";

let dir: string;
let sam: SamSessions;
let statistics: ModelSession;
let decoderWithStatistics: ModelSession;

async function session(role: string, bytes: Uint8Array): Promise<ModelSession> {
  const file = `${role}.onnx`;
  await writeFile(join(dir, file), bytes);
  return ModelSession.create(role, join(dir, file), {
    file,
    sha256: "0".repeat(64),
    ...onnxSignature(bytes, role),
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "zone-mask-stats-"));
  const { dir: bundleDir, fixtures } = await resolveBundleDir("fixtures");
  sam = await loadSamSessions(await openBundle(bundleDir, fixtures));
  statistics = await session("maskStatistics", maskStatisticsModel());
  decoderWithStatistics = await session("samDecoder", samDecoderModel({ statistics: true }));
}, 60_000);
afterAll(async () => {
  await releaseSamSessions(sam);
  await statistics.release();
  await decoderWithStatistics.release();
  await rm(dir, { recursive: true, force: true });
});

/** The statistics graph's output for (1, P, 3, 256, 256) logits in `frame`. */
async function graphStats(lowRes: Float32Array, points: number, frame: SamFrame): Promise<Int32Array> {
  const out = await statistics.run({
    low_res_masks: { dtype: "float32", data: lowRes, dims: [1, points, 3, 256, 256] },
    image_frame: imageFrameTensor(frame),
  });
  expect(out.mask_stats.dims).toEqual([1, points, 3, MASK_STATS_WIDTH]);
  return out.mask_stats.data as Int32Array;
}

const grey = (width: number, height: number): RgbImage => ({
  width,
  height,
  data: new Uint8Array(width * height * 3).fill(128),
});

describe("the in-graph mask statistics (the samDecoder contract's optional extension)", () => {
  it.each([
    [512, 512],
    [512, 344],
    [451, 300],
    [300, 451],
    [37, 50],
  ])("equal the host meter's counts and box on SAM-like logits, %i x %i", async (width, height) => {
    const scene = syntheticScene(width, height, 3);
    const points = gridPoints(scene.frame, 4).subarray(0, 2 * 6);
    const decoded = await syntheticDecoder(scene)(points);
    const stats = await graphStats(decoded.lowRes!, 6, scene.frame);
    const meter = new UpscaledMaskMeter(createUpscalePlan(scene.frame, 256, 256), 0, 1);
    let nonEmpty = 0;
    for (let i = 0; i < 18; i++) {
      const host = meter.measure(decoded.lowRes!, i * 65536);
      meter.discard();
      expect(readMaskStats(stats, i), `mask ${i}`).toEqual(host);
      if (host.area > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(6);
  });

  it("gives zeros for an empty mask and the whole image for a full one", async () => {
    const frame = samFrame(40, 30);
    const lowRes = new Float32Array(3 * 65536);
    lowRes.fill(-5, 0, 65536); // empty
    lowRes.fill(5, 65536, 2 * 65536); // everything above +1
    lowRes.fill(0.5, 2 * 65536); // between 0 and +1
    const stats = await graphStats(lowRes, 1, frame);
    expect(Array.from(stats)).toEqual([
      ...[0, 0, 0, 0, 0, 0, 0],
      ...[1200, 1200, 1200, 0, 0, 39, 29],
      ...[0, 1200, 1200, 0, 0, 39, 29],
    ]);
    expect(readMaskStats(stats, 0)).toEqual({ aboveHigh: 0, area: 0, aboveLow: 0, box: null });
    expect(readMaskStats(stats, 2)).toEqual({
      aboveHigh: 0,
      area: 1200,
      aboveLow: 1200,
      box: [0, 0, 39, 29],
    });
  });

  it("measures only the resized image, not the padding (a mask that lives in the padding is empty)", async () => {
    const frame = samFrame(64, 32); // input 1024 x 512: low-res rows 128.. are padding
    const lowRes = new Float32Array(3 * 65536).fill(-5);
    for (let y = 140; y < 256; y++) lowRes.fill(5, y * 256, (y + 1) * 256);
    const stats = await graphStats(lowRes, 1, frame);
    expect(Array.from(stats.subarray(0, MASK_STATS_WIDTH))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("feed the frame as int64 [input h, input w, image h, image w]", () => {
    const t = imageFrameTensor({ width: 451, height: 300, size: 1024, inputWidth: 1024, inputHeight: 681 });
    expect(t).toEqual({ dtype: "int64", data: BigInt64Array.from([681n, 1024n, 300n, 451n]), dims: [4] });
  });

  it("answer only for the cut-offs baked into the graph (threshold 0, offset 1)", () => {
    expect(statisticsApply({ maskThreshold: 0, stabilityScoreOffset: 1 })).toBe(true);
    expect(statisticsApply({ maskThreshold: 0.5, stabilityScoreOffset: 1 })).toBe(false);
    expect(statisticsApply({ maskThreshold: 0, stabilityScoreOffset: 2 })).toBe(false);
  });
});

describe("a decoder with statistics", () => {
  const half = (input: boolean) =>
    ({
      role: "samDecoder",
      spec: {
        inputs: input ? [{ name: "image_frame" }] : [],
        outputs: input ? [] : [{ name: "mask_stats" }],
      },
    }) as unknown as ModelSession;

  it("is recognised by the image_frame input and mask_stats output together, never one alone", () => {
    expect(decoderHasStatistics(decoderWithStatistics)).toBe(true);
    expect(decoderHasStatistics(sam.decoder)).toBe(false);
    expect(() => decoderHasStatistics(half(true))).toThrow(
      /samDecoder: the mask statistics need both the image_frame input and the mask_stats output; the model has only image_frame/,
    );
    expect(() => decoderHasStatistics(half(false))).toThrow(/the model has only mask_stats/);
  });

  it("leaves the logits out when only statistics are asked for, and agrees with the meter", async () => {
    const embedding = await embedImage(sam.encoder, grey(451, 300));
    const decode = onnxPointDecoder(decoderWithStatistics, embedding);
    const points = Float64Array.from([100, 50, 400, 250, 225.5, 150]);
    const light = await decode(points, { statisticsOnly: true });
    expect(light.lowRes).toBeNull();
    expect(light.stats?.length).toBe(3 * 3 * MASK_STATS_WIDTH);
    const full = await decode(points);
    expect(full.lowRes?.length).toBe(3 * 3 * 65536);
    expect(Array.from(full.stats!)).toEqual(Array.from(light.stats!));
    const meter = new UpscaledMaskMeter(createUpscalePlan(embedding.frame, 256, 256), 0, 1);
    for (let i = 0; i < 9; i++) {
      expect(readMaskStats(light.stats!, i)).toEqual(meter.measure(full.lowRes!, i * 65536));
      meter.discard();
    }
  });

  it("rejects mask_stats of the wrong shape, naming it", async () => {
    const embedding = await embedImage(sam.encoder, grey(64, 64));
    const outputs: Record<string, HostTensor> = {
      iou_scores: { dtype: "float32", data: new Float32Array(3), dims: [1, 1, 3] },
      mask_stats: { dtype: "int32", data: new Int32Array(3 * 6), dims: [1, 1, 3, 6] },
    };
    const fake = {
      role: "fake",
      spec: decoderWithStatistics.spec,
      run: async () => outputs,
    } as unknown as ModelSession;
    await expect(
      onnxPointDecoder(fake, embedding)(Float64Array.from([1, 1]), { statisticsOnly: true }),
    ).rejects.toThrow(
      /and mask_stats int32\[1, 1, K, 7\]; got low_res_masks missing, iou_scores float32\[1, 1, 3\], mask_stats int32\[1, 1, 3, 6\]/,
    );
  });
});

describe("generateMasks from the decoder's statistics", () => {
  async function both(width: number, height: number, overrides = {}) {
    const embedding = await embedImage(sam.encoder, grey(width, height));
    const calls: Array<{ points: number; statisticsOnly: boolean }> = [];
    const counted =
      (decode: SamPointDecoder): SamPointDecoder =>
      async (points, request) => {
        calls.push({ points: points.length / 2, statisticsOnly: request?.statisticsOnly === true });
        return decode(points, request);
      };
    const options = { pointsPerSide: 4, pointsPerBatch: 5, ...overrides };
    const host = await generateMasks(
      onnxPointDecoder(sam.decoder, embedding),
      embedding.frame,
      null,
      options,
    );
    const graph = await generateMasks(
      counted(onnxPointDecoder(decoderWithStatistics, embedding)),
      embedding.frame,
      null,
      options,
    );
    return { host, graph, calls };
  }

  it("keeps the same masks, boxes, scores and pixels as the host meter, decoding kept points again", async () => {
    const { host, graph, calls } = await both(451, 300);
    expect(host.measuredBy).toBe("host-meter");
    expect(graph.measuredBy).toBe("decoder-statistics");
    expect(graph.masks.length).toBeGreaterThan(2);
    expect(graph.masks).toEqual(host.masks);
    expect({ ...graph.counts, redecoded: 0 }).toEqual(host.counts);
    // 16 grid points in batches of 5 (statistics only), then the kept masks' points again.
    const distinct = new Set(graph.masks.map((m) => m.point.join())).size;
    expect(graph.counts.redecoded).toBe(distinct);
    expect(calls.filter((c) => c.statisticsOnly).map((c) => c.points)).toEqual([5, 5, 5, 1]);
    expect(calls.filter((c) => !c.statisticsOnly).reduce((n, c) => n + c.points, 0)).toBe(distinct);
  });

  it("falls back to the host meter for cut-offs the graph does not have", async () => {
    const { host, graph, calls } = await both(256, 256, { maskThreshold: 0.5 });
    expect(graph.measuredBy).toBe("host-meter");
    expect(graph.masks).toEqual(host.masks);
    expect(calls.every((c) => !c.statisticsOnly)).toBe(true);
    expect(graph.counts.redecoded).toBe(0);
  });
});
