// `npm run bench:compose`: median per-stage and total times of the compose stage at 512x512 and
// 1024x768, with 4 and with 100 candidate segments, and at the working frames of real photo
// shapes (1:1, 4:3, 3:2, 16:9, both orientations), against a numpy + OpenCV implementation of
// the same stages run on the same inputs in the same run (when python3 has numpy and cv2). The
// "core" is what runs at the working resolution: Region-IoU, dilation, edge smoother, layer.
// Then the input kinds: the 8-bit sRGB path before and after the own-terms compose (the old
// decode -> composite -> PNG kept here for the A/B, same inputs, same run, interleaved), and the
// cost of the Display P3 and 16-bit paths (decode of the file's own pixels, the layer's box
// converted into its profile, composite at 16 bits, PNG with the profile spliced in).
// Prints numbers only; nothing here is a test.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  changedRegion,
  composeOverOriginal,
  composeWorking,
  type WorkingComposition,
} from "../src/compose/compose-edit.ts";
import { compositeOver } from "../src/compose/composite.ts";
import { mulberry32 } from "../src/demo/prng.ts";
import { ellipseMask, recolourBlue, syntheticEdit } from "../src/demo/synthetic-edit.ts";
import { syntheticScene } from "../src/demo/synthetic-scene.ts";
import { encodeOutput } from "../src/image/encode-output.ts";
import { decodeImage, encodePng } from "../src/image/io.ts";
import { resizeRgb, resizeRgbaContent } from "../src/image/resize.ts";
import { decodeInput } from "../src/image/source-image.ts";
import type { Mask, RgbImage } from "../src/image/types.ts";
import { toWorkingMask, toWorkingRgb } from "../src/image/working-frame.ts";
import { workingResolution } from "../src/image/working-resolution.ts";
import { roughMaskFromDifference } from "../src/localize/rough-from-difference.ts";
import { builtInProfile, sceneFile } from "../test/input-files.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Case {
  name: string;
  width: number;
  height: number;
  candidates: number;
}

const CASES: Case[] = [
  { name: "512x512-4", width: 512, height: 512, candidates: 4 },
  { name: "512x512-100", width: 512, height: 512, candidates: 100 },
  { name: "1024x768-4", width: 1024, height: 768, candidates: 4 },
  { name: "1024x768-100", width: 1024, height: 768, candidates: 100 },
  // Working frames (width x height) of the padded photo shapes; originals at that size.
  ...[
    [512, 384],
    [384, 512],
    [512, 352],
    [352, 512],
    [512, 288],
    [288, 512],
  ].map(([width, height]) => ({ name: `frame-${width}x${height}-4`, width, height, candidates: 4 })),
];

const CORE = ["regionIou", "dilate", "edgeSmoother", "layer"];

