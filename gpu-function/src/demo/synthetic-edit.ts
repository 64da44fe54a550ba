// A stand-in for a global instruction editor (InstructPix2Pix and the like), for the demo and the
// end-to-end tests: it recolours one region strongly and, like a real diffusion editor, also
// perturbs every other pixel a little (a global brightness drift plus seeded noise). ZONE's back
// half must keep the region and restore everything else byte for byte.
import type { Mask, RgbImage } from "../image/types.ts";
import { mulberry32 } from "./prng.ts";

export interface SyntheticEditOptions {
  seed: number;
  /** Added to every channel outside the region (a global tone drift). */
  drift: number;
  /** Uniform noise amplitude (+-) added everywhere. */
  noise: number;
  /** The region's new colour is `recolour(r, g, b)`. */
  recolour: (r: number, g: number, b: number) => [number, number, number];
}

export const SYNTHETIC_EDIT_DEFAULTS: Readonly<SyntheticEditOptions> = {
  seed: 42,
  drift: 4,
  noise: 3,
  // A strong change in brightness and hue: inverted and rotated channels.
  recolour: (r, g, b) => [255 - b, 255 - r, 255 - g],
};

/** "Make it blue": keeps the shading, moves the hue to blue (the demo's edit of the red ball). */
export const recolourBlue = (r: number, g: number, b: number): [number, number, number] => [
  b * 0.4,
  g * 0.8,
  Math.min(255, r + 15),
];

const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)));

export function syntheticEdit(
  image: RgbImage,
  region: Mask,
  options: Partial<SyntheticEditOptions> = {},
): RgbImage {
  const o = { ...SYNTHETIC_EDIT_DEFAULTS, ...options };
  const random = mulberry32(o.seed);
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < image.width * image.height; i++) {
    const j = i * 3;
    const r = image.data[j];
    const g = image.data[j + 1];
    const b = image.data[j + 2];
    const [nr, ng, nb] = region.data[i] ? o.recolour(r, g, b) : [r + o.drift, g + o.drift, b + o.drift];
    data[j] = clamp(nr + (random() * 2 - 1) * o.noise);
    data[j + 1] = clamp(ng + (random() * 2 - 1) * o.noise);
    data[j + 2] = clamp(nb + (random() * 2 - 1) * o.noise);
  }
  return { width: image.width, height: image.height, data };
}

/** A filled ellipse mask centred at (cx, cy) with radii (rx, ry). */
export function ellipseMask(
  width: number,
  height: number,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
): Mask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - cx) / rx;
      const dy = (y + 0.5 - cy) / ry;
      if (dx * dx + dy * dy <= 1) data[y * width + x] = 255;
    }
  }
  return { width, height, data };
}
