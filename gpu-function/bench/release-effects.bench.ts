// `npm run bench:release-effects`: the measured effect of each deliberate difference from the
// authors' release (README "Differences from the authors' release"), on synthetic inputs that
// need no models: each behaviour is run both ways (fidelity corrected / release) and the
// numbers are printed. Nothing here is a test.
import { FIDELITY_SETTINGS } from "@zone/shared";
import { composeOverridesFor, composeWorking } from "../src/compose/compose-edit.ts";
import { buildLayer, compositeOver } from "../src/compose/composite.ts";
import { mulberry32 } from "../src/demo/prng.ts";
import { ellipseMask, syntheticEdit } from "../src/demo/synthetic-edit.ts";
import { syntheticScene } from "../src/demo/synthetic-scene.ts";
import { parseSchedulerConfig } from "../src/denoise/schedulers/config.ts";
import { DPMSolverMultistepScheduler } from "../src/denoise/schedulers/dpm-solver-multistep.ts";
import { IP2P_SCHEDULER_CONFIG } from "../src/fixtures/fixture-bundle.ts";
import { countOn, type Mask } from "../src/image/types.ts";
import { workingResolution } from "../src/image/working-resolution.ts";
import { filterSmallRegions } from "../src/kernels/connected-components.ts";
import { diffusers018Trajectory, IP2P_018 } from "../test/dpm-solver-018.ts";
import { dummySampleDeter } from "../test/scheduler-fixtures.ts";

const and = (a: Mask, b: Mask) => a.data.reduce((n, v, i) => n + (v && b.data[i] ? 1 : 0), 0);
const xor = (a: Mask, b: Mask) =>
  a.data.reduce((n, v, i) => n + ((v !== 0) !== (b.data[i] !== 0) ? 1 : 0), 0);

// 1. The edge smoother's grey: hue edits inside a fine mask, core = M_f* AND M_f.
function greyEffect(name: string, recolour: (r: number, g: number, b: number) => [number, number, number]) {
  const w = 512;
  const h = 512;
  const scene = syntheticScene(w, h);
  const fine = ellipseMask(w, h, 256, 300, 90, 85);
  const edited = syntheticEdit(scene.image, fine, { recolour, noise: 2, drift: 0 });
  const row = [`  ${name}: fine mask ${countOn(fine)} px; core`];
  for (const channels of ["rgb", "luma", "release"] as const) {
    const c = composeWorking(scene.image, edited, fine, [fine], { edge: { channels } });
    row.push(`${channels} ${and(c.masks.final, c.masks.fine)}`);
  }
  console.log(row.join(", "));
}

// 2. Working resolution: old stretch vs pad.
function workingEffect() {
  for (const [w, h] of [
    [451, 300],
    [640, 427],
    [600, 400],
    [1920, 1080],
    [3000, 4000],
    [300, 200],
  ]) {
    const stretched = {
      w: Math.round((w * 512) / Math.max(w, h) / 32) * 32,
      h: Math.round((h * 512) / Math.max(w, h) / 32) * 32,
    };
    const long = Math.max(w, h);
    stretched.w = w === long ? 512 : stretched.w;
    stretched.h = h === long ? 512 : stretched.h;
    const distortion = Math.abs(stretched.w / stretched.h / (w / h) - 1) * 100;
    const corrected = workingResolution(w, h);
    const release = workingResolution(w, h, { enlarge: false, rounding: "truncate" });
    console.log(
      `  ${w}x${h}: stretched (before) ${stretched.w}x${stretched.h} (aspect off ${distortion.toFixed(1)}%); padded ${corrected.width}x${corrected.height} around ${corrected.content.width}x${corrected.content.height}; release ${release.width}x${release.height} around ${release.content.width}x${release.content.height}`,
    );
  }
}