// SAM-like candidates at the working resolution: the edited object plus random ellipses.
function candidateMasks(w: number, h: number, count: number, target: Mask, seed: number): Mask[] {
  const random = mulberry32(seed);
  const out: Mask[] = [];
  for (let i = 0; i < count - 1; i++) {
    out.push(ellipseMask(w, h, random() * w, random() * h, 8 + random() * w * 0.3, 8 + random() * h * 0.3));
  }
  out.splice(Math.floor(random() * count), 0, target);
  return out;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "zone-bench-"));
  const prepared = [];
  for (const c of CASES) {
    const scene = syntheticScene(c.width, c.height);
    const original = scene.image;
    const edited = syntheticEdit(original, scene.target, { recolour: recolourBlue });
    const work = workingResolution(c.width, c.height);
    const [originalW, editedW, targetW] = await Promise.all([
      toWorkingRgb(original, work),
      toWorkingRgb(edited, work),
      toWorkingMask(scene.target, work),
    ]);
    // The rough mask stands in for the attention mask; it is an input here, as in `zone edit`.
    const rough = roughMaskFromDifference(editedW, originalW);
    const candidates = candidateMasks(work.width, work.height, c.candidates, targetW, 11);
    prepared.push({ c, original, edited, work, rough, candidates });
    await writeFile(join(dir, `${c.name}-original-work.raw`), originalW.data);
    await writeFile(join(dir, `${c.name}-edited-work.raw`), editedW.data);
    const files = {
      originalWork: `${c.name}-original-work.raw`,
      editedWork: `${c.name}-edited-work.raw`,
      original: `${c.name}-original.raw`,
      edited: `${c.name}-edited.raw`,
      rough: `${c.name}-rough.raw`,
      candidates: `${c.name}-candidates.raw`,
    };
    await writeFile(join(dir, files.original), original.data);
    await writeFile(join(dir, files.edited), edited.data);
    await writeFile(join(dir, files.rough), rough.data);
    const all = new Uint8Array(candidates.length * work.width * work.height);
    for (const [i, m] of candidates.entries()) all.set(m.data, i * m.data.length);
    await writeFile(join(dir, files.candidates), all);
    Object.assign(c, {
      ...files,
      workWidth: work.width,
      workHeight: work.height,
      candidateCount: candidates.length,
    });
  }
  await writeFile(join(dir, "cases.json"), JSON.stringify(CASES));

  console.log(`compose stage, median of ${RUNS} runs after ${WARMUP} warm-up runs (Node ${process.version})`);
  const ours: Record<string, { stages: Record<string, number>; total: number; core: number; finals: Mask }> =
    {};
  for (const { c, original, edited, work, rough, candidates } of prepared) {
    const samples: Array<Record<string, number>> = [];
    let finals: Mask | null = null;
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t: Record<string, number> = {};
      const start = performance.now();
      const [originalW, editedW] = await Promise.all([
        toWorkingRgb(original, work),
        toWorkingRgb(edited, work),
      ]);
      if (work.width !== c.width) t.prepare = performance.now() - start;
      const composed = composeWorking(originalW, editedW, rough, candidates);
      Object.assign(t, composed.timingsMs);
      delete t.rough; // given, as from the attention maps
      const { summary } = await composeOverOriginal(original, composed, { content: work.content });
      if (work.width !== c.width) t.scaleBack = summary.timingsMs.scaleBack;
      t.compositeFull = summary.timingsMs.compositeFull;
      if (i >= WARMUP) samples.push(t);
      finals = composed.masks.final;
      if (i === 0) {
        const on = finals.data.reduce((sum, v) => sum + (v & 1), 0);
        const fine = composed.fine.source === "segment" ? `segment ${composed.fine.index}` : "the rough mask";
        console.log(`${c.name}: final mask ${on} px, fine mask ${fine}`);
      }
    }
    const stages = Object.fromEntries(
      Object.keys(samples[0]).map((k) => [k, median(samples.map((s) => s[k]))]),
    );
    const total = median(samples.map((s) => Object.values(s).reduce((a, b) => a + b, 0)));
    const core = median(samples.map((s) => CORE.reduce((a, k) => a + (s[k] ?? 0), 0)));
    ours[c.name] = { stages, total, core, finals: finals! };
  }

  // Extra costs outside the core: the difference-based rough mask and PNG encoding of the result.
  const big = prepared[2];
  const roughTimes: number[] = [];
  const pngTimes: number[] = [];
  for (let i = 0; i < 7; i++) {
    const o = await toWorkingRgb(big.original, big.work);
    const e = await toWorkingRgb(big.edited, big.work);
    let start = performance.now();
    roughMaskFromDifference(e, o);
    roughTimes.push(performance.now() - start);
    start = performance.now();
    await encodePng(big.original);
    pngTimes.push(performance.now() - start);
  }

  let baseline: {
    numpy: string;
    opencv: string;
    cases: Record<string, { stages: Record<string, number>; total: number; core: number }>;
  } | null = null;
  let baselineNote = "";
  for (const python of ["python3", "/usr/bin/python3"]) {
    try {
      const out = execFileSync(
        python,
        [join(import.meta.dirname, "compose_baseline.py"), dir, String(RUNS)],
        {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      baseline = JSON.parse(out);
      baselineNote = `${python}: numpy ${baseline!.numpy}, OpenCV ${baseline!.opencv}`;
      break;
    } catch (error) {
      baselineNote = `baseline not run: no python3 with numpy and OpenCV (Debian: apt-get install python3-opencv); last error: ${String((error as Error).message).split("\n")[0]}`;
    }
  }
  console.log(baselineNote);
  const fmt = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(2));
  for (const { c, work } of prepared) {
    const mine = ours[c.name];
    const ref = baseline?.cases[c.name];
    console.log(
      `\n${c.name.replace(/-(\d+)$/, " with $1 candidates")} (working ${work.width}x${work.height})`,
    );
    console.log("  stage             zone (ms)   numpy+cv2 (ms)");
    for (const [k, v] of Object.entries(mine.stages)) {
      const refValue = ref?.stages[k === "layer" ? "layer+composite" : k];
      console.log(`  ${k.padEnd(16)}  ${fmt(v).padStart(9)}   ${fmt(refValue).padStart(14)}`);
    }
    console.log(`  ${"total".padEnd(16)}  ${fmt(mine.total).padStart(9)}   ${fmt(ref?.total).padStart(14)}`);
    if (ref) {
      const theirs = new Uint8Array(await readFile(join(dir, `final-${c.name}.raw`)));
      let inter = 0;
      let union = 0;
      for (let i = 0; i < theirs.length; i++) {
        const a = mine.finals.data[i] !== 0;
        const b = theirs[i] !== 0;
        if (a && b) inter++;
        if (a || b) union++;
      }
      const agreement = union === 0 ? 1 : inter / union;
      console.log(
        `  ratio zone / numpy+cv2: total ${(mine.total / ref.total).toFixed(2)}, core ${(mine.core / ref.core).toFixed(2)} (${fmt(mine.core)} / ${fmt(ref.core)} ms); final mask IoU with the reference: ${agreement.toFixed(4)}`,
      );
    }
  }
  console.log(
    `\nnot in the totals: rough mask from the image difference ${fmt(median(roughTimes))} ms, PNG encode of a 1024x768 result ${fmt(median(pngTimes))} ms`,
  );
}

