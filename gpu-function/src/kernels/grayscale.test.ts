import { describe, expect, it } from "vitest";
import { lumaOf, releaseGreyOf } from "./grayscale.ts";

const luma = (image: { data: Uint8Array }) =>
  Array.from({ length: image.data.length / 3 }, (_, i) =>
    lumaOf(image.data[i * 3], image.data[i * 3 + 1], image.data[i * 3 + 2]),
  );

describe("luma", () => {
  it("equals cv2.cvtColor(RGB2GRAY) on reference pixels", () => {
    // Expected values from OpenCV 4.6.
    const data = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 12, 200, 77, 128, 128, 128, 1, 2, 3]);
    expect(luma({ data })).toEqual([76, 150, 29, 130, 128, 2]);
  });

  it("maps every grey to itself", () => {
    const data = new Uint8Array(256 * 3);
    for (let v = 0; v < 256; v++) data.fill(v, v * 3, v * 3 + 3);
    expect(luma({ data })).toEqual(Array.from({ length: 256 }, (_, v) => v));
  });
});

describe("the release's grey", () => {
  it("equals cv2.cvtColor(cv2.cvtColor(rgb, RGB2BGR), RGB2GRAY): red and blue weights swapped", () => {
    // Expected values from OpenCV 4.6 (python3-opencv), the release's two calls.
    const px = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [12, 200, 77],
      [128, 128, 128],
      [1, 2, 3],
    ];
    expect(px.map(([r, g, b]) => releaseGreyOf(r, g, b))).toEqual([29, 150, 76, 142, 128, 2]);
  });
});
