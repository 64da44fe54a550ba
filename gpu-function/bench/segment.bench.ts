// `npm run bench:segment`: the cost of Segment Anything's automatic mask generation after the
// decoder (predicted-IoU and stability filters, upscaling to the image, boxes, NMS, drawing the
// kept masks) for the release's 1024 grid points on a 512 x 512 image, on the CPU; and the
// guided mode's point counts and agreement with the full grid on synthetic scenes.
//
// The decoder outputs are made once and replayed, so only the post-processing is timed: a
// synthetic scene (SAM-like masks and predicted IoUs, see test/synthetic-sam.ts), the
// same with every mask passing the IoU filter (the worst case), and the fixture decoder's discs.
// Each is timed both ways the generator measures masks: on the host from the logits (the CPU
// path), and from the decoder's in-graph statistics (the exported GPU decoder's path; here the
// statistics graph runs once on ONNX Runtime's CPU provider while recording, untimed, and its
// numbers are checked against the host meter's).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { maskStatisticsModel } from "../src/fixtures/mask-statistics-graph.ts";
import type { Mask } from "../src/image/types.ts";
import { openBundle, resolveBundleDir } from "../src/runtime/bundle/bundle.ts";
import { onnxSignature } from "../src/runtime/bundle/onnx-signature.ts";
import { ModelSession } from "../src/runtime/onnx-runtime.ts";
import { generateMasks, gridPoints } from "../src/segment/automatic-masks.ts";
import { imageFrameTensor, readMaskStats } from "../src/segment/mask-statistics.ts";
import { onnxPointDecoder, type SamDecoderOutput, type SamPointDecoder } from "../src/segment/sam-decoder.ts";
import { embedImage } from "../src/segment/sam-encoder.ts";
import { loadSamSessions, releaseSamSessions } from "../src/segment/sam-models.ts";
import type { SamFrame } from "../src/segment/upscale-plan.ts";
import { createUpscalePlan } from "../src/segment/upscale-plan.ts";
import { UpscaledMaskMeter } from "../src/segment/upscaled-mask-meter.ts";
import { measureGuidedAgreement } from "../test/guided-agreement.ts";
import { blockyRoughMask, syntheticDecoder, syntheticScene } from "../test/synthetic-sam.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SIZE = 512;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[xs.length >> 1];

interface Recording {
  /** A fresh decoder replaying the recorded batches (logits only, as a decoder without statistics). */
  replay: () => SamPointDecoder;
  /** The same batches with in-graph statistics: statistics-only requests replay them, others decode live. */
  replayWithStatistics: () => SamPointDecoder;
  frame: SamFrame;
}

const statsDir = await mkdtemp(join(tmpdir(), "zone-bench-stats-"));
const statsBytes = maskStatisticsModel();
await writeFile(join(statsDir, "stats.onnx"), statsBytes);
const statsSession = await ModelSession.create("maskStatistics", join(statsDir, "stats.onnx"), {
  file: "stats.onnx",
  sha256: "0".repeat(64),
  ...onnxSignature(statsBytes, "maskStatistics"),
});
const statsMs: number[] = [];
let statsChecked = 0;
let statsDiffer = 0;

/** Decodes the grid once, in the generator's batches of 64, and computes the batches' statistics. */
async function recorded(decode: SamPointDecoder, frame: SamFrame): Promise<Recording> {
  const points = gridPoints(frame, 32);
  const batches: SamDecoderOutput[] = [];
  const statistics: Int32Array[] = [];
  const meter = new UpscaledMaskMeter(createUpscalePlan(frame, 256, 256), 0, 1);
  for (let i = 0; i < 1024; i += 64) {
    const batch = await decode(points.subarray(2 * i, 2 * (i + 64)));
    const lowRes = batch.lowRes!;
    const start = performance.now();
    const out = await statsSession.run({
      low_res_masks: {
        dtype: "float32",
        data: lowRes,
        dims: [1, batch.points, batch.masksPerPoint, 256, 256],
      },
      image_frame: imageFrameTensor(frame),
    });
    statsMs.push(performance.now() - start);
    const stats = out.mask_stats.data as Int32Array;
    for (let m = 0; m < batch.points * batch.masksPerPoint; m++) {
      const fromGraph = readMaskStats(stats, m);
      const fromHost = meter.measure(lowRes, m * 65536);
      meter.discard();
      statsChecked++;
      if (JSON.stringify(fromGraph) !== JSON.stringify(fromHost)) statsDiffer++;
    }
    batches.push(batch);
    statistics.push(stats);
  }
  return {
    frame,
    replay: () => {
      let next = 0;
      return async () => batches[next++];
    },
    replayWithStatistics: () => {
      let next = 0;
      return async (points, request) =>
        request?.statisticsOnly
          ? { ...batches[next], lowRes: null, stats: statistics[next++] }
          : decode(points);
    },
  };
}

async function timePostprocess(
  label: string,
  replay: () => SamPointDecoder,
  frame: SamFrame,
): Promise<number> {
  const times: number[] = [];
  let result = null;
  for (let run = 0; run <= RUNS; run++) {
    result = await generateMasks(replay(), frame, null);
    if (run > 0) times.push(result.timingsMs.postprocess); // run 0 warms up
  }
  const c = result!.counts;
  const ms = median(times);
  console.log(
    `  ${label.padEnd(44)} ${ms.toFixed(1).padStart(6)} ms (min ${sorted(times)[0].toFixed(1).padStart(5)})  ` +
      `${c.decoded} masks -> ${c.passedIou} pass IoU -> ${c.passedStability} pass stability -> ${c.kept} kept` +
      (result!.measuredBy === "host-meter"
        ? `; ${((1000 * ms) / c.passedIou).toFixed(0)} us per measured mask`
        : `; ${c.redecoded} points decoded again to draw them`),
  );
  return ms;
}

