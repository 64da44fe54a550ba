// zoneEdit's joins on the fixture bundle, seen from the models' side: every session is spied
// (test-spies.ts), so these tests check what each model actually received, per action and mode,
// and the arithmetic of the fusion through spy UNets that return known noise predictions.
import {
  cleanInstruction,
  type EditAction,
  FIDELITY_SETTINGS,
  PIPELINE_VERSION,
  pipelineEditMetaSchema,
} from "@zone/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchItem, type RunFake, spyModels } from "../../test/test-spies.ts";
import { composeOverridesFor, composeWorking } from "../compose/compose-edit.ts";
import { syntheticScene } from "../demo/synthetic-scene.ts";
import { seededNormal } from "../denoise/random/gaussian-noise.ts";
import { DPMSolverMultistepScheduler } from "../denoise/schedulers/dpm-solver-multistep.ts";
import { toWorkingRgb } from "../image/working-frame.ts";
import { workingResolution } from "../image/working-resolution.ts";
import { openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import type { HostTensor } from "../runtime/onnx-runtime.ts";
import { preprocessForSam } from "../segment/sam-preprocess.ts";
import { imageToTensor } from "./image-tensor.ts";
import { type EditParams, zoneEdit } from "./zone-edit.ts";
import { loadZoneModels, releaseZoneModels, type ZoneModels } from "./zone-models.ts";

// 600 x 400: scaled to 512 x 341 and padded to the working frame 512 x 352 (latents 64 x 44), so
// the original is really resized and padded (5 black rows above, 6 below).
const original = syntheticScene(600, 400).image;
const WORK = { width: 512, height: 352 };
const workingOriginal = () => toWorkingRgb(original, workingResolution(original.width, original.height));
const LATENT = { channels: 4, height: 44, width: 64 };
const PER_ITEM = LATENT.channels * LATENT.height * LATENT.width;

let models: ZoneModels;
beforeAll(async () => {
  const { dir, fixtures } = await resolveBundleDir("fixtures");
  models = await loadZoneModels(await openBundle(dir, fixtures));
}, 60_000);
afterAll(async () => releaseZoneModels(models));

async function spiedEdit(
  params: Partial<EditParams> & { instruction: string },
  fakes = {},
  base: () => ZoneModels = () => models,
) {
  const spied = spyModels(base(), fakes);
  const edit = await zoneEdit(spied.models, original, { sam: "off", ...params });
  return { ...spied, edit };
}

const f32 = (t: HostTensor) => t.data as Float32Array;
// Byte equality of two typed arrays: toEqual is slow on millions of elements.
const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("zoneEdit: the instruction", () => {
  it("is cleaned once at the entry: meta.instruction is byte for byte what the tokenizer saw", async () => {
    const raw = "  Make &amp;amp;lt;3 It\u0000 BLUE ";
    const { edit, runs, tokenized } = await spiedEdit({ instruction: raw, steps: 1 });
    expect(edit.meta.instruction).toBe("make <3 it blue");
    expect(edit.meta.instruction).toBe(cleanInstruction(raw));
    expect(edit.meta.pipelineVersion).toBe(PIPELINE_VERSION);
    expect(pipelineEditMetaSchema.parse(edit.meta)).toEqual(edit.meta);
    // Every text the tokenizer got is the clean instruction or the empty prompt.
    expect(new Set(tokenized)).toEqual(new Set([edit.meta.instruction, ""]));
    expect(edit.meta.tokenCount).toBe(models.tokenizer.tokenCount(edit.meta.instruction));
    // The text encoder: (2, 77) ids, [instruction, empty prompt].
    expect(runs.textEncoder).toHaveLength(1);
    const ids = runs.textEncoder[0].inputs.input_ids;
    expect(ids.dims).toEqual([2, 77]);
    const rows = ids.data as Int32Array;
    expect(rows.subarray(0, 77)).toEqual(models.tokenizer.encode(edit.meta.instruction));
    expect(rows.subarray(77)).toEqual(models.tokenizer.encode(""));
  });

  it("is classified by the lexicon on the fixture bundle (its classifier is untrained), else by the model", async () => {
    const lexicon = await spiedEdit({ instruction: "Remove the ball", steps: 1 });
    expect(lexicon.runs.actionClassifier).toHaveLength(0);
    expect(lexicon.edit.meta).toMatchObject({ action: "remove", actionSource: "lexicon", beta: 0.2 });
    const trained = { ...models, bundle: { ...models.bundle, fixtures: false } };
    const spied = spyModels(trained);
    const edit = await zoneEdit(spied.models, original, {
      instruction: "Remove the ball",
      steps: 1,
      sam: "off",
    });
    expect(spied.runs.actionClassifier).toHaveLength(1);
    expect(edit.meta.actionSource).toBe("model");
  });

  it("rejects an instruction that is empty once cleaned", async () => {
    await expect(zoneEdit(models, original, { instruction: " \u0000 &nbsp; " })).rejects.toThrow(
      /empty once cleaned/,
    );
  });
});

describe("zoneEdit: the three-way guidance batch", () => {
  it("each UNet call gets [text + image, null + image, null + zero image] latents and [text, null, null] states", async () => {
    const steps = 3;
    const { edit, runs } = await spiedEdit({ instruction: "make the ball blue", steps });
    // The VAE encoder saw the working original; its latents are the image half of the batch.
    expect(runs.vaeEncoder).toHaveLength(1);
    const working = await workingOriginal();
    const encoderInput = runs.vaeEncoder[0].inputs.sample;
    expect(encoderInput.dims).toEqual([1, 3, WORK.height, WORK.width]);
    expect(same(f32(encoderInput), imageToTensor(working))).toBe(true);
    const imageLatents = f32(runs.vaeEncoder[0].outputs.latent);
    expect(imageLatents.some((v) => v !== 0)).toBe(true);
    const hidden = runs.textEncoder[0].outputs.last_hidden_state; // (2, 77, D)
    const [textStates, nullStates] = [batchItem(hidden, 0), batchItem(hidden, 1)];
    expect(same(textStates, nullStates)).toBe(false);

    const scheduler = new DPMSolverMultistepScheduler(models.schedulerConfig);
    scheduler.setTimesteps(steps);
    expect(runs.ip2pUnet).toHaveLength(steps);
    expect(runs.magicBrushUnet).toHaveLength(steps);
    for (const unet of ["ip2pUnet", "magicBrushUnet"] as const) {
      runs[unet].forEach(({ inputs }, call) => {
        const where = `${unet} call ${call}`;
        expect(inputs.sample.dims, where).toEqual([3, 8, LATENT.height, LATENT.width]);
        expect(Array.from(f32(inputs.timestep)), where).toEqual(Array(3).fill(scheduler.timesteps[call]));
        const items = [0, 1, 2].map((b) => batchItem(inputs.sample, b));
        const noisy = items.map((item) => item.subarray(0, PER_ITEM));
        const image = items.map((item) => item.subarray(PER_ITEM));
        expect(same(noisy[1], noisy[0]) && same(noisy[2], noisy[0]), `${where}: noisy latents`).toBe(true);
        expect(same(image[0], imageLatents), `${where}: item 0 image latents`).toBe(true);
        expect(same(image[1], imageLatents), `${where}: item 1 image latents`).toBe(true);
        expect(
          image[2].every((v) => v === 0),
          `${where}: item 2 zero image latents`,
        ).toBe(true);
        const states = inputs.encoder_hidden_states;
        expect(states.dims, where).toEqual([3, ...hidden.dims.slice(1)]);
        expect(same(batchItem(states, 0), textStates), `${where}: item 0 text states`).toBe(true);
        expect(same(batchItem(states, 1), nullStates), `${where}: item 1 null states`).toBe(true);
        expect(same(batchItem(states, 2), nullStates), `${where}: item 2 null states`).toBe(true);
      });
    }
    // One Gaussian latent, copied to both trajectories (initNoiseSigma 1).
    const first = (unet: "ip2pUnet" | "magicBrushUnet") =>
      batchItem(runs[unet][0].inputs.sample, 0).subarray(0, PER_ITEM);
    expect(same(first("ip2pUnet"), seededNormal(edit.meta.seed, PER_ITEM))).toBe(true);
    expect(same(first("magicBrushUnet"), first("ip2pUnet"))).toBe(true);
  });
});

// Spy UNets with constant noise per guidance branch [text, image, uncond]: with s_T 7.5, s_I 1.5
// InstructPix2Pix's guided prediction is 0.25 + 7.5 (1 - 0.5) + 1.5 (0.5 - 0.25) = 4.375 and
// MagicBrush's 1 + 7.5 (0 - 0) + 1.5 (0 - 1) = -0.5 (another branch order gives other values).
const E_IP2P = 4.375;
const E_MAGIC = -0.5;
function constantUnet(text: number, image: number, uncond: number): RunFake {
  return async (inputs, real) => {
    const out = await real(inputs); // keeps the attention maps
    const noise = new Float32Array(3 * PER_ITEM);
    noise.fill(text, 0, PER_ITEM);
    noise.fill(image, PER_ITEM, 2 * PER_ITEM);
    noise.fill(uncond, 2 * PER_ITEM);
    return {
      ...out,
      out_sample: { dtype: "float32", data: noise, dims: [3, 4, LATENT.height, LATENT.width] },
    };
  };
}

// One DPM-Solver++ step to sigma 0 returns the data prediction of each trajectory,
// x0 = (x - sigma_t e) / alpha_t, and the fusion mixes them: z = (x0_ip + beta x0_mb) / (1 + beta),
// which is x0 of e_eff = (e_ip + beta e_mb) / (1 + beta). So z is affine in the initial noise x:
// slope 1 / alpha_t, intercept -sigma_t e_eff / alpha_t; a least-squares fit recovers both, and
// beta = (e_ip - e_eff) / (e_eff - e_mb), without any of the scheduler's own numbers.
function fitFusion(x: Float32Array, z: Float64Array) {
  const n = x.length;
  let sx = 0;
  let sz = 0;
  let sxx = 0;
  let sxz = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sz += z[i];
    sxx += x[i] * x[i];
    sxz += x[i] * z[i];
  }
  const slope = (n * sxz - sx * sz) / (n * sxx - sx * sx);
  const intercept = (sz - slope * sx) / n;
  const alpha = 1 / slope;
  const sigma = Math.sqrt(1 - alpha * alpha);
  const eEff = (-intercept * alpha) / sigma;
  return { alpha, eEff, beta: (E_IP2P - eEff) / (eEff - E_MAGIC) };
}

