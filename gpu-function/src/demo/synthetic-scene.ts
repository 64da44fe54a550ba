// The embedded default picture for `zone demo`: a procedurally painted landscape (sky gradient,
// sun, two hills, a ball on the grass) with the "segments" a segmenter would propose for it.
// Painted in code so the demo needs no downloaded or bundled photo.
import type { Mask, RgbImage } from "../image/types.ts";
import { mulberry32 } from "./prng.ts";
import { ellipseMask } from "./synthetic-edit.ts";

export interface SyntheticScene {
  image: RgbImage;
  /** Candidate segments, as SAM would propose them: name and mask. */
  segments: Array<{ name: string; mask: Mask }>;
  /** The object the demo edits ("make the ball blue"). */
  target: Mask;
}

export function syntheticScene(width = 640, height = 480, seed = 7): SyntheticScene {
  const random = mulberry32(seed);
  const data = new Uint8Array(width * height * 3);
  const hillA = (x: number) => height * 0.62 - Math.sin((x / width) * Math.PI) * height * 0.12;
  const hillB = (x: number) => height * 0.7 - Math.sin((x / width) * Math.PI * 2 + 1) * height * 0.06;
  const sun = ellipseMask(width, height, width * 0.78, height * 0.2, height * 0.09, height * 0.09);
  const ball = ellipseMask(width, height, width * 0.32, height * 0.78, height * 0.1, height * 0.1);
  const sky = new Uint8Array(width * height);
  const hills = new Uint8Array(width * height);
  const grass = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let rgb: [number, number, number];
      if (ball.data[i]) {
        // Red ball, shaded from the top left.
        const shade = 1 - ((x - width * 0.29) ** 2 + (y - height * 0.75) ** 2) / (height * 0.2) ** 2;
        rgb = [150 + 90 * shade, 30 + 25 * shade, 30 + 20 * shade];
      } else if (y > hillB(x)) {
        grass[i] = 255;
        rgb = [70, 140 - (y / height) * 40, 50];
      } else if (y > hillA(x)) {
        hills[i] = 255;
        rgb = [90, 120, 70];
      } else if (sun.data[i]) {
        rgb = [255, 225, 120];
      } else {
        sky[i] = 255;
        rgb = [120 + (y / height) * 80, 170 + (y / height) * 50, 235];
      }
      for (let c = 0; c < 3; c++)
        data[i * 3 + c] = Math.min(255, Math.max(0, Math.round(rgb[c] + (random() - 0.5) * 6)));
    }
  }
  const segments = [
    { name: "sky", mask: { width, height, data: sky } },
    { name: "sun", mask: sun },
    { name: "hills", mask: { width, height, data: hills } },
    { name: "grass", mask: { width, height, data: grass } },
    { name: "ball", mask: ball },
  ];
  return { image: { width, height, data }, segments, target: ball };
}
