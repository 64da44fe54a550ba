import { describe, expect, it } from "vitest";
import { generateMasks } from "../src/segment/automatic-masks.ts";
import { samMaskToFull } from "../src/segment/sam-mask.ts";
import { maskIou } from "./guided-agreement.ts";
import { blockyRoughMask, syntheticDecoder, syntheticScene } from "./synthetic-sam.ts";

/** A pixel well inside object k (its label there, and in a 5 x 5 neighbourhood). */
function interior(scene: ReturnType<typeof syntheticScene>, k: number): [number, number] | null {
  const { width, height } = scene.frame;
  for (let y = 2; y < height - 2; y++) {
    for (let x = 2; x < width - 2; x++) {
      let ok = true;
      for (let dy = -2; dy <= 2 && ok; dy++)
        for (let dx = -2; dx <= 2 && ok; dx++) ok = scene.labels[(y + dy) * width + x + dx] === k + 1;
      if (ok) return [x + 0.5, y + 0.5];
    }
  }
  return null;
}

describe("the synthetic SAM scene and decoder (test and benchmark stand-ins)", () => {
  const scene = syntheticScene(200, 150, 3);

  it("labels every pixel with the last object drawn over it", () => {
    expect(scene.objects.length).toBe(10);
    for (let i = 0; i < scene.labels.length; i++) {
      const owners = scene.objects.flatMap((o, k) => (o.data[i] ? [k + 1] : []));
      expect(owners.length).toBeLessThanOrEqual(1);
      expect(scene.labels[i]).toBe(owners[0] ?? 0);
    }
  });

  it("answers a point inside an object with that object as the middle mask", async () => {
    const decode = syntheticDecoder(scene, { iouSpread: 0 });
    const k = scene.slopes.indexOf(3);
    const point = interior(scene, k)!;
    const result = await generateMasks(decode, scene.frame, Float64Array.from(point), { predIouThresh: 0.9 });
    const object = result.masks.find((m) => m.level === 1)!;
    expect(maskIou(samMaskToFull(object, 200, 150), scene.objects[k])).toBeGreaterThan(0.9);
  });

  it("makes soft-edged objects fail the stability filter", async () => {
    const soft = { ...scene, slopes: scene.slopes.map(() => 0.3) };
    const decode = syntheticDecoder(soft, { iouSpread: 0 });
    const point = interior(soft, 0)!;
    const result = await generateMasks(decode, soft.frame, Float64Array.from(point), { predIouThresh: 0 });
    expect(result.counts.passedIou).toBe(3);
    expect(result.masks.map((m) => m.level)).not.toContain(1);
  });

  it("blockyRoughMask keeps the cells the object covers at least half of", () => {
    const object = {
      width: 4,
      height: 4,
      data: Uint8Array.from([255, 255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255]),
    };
    const rough = blockyRoughMask(object, 2);
    expect(Array.from(rough.data, (v) => (v ? 1 : 0))).toEqual([
      1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });
});