// alpha_t at t = 999 of InstructPix2Pix's scaled-linear schedule, in float64 from its definition.
function alphaAt999(): number {
  const [start, end, n] = [Math.sqrt(0.00085), Math.sqrt(0.012), 1000];
  let cumprod = 1;
  for (let i = 0; i < n; i++) cumprod *= 1 - (start + ((end - start) * i) / (n - 1)) ** 2;
  return Math.sqrt(cumprod);
}

describe("zoneEdit: the working frame", () => {
  it("pads the original black (never stretches it) and crops the padding before the layer goes back", async () => {
    const { edit, runs } = await spiedEdit({ instruction: "make the ball blue", steps: 1 });
    const sample = f32(runs.vaeEncoder[0].inputs.sample); // (1, 3, 352, 512) in [-1, 1]
    const plane = WORK.width * WORK.height;
    const rowOf = (c: number, y: number) =>
      sample.subarray(c * plane + y * WORK.width, c * plane + (y + 1) * WORK.width);
    for (const y of [0, 4, 346, 351])
      expect(
        rowOf(0, y).every((v) => v === -1),
        `row ${y} is black`,
      ).toBe(true);
    for (const y of [5, 345])
      expect(
        rowOf(0, y).some((v) => v !== -1),
        `row ${y} is the image`,
      ).toBe(true);
    expect(edit.meta.working).toEqual(WORK);
    expect(edit.meta.original).toEqual({ width: 600, height: 400 });
    expect([edit.result.width, edit.result.height, edit.layer.width, edit.layer.height]).toEqual([
      600, 400, 600, 400,
    ]);
  });
});

