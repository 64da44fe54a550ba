import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAM_FIXTURE_IOUS } from "../fixtures/fixture-models.ts";
import { openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import type { HostTensor, ModelSession } from "../runtime/onnx-runtime.ts";
import { onnxPointDecoder } from "./sam-decoder.ts";
import { embedImage } from "./sam-encoder.ts";
import { loadSamSessions, releaseSamSessions, type SamSessions } from "./sam-models.ts";

let sam: SamSessions;
beforeAll(async () => {
  const { dir, fixtures } = await resolveBundleDir("fixtures");
  sam = await loadSamSessions(await openBundle(dir, fixtures));
}, 60_000);
afterAll(async () => releaseSamSessions(sam));

const photo = { width: 451, height: 300, data: new Uint8Array(451 * 300 * 3).fill(200) };

/** A stand-in session whose run returns `outputs` (with the fixture decoder's signature). */
function fakeSession(outputs: Record<string, HostTensor>): ModelSession {
  return { role: "fake", spec: sam.decoder.spec, run: async () => outputs } as unknown as ModelSession;
}

describe("embedImage (the encoder, once per image)", () => {
  it("returns (1, 256, 64, 64) embeddings and the image's frame", async () => {
    const e = await embedImage(sam.encoder, photo);
    expect(e.embeddings.dims).toEqual([1, 256, 64, 64]);
    expect(e.frame).toEqual({ width: 451, height: 300, size: 1024, inputWidth: 1024, inputHeight: 681 });
    expect(e.timingsMs.encode).toBeGreaterThan(0);
  });

  it("names a missing output", async () => {
    await expect(embedImage(fakeSession({}), photo)).rejects.toThrow(
      /fake: expected a float32 \(1, C, h, w\) image_embeddings output, got none/,
    );
  });
});

describe("onnxPointDecoder (the decoder, many prompts per run)", () => {
  it("decodes a batch of points in the image's pixels: 3 masks each, centred on the point", async () => {
    const e = await embedImage(sam.encoder, photo);
    const decode = onnxPointDecoder(sam.decoder, e);
    const points = Float64Array.from([100, 50, 400, 250, 0, 0, 225.5, 150, 10, 290]);
    const out = await decode(points);
    const lowRes = out.lowRes!;
    expect(out).toMatchObject({ points: 5, masksPerPoint: 3, lowHeight: 256, lowWidth: 256 });
    expect(lowRes.length).toBe(5 * 3 * 256 * 256);
    expect(Array.from(out.iou.subarray(0, 3))).toEqual(SAM_FIXTURE_IOUS.map(Math.fround));
    // The fixture's discs are centred on the point in the 1024 frame / 4.
    for (let p = 0; p < 5; p++) {
      const base = p * 3 * 65536;
      let best = 0;
      for (let i = 1; i < 65536; i++) if (lowRes[base + i] > lowRes[base + best]) best = i;
      const cx = (points[2 * p] * (1024 / 451)) / 4;
      const cy = (points[2 * p + 1] * (681 / 300)) / 4;
      expect(Math.abs((best % 256) + 0.5 - cx)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(Math.floor(best / 256) + 0.5 - cy)).toBeLessThanOrEqual(0.5);
    }
  });

  it("rejects outputs of the wrong shape, naming dtypes and shapes", async () => {
    const e = await embedImage(sam.encoder, photo);
    const decode = onnxPointDecoder(
      fakeSession({
        low_res_masks: { dtype: "float32", data: new Float32Array(2 * 3 * 4), dims: [1, 2, 3, 2, 2] },
        iou_scores: { dtype: "float32", data: new Float32Array(6), dims: [1, 2, 3] },
      }),
      e,
    );
    await expect(decode(Float64Array.from([1, 1]))).rejects.toThrow(
      /fake: for 1 points expected low_res_masks float32\[1, 1, K, h, w\] .*got low_res_masks float32\[1, 2, 3, 2, 2\], iou_scores float32\[1, 2, 3\]/,
    );
  });
});
