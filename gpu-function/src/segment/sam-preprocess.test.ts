import { describe, expect, it } from "vitest";
import { preprocessForSam, SAM_PIXEL_MEAN, SAM_PIXEL_STD, samFrame, toInputFrame } from "./sam-preprocess.ts";

describe("samFrame (ResizeLongestSide.get_preprocess_shape)", () => {
  // Reference values: scale = 1024 / max(h, w); int(side * scale + 0.5).
  it.each([
    { w: 512, h: 512, inputWidth: 1024, inputHeight: 1024 },
    { w: 451, h: 300, inputWidth: 1024, inputHeight: 681 },
    { w: 500, h: 333, inputWidth: 1024, inputHeight: 682 },
    { w: 3000, h: 4000, inputWidth: 768, inputHeight: 1024 },
    { w: 3, h: 7, inputWidth: 439, inputHeight: 1024 },
    { w: 40, h: 1, inputWidth: 1024, inputHeight: 26 },
    { w: 2048, h: 1, inputWidth: 1024, inputHeight: 1 }, // 0.5 rounds up to 1
    { w: 5000, h: 1, inputWidth: 1024, inputHeight: 1 }, // would be 0: kept at 1
  ])("$w x $h -> $inputWidth x $inputHeight", ({ w, h, inputWidth, inputHeight }) => {
    expect(samFrame(w, h)).toEqual({ width: w, height: h, size: 1024, inputWidth, inputHeight });
  });

  it("rejects empty images", () => {
    expect(() => samFrame(0, 10)).toThrow(/positive integers, got 0x10/);
  });
});

describe("toInputFrame (ResizeLongestSide.apply_coords)", () => {
  it("scales x by inputWidth / width and y by inputHeight / height", () => {
    const frame = samFrame(451, 300);
    const got = toInputFrame(Float64Array.from([0, 0, 112.75, 75, 451, 300]), frame);
    expect(Array.from(got)).toEqual([
      0,
      0,
      Math.fround(112.75 * (1024 / 451)),
      Math.fround(75 * (681 / 300)),
      1024,
      681,
    ]);
  });
});

describe("preprocessForSam", () => {
  it("normalises each channel, lays it out (1, 3, S, S) and pads with zeros", async () => {
    // A 4 x 2 image of one colour, to a 16-pixel model input: 16 x 8, then 8 rows of padding.
    const colour = [200, 100, 50];
    const image = { width: 4, height: 2, data: new Uint8Array(8 * 3).map((_, i) => colour[i % 3]) };
    const { pixelValues, frame } = await preprocessForSam(image, 16);
    expect(frame).toEqual({ width: 4, height: 2, size: 16, inputWidth: 16, inputHeight: 8 });
    expect(pixelValues.length).toBe(3 * 256);
    for (let c = 0; c < 3; c++) {
      const want = Math.fround((colour[c] - SAM_PIXEL_MEAN[c]) / SAM_PIXEL_STD[c]);
      expect(pixelValues[c * 256 + 0]).toBe(want);
      expect(pixelValues[c * 256 + 7 * 16 + 15]).toBe(want); // last pixel of the image
      expect(pixelValues[c * 256 + 8 * 16]).toBe(0); // first padding row
      expect(pixelValues[c * 256 + 15 * 16 + 15]).toBe(0);
    }
  });

  it("keeps an image already at the model size as it is", async () => {
    const image = { width: 8, height: 8, data: new Uint8Array(64 * 3).map((_, i) => (i * 7) % 256) };
    const { pixelValues } = await preprocessForSam(image, 8);
    const plane = 64;
    for (const p of [0, 9, 63]) {
      for (let c = 0; c < 3; c++) {
        expect(pixelValues[c * plane + p]).toBeCloseTo(
          (image.data[p * 3 + c] - SAM_PIXEL_MEAN[c]) / SAM_PIXEL_STD[c],
          5,
        );
      }
    }
  });
});
