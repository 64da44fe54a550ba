import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../demo/prng.ts";
import { maskToBox } from "./mask-box.ts";
import type { CroppedMask } from "./mask-recording.ts";
import { createUpscalePlan, type SamFrame, type UpscalePlan, upscaleWithPlan } from "./upscale-plan.ts";
import { UpscaledMaskMeter } from "./upscaled-mask-meter.ts";

/** Everything the meter reports, computed the slow way from every upscaled pixel. */
function bruteForce(logits: Float32Array, offset: number, plan: UpscalePlan, threshold = 0, delta = 1) {
  const values = upscaleWithPlan(logits, offset, plan);
  const data = new Uint8Array(values.length);
  let aboveHigh = 0;
  let aboveLow = 0;
  let area = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > threshold + delta) aboveHigh++;
    if (values[i] > threshold - delta) aboveLow++;
    if (values[i] > threshold) {
      area++;
      data[i] = 255;
    }
  }
  const mask = { width: plan.width, height: plan.height, data };
  return { aboveHigh, aboveLow, area, mask, box: area > 0 ? maskToBox(mask) : null };
}

function expand(crop: CroppedMask | null, width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height);
  if (!crop) return data;
  for (let y = 0; y < crop.mask.height; y++) {
    data.set(
      crop.mask.data.subarray(y * crop.mask.width, (y + 1) * crop.mask.width),
      (crop.y0 + y) * width + crop.x0,
    );
  }
  return data;
}

/** Smooth logits like a decoder's: a few bumps over a negative floor, (low, low). */
function bumps(low: number, seed: number, count: number): Float32Array {
  const random = mulberry32(seed);
  const items = Array.from({ length: count }, () => ({
    x: random() * low,
    y: random() * low,
    r: 1 + random() * low * 0.3,
    a: 2 + random() * 20,
  }));
  const out = new Float32Array(low * low);
  for (let y = 0; y < low; y++) {
    for (let x = 0; x < low; x++) {
      let v = -8;
      for (const b of items) v += b.a * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.r * b.r));
      out[y * low + x] = v;
    }
  }
  return out;
}

/** Piecewise-constant noise: every block straddles a cut-off or sits on one side of it. */
function levels(low: number, seed: number): Float32Array {
  const set = [-5, -1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 5];
  const random = mulberry32(seed);
  return Float32Array.from({ length: low * low }, () => set[Math.floor(random() * set.length)]);
}

function frame(width: number, height: number, size: number): SamFrame {
  const scale = size / Math.max(width, height);
  return {
    width,
    height,
    size,
    inputWidth: Math.max(1, Math.trunc(width * scale + 0.5)),
    inputHeight: Math.max(1, Math.trunc(height * scale + 0.5)),
  };
}

function check(meter: UpscaledMaskMeter, logits: Float32Array, offset: number) {
  const { plan } = meter;
  const want = bruteForce(logits, offset, plan);
  const got = meter.measure(logits, offset);
  expect(got).toEqual({ aboveHigh: want.aboveHigh, area: want.area, aboveLow: want.aboveLow, box: want.box });
  expect(Buffer.compare(expand(meter.takeMask(), plan.width, plan.height), want.mask.data)).toBe(0);
}

