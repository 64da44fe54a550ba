import { describe, expect, it } from "vitest";
import { fusedDenoise, guidanceBatch, threeWayGuidance, type UnetRunner } from "./fused-denoise.ts";
import type { Scheduler } from "./schedulers/scheduler.ts";

// A transparent scheduler: timesteps [3, 2, 1]; step returns sample - 0.1 * output.
function linearScheduler(): Scheduler & { calls: number[] } {
  let timesteps: number[] = [];
  const calls: number[] = [];
  return {
    calls,
    get timesteps() {
      return timesteps;
    },
    initNoiseSigma: 2,
    setTimesteps(n: number) {
      timesteps = Array.from({ length: n }, (_, i) => n - i);
    },
    scaleModelInput: (sample) => sample,
    step(output, t, sample) {
      calls.push(t);
      return sample.map((v, i) => v - 0.1 * output[i]);
    },
  };
}

describe("threeWayGuidance", () => {
  it("computes e_uncond + s_T (e_text - e_image) + s_I (e_image - e_uncond)", () => {
    const batch = new Float32Array([1, 2, 0.5, 1, 0.25, 0]); // text [1,2], image [0.5,1], uncond [0.25,0]
    const out = threeWayGuidance(batch, 7.5, 1.5);
    expect(out[0]).toBeCloseTo(0.25 + 7.5 * 0.5 + 1.5 * 0.25, 6);
    expect(out[1]).toBeCloseTo(0 + 7.5 * 1 + 1.5 * 1, 6);
  });
});

describe("guidanceBatch", () => {
  it("lays out [z, image] [z, image] [z, 0] per batch item", () => {
    const z = new Float32Array([1, 2]);
    const image = new Float32Array([7, 8]);
    expect(Array.from(guidanceBatch(z, image, new Float32Array(12).fill(9)))).toEqual([
      1, 2, 7, 8, 1, 2, 7, 8, 1, 2, 0, 0,
    ]);
  });
});

describe("fusedDenoise", () => {
  // UNets whose three outputs are constants per branch, so the guided output is known: for
  // InstructPix2Pix text 1, image 0.5, uncond 0.25 -> 0.25 + 7.5 * 0.5 + 1.5 * 0.25 = 4.375.
  const constantUnet =
    (text: number, image: number, uncond: number, attention?: number[]): UnetRunner =>
    async (sample) => {
      const n = sample.length / 6; // (3, 8, ...) -> per-item 4-channel size
      const noise = new Float32Array(3 * n);
      noise.fill(text, 0, n);
      noise.fill(image, n, 2 * n);
      noise.fill(uncond, 2 * n);
      return { noise, attention: attention ? Float32Array.from(attention) : undefined };
    };

  it("steps MagicBrush on its own latents and fuses with beta", async () => {
    const ipSched = linearScheduler();
    const mbSched = linearScheduler();
    const result = await fusedDenoise(
      {
        imageLatents: new Float32Array(4),
        noise: new Float32Array(4).fill(1),
        ip2p: { unet: constantUnet(1, 0.5, 0.25), scheduler: ipSched },
        magicBrush: { unet: constantUnet(0, 0, 1), scheduler: mbSched },
      },
      { steps: 3, textGuidance: 7.5, imageGuidance: 1.5, beta: 0.2, attentionBranches: "null-text" },
    );
    // Reference trajectory computed by hand with the method's equations.
    let zIp = 2; // noise * initNoiseSigma
    let zMb = 2;
    const eIp = 4.375;
    const eMb = 1 + 7.5 * 0 + 1.5 * (0 - 1); // -0.5
    for (let i = 0; i < 3; i++) {
      const zMbNext = zMb - 0.1 * eMb;
      const zStar = zIp - 0.1 * eIp;
      zIp = (zStar + 0.2 * zMbNext) / 1.2;
      zMb = zMbNext;
    }
    for (const v of result.latents) expect(v).toBeCloseTo(zIp, 5);
    expect(ipSched.calls).toEqual([3, 2, 1]);
    expect(mbSched.calls).toEqual([3, 2, 1]);
    expect(result.stepMs).toHaveLength(3);
  });

  it("without MagicBrush is plain InstructPix2Pix", async () => {
    const result = await fusedDenoise(
      {
        imageLatents: new Float32Array(4),
        noise: new Float32Array(4).fill(1),
        ip2p: { unet: constantUnet(1, 0.5, 0.25), scheduler: linearScheduler() },
        magicBrush: null,
      },
      { steps: 2, textGuidance: 7.5, imageGuidance: 1.5, beta: 0.01, attentionBranches: "null-text" },
    );
    for (const v of result.latents) expect(v).toBeCloseTo(2 - 2 * 0.1 * 4.375, 5);
  });

  it("averages attention over steps from the chosen branches and reports every step", async () => {
    // (3, 2 tokens, 1 pixel): item 0 = [1, 2], item 1 = [3, 4], item 2 = [5, 6].
    const attention = [1, 2, 3, 4, 5, 6];
    const events: number[] = [];
    const run = (branches: "null-text" | "text") =>
      fusedDenoise(
        {
          imageLatents: new Float32Array(4),
          noise: new Float32Array(4),
          ip2p: { unet: constantUnet(0, 0, 0, attention), scheduler: linearScheduler() },
          magicBrush: null,
        },
        { steps: 4, textGuidance: 7.5, imageGuidance: 1.5, beta: 0.01, attentionBranches: branches },
        (e) => {
          events.push(e.step);
        },
      );
    expect(Array.from((await run("null-text")).attention ?? [])).toEqual([4, 5]);
    expect(Array.from((await run("text")).attention ?? [])).toEqual([1, 2]);
    expect(events).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it("waits for an async step hook before the next UNet call, and stops when it throws", async () => {
    const log: string[] = [];
    const unet: UnetRunner = async (sample, t) => {
      log.push(`unet ${t}`);
      return constantUnet(1, 0.5, 0.25)(sample, t);
    };
    const run = (onStep: (e: { step: number }) => Promise<void>) =>
      fusedDenoise(
        {
          imageLatents: new Float32Array(4),
          noise: new Float32Array(4),
          ip2p: { unet, scheduler: linearScheduler() },
          magicBrush: null,
        },
        { steps: 3, textGuidance: 7.5, imageGuidance: 1.5, beta: 0.01, attentionBranches: "null-text" },
        onStep,
      );
    await run(async ({ step }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`hook ${step} done`);
    });
    expect(log).toEqual(["unet 3", "hook 1 done", "unet 2", "hook 2 done", "unet 1", "hook 3 done"]);
    log.length = 0;
    await expect(
      run(async ({ step }) => {
        if (step === 2) throw new Error("canceled");
      }),
    ).rejects.toThrow("canceled");
    expect(log).toEqual(["unet 3", "unet 2"]);
  });
});
