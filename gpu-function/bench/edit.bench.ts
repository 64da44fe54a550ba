// `npm run bench:edit`: `zone edit` on the fixture models at 512x512 (BENCH_SIZE=WxH for another
// size of the original; the pipeline still works at 512 on the long side): median time per stage, and
// the denoising loop's own overhead per step (everything but the time inside the UNet calls:
// guidance batches, scheduler steps, the fusion, attention accumulation, tensor hand-over).
// The fixture UNets are tiny, so the stage times show the pipeline's cost, not a real model's.
import { readFile } from "node:fs/promises";
import { syntheticScene } from "../src/demo/synthetic-scene.ts";
import { decodeImage } from "../src/image/io.ts";
import { resizeRgb } from "../src/image/resize.ts";
import { type EditParams, zoneEdit } from "../src/pipeline/zone-edit.ts";
import { loadZoneModels } from "../src/pipeline/zone-models.ts";
import { openBundle, resolveBundleDir } from "../src/runtime/bundle/bundle.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const [WIDTH, HEIGHT] = (process.env.BENCH_SIZE ?? "512x512").split("x").map(Number);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function photo() {
  try {
    return await resizeRgb(
      await decodeImage(await readFile(new URL("../../../shared/images/astronaut.png", import.meta.url))),
      WIDTH,
      HEIGHT,
    );
  } catch {
    console.log("(../shared/images/astronaut.png not found: using the embedded landscape)");
    return syntheticScene(WIDTH, HEIGHT).image;
  }
}

const loadStart = performance.now();
const { dir, fixtures } = await resolveBundleDir("fixtures");
const models = await loadZoneModels(await openBundle(dir, fixtures));
console.log(
  `zone edit on fixture models, ${WIDTH}x${HEIGHT}, 20 steps; median of ${RUNS} runs after 1 warm-up (Node ${process.version})`,
);
console.log(`model load (all 8 roles): ${(performance.now() - loadStart).toFixed(0)} ms`);
const image = await photo();

for (const [label, params] of [
  ["default (InstructPix2Pix + MagicBrush)", {}],
  ["fast (MagicBrush skipped)", { mode: "fast" }],
  ["remove (beta 0.2, MagicBrush always)", { action: "remove" }],
] as Array<[string, Partial<EditParams>]>) {
  const stages: Record<string, number[]> = {};
  const perStep = { total: [] as number[], model: [] as number[], overhead: [] as number[] };
  for (let i = 0; i <= RUNS; i++) {
    const start = performance.now();
    const edit = await zoneEdit(models, image, { instruction: "give her sunglasses", ...params });
    if (i === 0) continue;
    const record = (stage: string, ms: number) => {
      stages[stage] = [...(stages[stage] ?? []), ms];
    };
    for (const [k, v] of Object.entries(edit.meta.timingsMs)) record(k, v);
    record("total", performance.now() - start);
    perStep.total.push(edit.meta.stepMs.total);
    perStep.model.push(edit.meta.stepMs.model);
    perStep.overhead.push(edit.meta.stepMs.overhead);
  }
  console.log(`\n${label}`);
  for (const [k, v] of Object.entries(stages))
    console.log(`  ${k.padEnd(10)} ${median(v).toFixed(1).padStart(8)} ms`);
  console.log(
    `  per step: ${median(perStep.total).toFixed(2)} ms, of which in the UNets ${median(perStep.model).toFixed(2)} ms; loop overhead ${median(perStep.overhead).toFixed(2)} ms (goal < 2 ms)`,
  );
}