async function timeBothWays(label: string, recording: Recording): Promise<void> {
  const host = await timePostprocess(`${label}, host meter`, recording.replay, recording.frame);
  const graph = await timePostprocess(
    `${label}, decoder statistics`,
    recording.replayWithStatistics,
    recording.frame,
  );
  console.log(`  ${"".padEnd(44)} statistics / host meter: ${(graph / host).toFixed(2)}`);
}

console.log(
  `Segment Anything post-processing, 1024 points (32 x 32), ${SIZE} x ${SIZE}, CPU; median of ${RUNS} runs (Node ${process.version})`,
);
const scene = syntheticScene(SIZE, SIZE, 1);
await timeBothWays("synthetic scene", await recorded(syntheticDecoder(scene), scene.frame));
await timeBothWays(
  "synthetic, every mask passes IoU",
  await recorded(syntheticDecoder(scene, { levelIou: [0.95, 0.95, 0.95], iouSpread: 0 }), scene.frame),
);
{
  const { dir, fixtures } = await resolveBundleDir("fixtures");
  const sam = await loadSamSessions(await openBundle(dir, fixtures));
  const image = { width: SIZE, height: SIZE, data: new Uint8Array(SIZE * SIZE * 3).fill(128) };
  const embedding = await embedImage(sam.encoder, image);
  const recording = await recorded(onnxPointDecoder(sam.decoder, embedding), embedding.frame);
  await timeBothWays("fixture decoder (discs)", recording);
  await releaseSamSessions(sam);
}
console.log(
  `  in-graph statistics on ONNX Runtime's CPU provider (recording, untimed above): median ${median(statsMs).toFixed(0)} ms per batch of 64 points; ` +
    `they equal the host meter's counts and box for ${statsChecked - statsDiffer} of ${statsChecked} masks`,
);
await statsSession.release();
await rm(statsDir, { recursive: true, force: true });

const shift = (m: Mask, d: number): Mask => {
  const data = new Uint8Array(m.data.length);
  for (let y = d; y < m.height; y++)
    data.set(m.data.subarray((y - d) * m.width, (y - d + 1) * m.width - d), y * m.width + d);
  return { ...m, data };
};
const topHalf = (m: Mask): Mask => {
  const rows = [...m.data.keys()].filter((i) => m.data[i]).map((i) => Math.floor(i / m.width));
  const cut = (Math.min(...rows) + Math.max(...rows)) / 2;
  return { ...m, data: m.data.map((v, i) => (Math.floor(i / m.width) < cut ? v : 0)) };
};
const union = (a: Mask, b: Mask): Mask => ({ ...a, data: a.data.map((v, i) => v | b.data[i]) });

console.log(
  `\nGuided vs full grid on synthetic ${SIZE} x ${SIZE} scenes: Region-IoU's pick from each, compared by IoU. Rough masks made
from the target object (the third largest) on a grid of cells, like ZONE's attention mask; guide margin 1 grid step`,
);
const agreements: number[] = [];
const ratios: number[] = [];
for (const seed of [1, 2, 3, 4, 5, 6]) {
  const s = syntheticScene(SIZE, SIZE, seed);
  const areas = s.objects.map((o) => o.data.reduce((n, v) => n + (v ? 1 : 0), 0));
  const bySize = areas.map((_, k) => k).sort((a, b) => areas[b] - areas[a]);
  const target = s.objects[bySize[2]];
  const decode = syntheticDecoder(s);
  for (const [name, rough] of [
    ["32-px cells", blockyRoughMask(target, 32)],
    ["16-px cells", blockyRoughMask(target, 16)],
    ["shifted 24 px", blockyRoughMask(shift(target, 24), 32)],
    ["top half only", blockyRoughMask(topHalf(target), 16)],
    ["with a 2nd object", blockyRoughMask(union(target, s.objects[bySize[3]]), 32)],
  ] as const) {
    const a = await measureGuidedAgreement(decode, s.frame, rough);
    agreements.push(a.agreementIou);
    ratios.push(a.guided.points / a.full.points);
    console.log(
      `  scene ${seed}, ${name.padEnd(17)} full: ${a.full.points} points, ${String(a.full.candidates).padStart(2)} candidates, R ${a.full.regionIou.toFixed(3)} | ` +
        `guided: ${String(a.guided.points).padStart(3)} points, ${String(a.guided.candidates).padStart(2)} candidates, R ${a.guided.regionIou.toFixed(3)}, ` +
        `post ${a.guided.postprocessMs.toFixed(0).padStart(3)} ms | agreement IoU ${a.agreementIou.toFixed(3)}`,
    );
  }
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `  guided decodes ${(100 * Math.min(...ratios)).toFixed(0)}-${(100 * Math.max(...ratios)).toFixed(0)}% of the grid's points (mean ${(100 * mean(ratios)).toFixed(0)}%); ` +
    `agreement IoU min ${Math.min(...agreements).toFixed(3)}, mean ${mean(agreements).toFixed(3)}, ` +
    `1.000 in ${agreements.filter((a) => a === 1).length} of ${agreements.length} cases`,
);
