import { describe, expect, it } from "vitest";
import { maskIou, measureGuidedAgreement } from "./guided-agreement.ts";
import { blockyRoughMask, syntheticDecoder, syntheticScene } from "./synthetic-sam.ts";

const area = (data: Uint8Array) => data.reduce((n, v) => n + (v ? 1 : 0), 0);

describe("guided vs full grid on synthetic scenes", () => {
  // 256 x 256 scenes, 16 x 16 grid (a quarter of the release's points, to keep the test fast).
  it.each([1, 2, 3])(
    "scene %i: the guided pick agrees with the full grid's on fewer points",
    async (seed) => {
      const scene = syntheticScene(256, 256, seed);
      const decode = syntheticDecoder(scene);
      const sizes = scene.objects.map((o) => area(o.data));
      const target = sizes.indexOf(Math.max(...sizes));
      const rough = blockyRoughMask(scene.objects[target], 16);
      const a = await measureGuidedAgreement(decode, scene.frame, rough, { masks: { pointsPerSide: 16 } });
      expect(a.full.points).toBe(256);
      expect(a.guided.points).toBeLessThan(a.full.points / 2);
      expect(a.guided.points).toBeGreaterThan(0);
      expect(a.full.chosen).not.toBeNull();
      expect(a.full.regionIou).toBeGreaterThan(0.6);
      expect(a.agreementIou).toBeGreaterThan(0.95);
    },
  );

  it("measures a miss: a rough mask between grid points gives the guided mode nothing to decode", async () => {
    const scene = syntheticScene(128, 128, 4);
    const decode = syntheticDecoder(scene);
    // An 4 x 4 rough mask inside an object, between the 8 x 8 grid's points (at 8 + 16k).
    const object =
      scene.objects[
        scene.objects.map((o) => area(o.data)).indexOf(Math.max(...scene.objects.map((o) => area(o.data))))
      ];
    const inside = (x: number, y: number) => object.data[y * 128 + x] !== 0;
    let spot: [number, number] | null = null;
    for (let y = 10; y < 124 && !spot; y += 16) {
      for (let x = 10; x < 124 && !spot; x += 16) {
        if ([0, 3].every((dy) => [0, 3].every((dx) => inside(x + dx, y + dy)))) spot = [x, y];
      }
    }
    expect(spot).not.toBeNull();
    const rough = { width: 128, height: 128, data: new Uint8Array(128 * 128) };
    for (let y = spot![1]; y < spot![1] + 4; y++)
      rough.data.fill(255, y * 128 + spot![0], y * 128 + spot![0] + 4);
    const a = await measureGuidedAgreement(decode, scene.frame, rough, {
      masks: { pointsPerSide: 8 },
      guideMargin: 0,
    });
    expect(a.guided).toMatchObject({ points: 0, candidates: 0, chosen: null });
    expect(a.full.chosen).not.toBeNull();
    // The guided fine mask is the rough mask less its small components (nothing): no agreement.
    expect(a.agreementIou).toBe(0);
  });
});

describe("maskIou", () => {
  const m = (bits: number[]) => ({
    width: bits.length,
    height: 1,
    data: Uint8Array.from(bits, (b) => b * 255),
  });
  it.each([
    [[1, 1, 0, 0], [1, 1, 0, 0], 1],
    [[1, 1, 0, 0], [0, 1, 1, 0], 1 / 3],
    [[1, 0, 0, 0], [0, 0, 0, 1], 0],
    [[0, 0], [0, 0], 1], // two empty masks are the same mask
  ])("%j vs %j -> %f", (a, b, iou) => {
    expect(maskIou(m(a), m(b))).toBeCloseTo(iou, 12);
  });
});
