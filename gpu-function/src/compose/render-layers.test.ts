import { describe, expect, it } from "vitest";
import { sourceOf } from "./compose-edit.ts";
import { RING_ALPHA } from "./composite.ts";
import { isFastPath, renderLayers } from "./render-layers.ts";

const base = sourceOf({ width: 2, height: 1, data: new Uint8Array([10, 20, 30, 101, 101, 101]) });
/** Pixel 0 untouched, pixel 1 in the ring. */
const layer = { width: 2, height: 1, data: new Uint8Array([0, 0, 0, 0, 200, 200, 200, RING_ALPHA]) };

describe("renderLayers", () => {
  it("takes the fast path only for 8-bit, opaque, untagged images (as decodeInput does)", () => {
    expect(isFastPath(base)).toBe(true);
    expect(isFastPath({ ...base, icc: new Uint8Array(4) })).toBe(false);
    expect(isFastPath({ ...base, channels: 4, data: new Uint8Array(8) })).toBe(false);
    expect(isFastPath({ ...base, depth: 16, data: new Uint16Array(6) })).toBe(false);
  });

  it("composites in order, rounding the ring, or truncating it as the release does", async () => {
    // 0.6 * 200 + 0.4 * 101 = 160.4: both give 160; a second ring over 160: 0.6 * 200 + 0.4 * 160 = 184.
    const once = await renderLayers(base, [{ layer, ring: "round" }]);
    expect(Array.from(once.data)).toEqual([10, 20, 30, 160, 160, 160]);
    const twice = await renderLayers(base, [
      { layer, ring: "round" },
      { layer, ring: "round" },
    ]);
    expect(Array.from(twice.data)).toEqual([10, 20, 30, 184, 184, 184]);
    // 0.6 * 200 + 0.4 * 102 = 160.8: rounded 161, truncated 160.
    const b2 = { ...base, data: new Uint8Array([10, 20, 30, 102, 102, 102]) };
    expect(Array.from((await renderLayers(b2, [{ layer, ring: "round" }])).data).slice(3)).toEqual([
      161, 161, 161,
    ]);
    expect(Array.from((await renderLayers(b2, [{ layer, ring: "truncate" }])).data).slice(3)).toEqual([
      160, 160, 160,
    ]);
  });

  it("leaves the original untouched and refuses a layer of another size", async () => {
    await renderLayers(base, [{ layer, ring: "round" }]);
    expect(Array.from(base.data)).toEqual([10, 20, 30, 101, 101, 101]);
    await expect(
      renderLayers(base, [{ layer: { width: 1, height: 1, data: new Uint8Array(4) }, ring: "round" }]),
    ).rejects.toThrow(/1x1/);
  });
});