describe("zoneEdit: fidelity release reaches every stage", () => {
  const toZero = () => ({
    ...models,
    schedulerConfig: { ...models.schedulerConfig, final_sigmas_type: "zero" as const },
  });

  it("working image (truncated short side, bicubic), scheduler's last step, compose settings", async () => {
    // 640 x 427: the release's int(341.6) = 341 rows (we round to 342); PIL bicubic, not Lanczos.
    const photo = syntheticScene(640, 427).image;
    const release = await zoneEdit(spyModels(models).models, photo, {
      instruction: "make the ball blue",
      steps: 2,
      sam: "off",
      fidelity: "release",
    });
    expect(release.meta.fidelity).toBe("release");
    const work = workingResolution(640, 427, { rounding: "truncate" });
    expect(work.content).toEqual({ x: 0, y: 5, width: 512, height: 341 });
    const spied = spyModels(models);
    await zoneEdit(spied.models, photo, {
      instruction: "make the ball blue",
      steps: 1,
      sam: "off",
      fidelity: "release",
    });
    const sample = f32(spied.runs.vaeEncoder[0].inputs.sample);
    expect(same(sample, imageToTensor(await toWorkingRgb(photo, work, "cubic")))).toBe(true);
    expect(same(sample, imageToTensor(await toWorkingRgb(photo, work, "lanczos3")))).toBe(false);

    // The compose stage ran with the release's settings: recomputing with them gives its masks.
    const working = await toWorkingRgb(photo, work, "cubic");
    const again = composeWorking(working, release.canvas, release.masks.rough, [], {
      ...composeOverridesFor("release", FIDELITY_SETTINGS.release),
    });
    expect(same(again.masks.final.data, release.masks.final.data)).toBe(true);
    expect(release.summary).toMatchObject({ fidelity: "release", channels: "release" });

    // The last step is forced to the release's, whatever the bundle says.
    const fromZeroBundle = await zoneEdit(spyModels(toZero()).models, photo, {
      instruction: "make the ball blue",
      steps: 2,
      sam: "off",
      fidelity: "release",
    });
    expect(same(fromZeroBundle.canvas.data, release.canvas.data)).toBe(true);
    const corrected = await zoneEdit(spyModels(toZero()).models, photo, {
      instruction: "make the ball blue",
      steps: 2,
      sam: "off",
    });
    expect(corrected.meta.fidelity).toBe("corrected");
    expect(corrected.summary.channels).toBe("rgb");
  }, 60_000);
});