/** The compose's full-resolution half before the own-terms change: the A/B's "before". */
async function legacyOverOriginal(original: RgbImage, composed: WorkingComposition) {
  const layer = await resizeRgbaContent(composed.layer, original.width, original.height);
  const result = compositeOver(layer, original);
  return { result, changed: changedRegion(result, original) };
}

/** decode -> full-resolution compose -> encode, per input kind, at 1024x768. */
async function inputKinds(): Promise<void> {
  const width = 1024;
  const height = 768;
  const p3 = await builtInProfile("p3");
  const kinds = [
    {
      name: "8-bit sRGB (untagged)",
      file: await sceneFile({ width, height, depth: 8, alpha: false, icc: null }),
    },
    { name: "8-bit Display P3", file: await sceneFile({ width, height, depth: 8, alpha: false, icc: p3 }) },
    { name: "16-bit untagged", file: await sceneFile({ width, height, depth: 16, alpha: false, icc: null }) },
    {
      name: "16-bit Display P3 RGBA",
      file: await sceneFile({ width, height, depth: 16, alpha: true, icc: p3 }),
    },
  ];
  // One working composition for all (the edit of the scene's ball), laid over each kind.
  const base = await decodeInput(kinds[0].file.bytes);
  const scene = syntheticScene(width, height);
  const edited = syntheticEdit(base.model, scene.target, { recolour: recolourBlue });
  const work = workingResolution(width, height);
  const [originalW, editedW] = await Promise.all([
    resizeRgb(base.model, work.width, work.height),
    resizeRgb(edited, work.width, work.height),
  ]);
  const composed = composeWorking(originalW, editedW, null, []);
  const png = { format: "png", quality: null, metadata: "strip" } as const;

  const runs = Math.max(RUNS, 11);
  const time = async (run: () => Promise<unknown>) => {
    const start = performance.now();
    await run();
    return performance.now() - start;
  };
  const before: number[] = [];
  const after: number[] = [];
  const srgb = kinds[0].file.bytes;
  for (let i = 0; i < WARMUP + runs; i++) {
    // Interleaved, alternating which goes first, so drift on a shared machine hits both alike.
    const runBefore = () =>
      time(async () => {
        const original = await decodeImage(srgb);
        const { result } = await legacyOverOriginal(original, composed);
        await encodePng(result);
      });
    const runAfter = () =>
      time(async () => {
        const input = await decodeInput(srgb);
        const out = await composeOverOriginal(input.model, composed, { source: input.source });
        await encodeOutput(out.output, png);
      });
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      b = await runBefore();
      a = await runAfter();
    } else {
      a = await runAfter();
      b = await runBefore();
    }
    if (i >= WARMUP) {
      before.push(b);
      after.push(a);
    }
  }
  console.log(`
input kinds at ${width}x${height}: decode + full-resolution compose + encode, median of ${runs}`);
  const mb = median(before);
  const ma = median(after);
  console.log(
    `  8-bit sRGB, before (decode to sRGB, composite, PNG): ${mb.toFixed(2)} ms; after (own terms, fast path): ${ma.toFixed(2)} ms; after / before ${(ma / mb).toFixed(3)}`,
  );
  for (const kind of kinds.slice(1)) {
    const samples: Array<Record<string, number>> = [];
    for (let i = 0; i < WARMUP + runs; i++) {
      const t: Record<string, number> = {};
      let start = performance.now();
      const input = await decodeInput(kind.file.bytes);
      t.decode = performance.now() - start;
      start = performance.now();
      const out = await composeOverOriginal(input.model, composed, { source: input.source });
      t.compose = performance.now() - start;
      start = performance.now();
      await encodeOutput(out.output, png);
      t.encode = performance.now() - start;
      if (i >= WARMUP) samples.push(t);
    }
    const total = median(samples.map((s) => s.decode + s.compose + s.encode));
    const parts = ["decode", "compose", "encode"].map(
      (k) => `${k} ${median(samples.map((s) => s[k])).toFixed(2)}`,
    );
    console.log(
      `  ${kind.name}: ${total.toFixed(2)} ms (${parts.join(", ")}); ${(total / ma).toFixed(2)}x the 8-bit sRGB path`,
    );
  }
}

await main();
await inputKinds();
