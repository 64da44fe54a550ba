import { ZONE_DEFAULTS } from "@zone/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WORKING_RESOLUTION_DEFAULTS, workingResolution } from "./working-resolution.ts";

const box = (x: number, y: number, width: number, height: number) => ({ x, y, width, height });

describe("workingResolution (pad, never stretch)", () => {
  it("takes the method's defaults: 512, multiples of 32, no enlarging, rounding", () => {
    expect(WORKING_RESOLUTION_DEFAULTS).toEqual({
      maxSide: 512,
      multiple: 32,
      enlarge: false,
      rounding: "round",
    });
    expect(WORKING_RESOLUTION_DEFAULTS.enlarge).toBe(ZONE_DEFAULTS.working.enlarge);
  });

  it.each([
    // original w x h -> frame w x h, content box
    [512, 512, 512, 512, box(0, 0, 512, 512)],
    [1024, 768, 512, 384, box(0, 0, 512, 384)], // 4:3
    [768, 1024, 384, 512, box(0, 0, 384, 512)],
    [451, 300, 480, 320, box(14, 10, 451, 300)], // chelsea.png: padded, not enlarged, not stretched
    [640, 427, 512, 352, box(0, 5, 512, 342)], // rocket.jpg: 341.6 rounds to 342
    [600, 400, 512, 352, box(0, 5, 512, 341)], // coffee.png: 341.33 -> 341, padded 5 above, 6 below
    [1920, 1080, 512, 288, box(0, 0, 512, 288)], // 16:9
    [4000, 10, 512, 32, box(0, 15, 512, 1)],
    [20, 20, 32, 32, box(6, 6, 20, 20)],
  ])("%ix%i -> frame %ix%i, content %j", (w, h, fw, fh, content) => {
    expect(workingResolution(w, h)).toEqual({
      width: fw,
      height: fh,
      content,
      originalWidth: w,
      originalHeight: h,
    });
  });

  it("reproduces the release's check_image_size: int() truncation, odd padding right and below", () => {
    // 640 x 427: int(427 * 512 / 640) = int(341.6) = 341; 11 rows of padding: 5 above, 6 below.
    expect(workingResolution(640, 427, { rounding: "truncate" })).toMatchObject({
      width: 512,
      height: 352,
      content: box(0, 5, 512, 341),
    });
    // 451 x 300 is not resized at all; 29 columns of padding: 14 left, 15 right.
    expect(workingResolution(451, 300, { rounding: "truncate" }).content).toEqual(box(14, 10, 451, 300));
  });

  it("enlarges small images only as the option", () => {
    expect(workingResolution(451, 300, { enlarge: true })).toMatchObject({
      width: 512,
      height: 352,
      content: box(0, 5, 512, 341),
    });
    expect(workingResolution(512, 256, { enlarge: true }).content).toEqual(box(0, 0, 512, 256));
  });

  it("always gives a frame of multiples of 32 within 512 holding the content with its aspect, centred", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6000 }),
        fc.integer({ min: 1, max: 6000 }),
        fc.boolean(),
        fc.constantFrom("round" as const, "truncate" as const),
        (w, h, enlarge, rounding) => {
          const r = workingResolution(w, h, { enlarge, rounding });
          const c = r.content;
          expect(r.width % 32).toBe(0);
          expect(r.height % 32).toBe(0);
          expect(Math.max(r.width, r.height)).toBeLessThanOrEqual(512);
          expect(r.width - c.width).toBeLessThan(32);
          expect(r.height - c.height).toBeLessThan(32);
          // Centred: the left/top padding is the floor of half.
          expect(c.x).toBe(Math.floor((r.width - c.width) / 2));
          expect(c.y).toBe(Math.floor((r.height - c.height) / 2));
          const long = Math.max(w, h);
          if (long <= 512 && !enlarge) {
            expect([c.width, c.height]).toEqual([w, h]);
          } else {
            // The long side is exactly 512 and the aspect is kept to within a pixel.
            expect(Math.max(c.width, c.height)).toBe(512);
            const scale = 512 / long;
            expect(Math.abs(c.width - w * scale)).toBeLessThan(1);
            expect(Math.abs(c.height - h * scale)).toBeLessThan(1);
          }
        },
      ),
    );
  });

  it("rejects empty sizes", () => {
    expect(() => workingResolution(0, 10)).toThrow(RangeError);
  });
});