describe("zoneEdit: MagicBrush's weight and the decode", () => {
  const fakes = { ip2pUnet: constantUnet(1, 0.5, 0.25), magicBrushUnet: constantUnet(0, 0, 1) };
  const decoded = async (action: EditAction, mode: EditParams["mode"] = "default") => {
    // One step to sigma 0 (current diffusers' last step) makes z the data prediction; the
    // bundle's own last step (sigma_min, diffusers 0.18) is tested with the scheduler.
    const toZero = () => ({
      ...models,
      schedulerConfig: { ...models.schedulerConfig, final_sigmas_type: "zero" as const },
    });
    const { edit, runs } = await spiedEdit(
      { instruction: "make it so", action, mode, steps: 1 },
      fakes,
      toZero,
    );
    expect(runs.vaeDecoder).toHaveLength(1);
    const input = runs.vaeDecoder[0].inputs.latent_sample;
    expect(input.dims).toEqual([1, 4, LATENT.height, LATENT.width]);
    // The decoder gets z / scalingFactor: multiply back to the latent space.
    const scaling = models.bundle.manifest.latent.scalingFactor;
    const z = Float64Array.from(f32(input), (v) => v * scaling);
    const x = seededNormal(edit.meta.seed, PER_ITEM);
    return { edit, runs, fit: fitFusion(x, z), z, x };
  };

  it.each([
    ["remove", 0.2],
    ["change", 0.01],
    ["add", 0.01],
  ] as Array<[EditAction, number]>)("%s fuses with beta %d", async (action, beta) => {
    const { edit, runs, fit } = await decoded(action);
    expect(models.bundle.manifest.latent.scalingFactor).toBe(0.18215);
    expect(fit.alpha / alphaAt999()).toBeCloseTo(1, 4);
    expect(fit.beta).toBeCloseTo(beta, 5);
    expect(edit.meta).toMatchObject({ action, beta, magicBrush: true });
    expect(runs.magicBrushUnet).toHaveLength(1);
  });

  it("fast skips MagicBrush for change (plain InstructPix2Pix) but not for remove", async () => {
    const change = await decoded("change", "fast");
    expect(change.runs.magicBrushUnet).toHaveLength(0);
    expect(change.edit.meta).toMatchObject({ mode: "fast", magicBrush: false, beta: 0.01 });
    expect(change.fit.eEff).toBeCloseTo(E_IP2P, 5);
    const remove = await decoded("remove", "fast");
    expect(remove.runs.magicBrushUnet).toHaveLength(1);
    expect(remove.edit.meta).toMatchObject({ mode: "fast", magicBrush: true, beta: 0.2 });
    expect(remove.fit.beta).toBeCloseTo(0.2, 5);
  });

  it("fast with the real models: MagicBrush runs every step for remove, never for change", async () => {
    const change = await spiedEdit({ instruction: "make it blue", action: "change", mode: "fast", steps: 2 });
    expect(change.runs.magicBrushUnet).toHaveLength(0);
    expect(change.runs.ip2pUnet).toHaveLength(2);
    const remove = await spiedEdit({ instruction: "remove it", action: "remove", mode: "fast", steps: 2 });
    expect(remove.runs.magicBrushUnet).toHaveLength(2);
  });
});

describe("zoneEdit: what Segment Anything segments", () => {
  it.each([
    ["remove", "original"],
    ["change", "canvas"],
    ["add", "canvas"],
  ] as Array<[EditAction, "original" | "canvas"]>)(
    "%s: the encoder gets the working %s",
    async (action, image) => {
      const { edit, runs } = await spiedEdit({
        instruction: "edit the ball",
        action,
        steps: 2,
        sam: "guided",
      });
      expect(runs.samEncoder).toHaveLength(1);
      const received = f32(runs.samEncoder[0].inputs.pixel_values);
      const working = await workingOriginal();
      const ofOriginal = (await preprocessForSam(working)).pixelValues;
      const ofCanvas = (await preprocessForSam(edit.canvas)).pixelValues;
      expect(same(ofOriginal, ofCanvas)).toBe(false);
      expect(same(received, ofOriginal), "the encoder got the working original").toBe(image === "original");
      expect(same(received, ofCanvas), "the encoder got the canvas").toBe(image === "canvas");
      expect(edit.meta.segment?.image).toBe(image);
    },
  );
});