describe("UpscaledMaskMeter equals thresholding the fully upscaled logits", () => {
  it.each([
    ["a 512 x 512 canvas", frame(512, 512, 1024), 256],
    ["a 451 x 300 photo (padding below)", frame(451, 300, 1024), 256],
    ["a 300 x 451 photo (padding right)", frame(300, 451, 1024), 256],
    ["upscaling past the model input (1100 x 700)", frame(1100, 700, 1024), 256],
    ["odd small sizes (37 x 23 from 16 x 16 logits)", frame(37, 23, 64), 16],
  ] as const)("%s", (_, f, low) => {
    const plan = createUpscalePlan(f, low, low);
    const meter = new UpscaledMaskMeter(plan, 0, 1);
    for (let seed = 1; seed <= 3; seed++) {
      check(meter, bumps(low, seed, seed * 2), 0);
      check(meter, levels(low, seed), 0);
    }
  });

  it("reads masks at an offset in a batch, and keeps nothing between measures", () => {
    const plan = createUpscalePlan(frame(96, 80, 64), 16, 16);
    const meter = new UpscaledMaskMeter(plan, 0, 1);
    const size = 16 * 16;
    const batch = new Float32Array(4 * size);
    batch.set(new Float32Array(size).fill(10), 0); // everything on
    batch.set(bumps(16, 9, 2), size);
    batch.set(new Float32Array(size).fill(-10), 2 * size); // nothing
    batch.set(levels(16, 4), 3 * size);
    for (let k = 0; k < 4; k++) check(meter, batch, k * size);
    const full = meter.measure(batch, 0);
    expect(full).toEqual({ aboveHigh: 96 * 80, area: 96 * 80, aboveLow: 96 * 80, box: [0, 0, 95, 79] });
    meter.discard();
    expect(meter.measure(batch, 2 * size)).toEqual({ aboveHigh: 0, area: 0, aboveLow: 0, box: null });
    expect(meter.takeMask()).toBeNull();
  });

  it("treats NaN logits as below every cut-off, as torch's comparisons do", () => {
    const plan = createUpscalePlan(frame(32, 32, 64), 16, 16);
    const logits = new Float32Array(256).fill(Number.NaN);
    expect(new UpscaledMaskMeter(plan, 0, 1).measure(logits, 0)).toMatchObject({ area: 0, aboveLow: 0 });
  });

  it("agrees on random frames, thresholds and logits (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(0, 0.5, -1),
        fc.constantFrom(1, 0.25),
        (width, height, low, seed, threshold, delta) => {
          const f = frame(width, height, low * 4);
          const plan = createUpscalePlan(f, low, low);
          const meter = new UpscaledMaskMeter(plan, threshold, delta);
          const random = mulberry32(seed);
          const logits = Float32Array.from({ length: low * low }, () => Math.fround((random() - 0.5) * 6));
          const want = bruteForce(logits, 0, plan, threshold, delta);
          expect(meter.measure(logits, 0)).toEqual({
            aboveHigh: want.aboveHigh,
            area: want.area,
            aboveLow: want.aboveLow,
            box: want.box,
          });
          expect(Buffer.compare(expand(meter.takeMask(), width, height), want.mask.data)).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("UpscaledMaskMeter within a known box (drawing a mask the decoder's statistics bounded)", () => {
  it.each([
    ["a 512 x 512 canvas", frame(512, 512, 1024), 256],
    ["a 451 x 300 photo", frame(451, 300, 1024), 256],
    ["odd small sizes (37 x 23 from 16 x 16 logits)", frame(37, 23, 64), 16],
  ] as const)("draws the same mask, area and box as the whole measure: %s", (_, f, low) => {
    const plan = createUpscalePlan(f, low, low);
    const meter = new UpscaledMaskMeter(plan, 0, 1);
    for (let seed = 1; seed <= 3; seed++) {
      for (const logits of [bumps(low, seed, seed), levels(low, seed)]) {
        const want = bruteForce(logits, 0, plan);
        if (!want.box) continue;
        const got = meter.measure(logits, 0, want.box);
        expect({ area: got.area, box: got.box }).toEqual({ area: want.area, box: want.box });
        expect(Buffer.compare(expand(meter.takeMask(), plan.width, plan.height), want.mask.data)).toBe(0);
      }
    }
  });

  it("reads nothing outside the box and its one-index margin", () => {
    // 64 x 64 from 16 x 16 logits: output pixel o reads low-res indices near o / 4.
    const plan = createUpscalePlan(frame(64, 64, 64), 16, 16);
    const meter = new UpscaledMaskMeter(plan, 0, 1);
    const logits = new Float32Array(256).fill(-5);
    for (let y = 6; y < 10; y++) logits.fill(5, y * 16 + 6, y * 16 + 10); // a block in the middle
    logits[0] = 50; // far outside the box: must not be read
    const whole = meter.measure(logits, 0);
    meter.discard();
    const inner = bruteForce(
      logits.map((v, i) => (i === 0 ? -5 : v)),
      0,
      plan,
    );
    const boxed = meter.measure(logits, 0, inner.box!);
    expect(whole.area).toBeGreaterThan(boxed.area);
    expect({ area: boxed.area, box: boxed.box }).toEqual({ area: inner.area, box: inner.box });
  });
});