// 3-6. Disc centre, magnitude wrap, ring truncation, small-region filter on one edit per frame.
function composeEffects(w: number, h: number) {
  const scene = syntheticScene(w, h);
  const fine = scene.target;
  const edited = syntheticEdit(scene.image, fine, { recolour: (r, g, b) => [255 - r, 255 - g, b] });
  const base = composeWorking(scene.image, edited, fine, [fine]);
  const disc = composeWorking(scene.image, edited, fine, [fine], { edge: { disc: "release" } });
  const wrap = composeWorking(scene.image, edited, fine, [fine], { edge: { magnitude: "wrap" } });
  const all = composeWorking(
    scene.image,
    edited,
    fine,
    [fine],
    composeOverridesFor("release", FIDELITY_SETTINGS.release),
  );
  const layer = buildLayer(edited, base.masks.fine, base.masks.final);
  const rounded = compositeOver(layer, scene.image);
  const truncated = compositeOver(layer, scene.image, "truncate");
  let ring = 0;
  let plusOne = 0;
  for (let i = 0; i < w * h; i++) {
    if (layer.data[i * 4 + 3] !== 153) continue;
    for (let c = 0; c < 3; c++) {
      ring++;
      if (rounded.data[i * 3 + c] !== truncated.data[i * 3 + c]) plusOne++;
    }
  }
  const f = countOn(base.masks.final);
  console.log(
    `  ${w}x${h}: M_f* ${f} px; release disc moves ${xor(base.masks.final, disc.masks.final)} px (${((100 * xor(base.masks.final, disc.masks.final)) / f).toFixed(2)}%); magnitude wrap moves ${xor(base.masks.final, wrap.masks.final)} px; all release settings move ${xor(base.masks.final, all.masks.final)} px; ring rounding vs truncation differs on ${plusOne} of ${ring} ring values (${((100 * plusOne) / Math.max(1, ring)).toFixed(1)}%)`,
  );
}

function smallRegionEffect() {
  const random = mulberry32(5);
  const w = 256;
  const h = 256;
  const data = new Uint8Array(w * h);
  for (let k = 0; k < 60; k++) {
    const m = ellipseMask(w, h, random() * w, random() * h, 1 + random() * 9, 1 + random() * 9);
    for (let i = 0; i < data.length; i++) if (m.data[i]) data[i] = 255;
  }
  const mask = { width: w, height: h, data };
  const exact = filterSmallRegions(mask, 64, "exact");
  const release = filterSmallRegions(mask, 64, "release");
  console.log(
    `  60 random blobs, ${countOn(mask)} px: exact filter keeps ${countOn(exact)} px, the release's ${countOn(release)} px; they differ on ${xor(exact, release)} px`,
  );
}

function schedulerEffect() {
  const model = (x: ArrayLike<number>, t: number) =>
    Float32Array.from(x, (v, k) => 0.4 * v + 0.6 * Math.sin(t / 53 + k * 0.37));
  const start = Float32Array.from(dummySampleDeter(), (v, k) => v * 4 - 1.5 + Math.cos(k));
  const ref = diffusers018Trajectory(IP2P_018, 20, model, start).samples[19];
  for (const final of ["sigma_min", "zero"] as const) {
    const s = new DPMSolverMultistepScheduler({
      ...parseSchedulerConfig(IP2P_SCHEDULER_CONFIG),
      final_sigmas_type: final,
    });
    s.setTimesteps(20);
    let x: Float32Array = start;
    for (const t of s.timesteps) x = s.step(model(x, t), t, x);
    const rms = Math.sqrt(x.reduce((a, v, k) => a + (v - ref[k]) ** 2, 0) / x.length);
    console.log(
      `  final_sigmas_type ${final}: final latent rms ${rms.toExponential(2)} from diffusers 0.18 (toy model, 20 steps)`,
    );
  }
}

console.log("edge smoother grey (512x512 synthetic scene, hue edit inside a 24k px fine mask):");
greyEffect("reddening", (r, g, b) => [Math.min(255, r + 90), g * 0.75, b * 0.75]);
greyEffect("blueing", (r, g, b) => [r * 0.6, g * 0.85, Math.min(255, b + 110)]);
console.log("working resolution:");
workingEffect();
console.log(
  "compose stage, release behaviours one at a time (synthetic scene, inverted-colour edit of the ball):",
);
for (const [w, h] of [
  [512, 512],
  [512, 352],
  [352, 512],
  [512, 288],
])
  composeEffects(w, h);
console.log("small-region filter:");
smallRegionEffect();
console.log("scheduler last step:");
schedulerEffect();
