// The warm-up edit run at the end of the cold load: its input (a picture painted in code, a red
// ball on grass under a sky gradient, so the cold start needs no photo and nothing from demo/)
// and its instruction. Only the work matters, not the result: the first real request must not
// pay for lazy initialisation.
import type { RgbImage } from "../image/types.ts";

export const WARMUP_SIZE = 512;
export const WARMUP_INSTRUCTION = "make the ball blue";

/** (H, W, 3) sky gradient over grass from 60% of the height, a red ball at (32%, 78%). */
export function warmupImage(width = WARMUP_SIZE, height = WARMUP_SIZE): RgbImage {
  const data = new Uint8Array(width * height * 3);
  const [cx, cy, r] = [width * 0.32, height * 0.78, Math.min(width, height) * 0.1];
  for (let y = 0; y < height; y++) {
    const t = y / height;
    for (let x = 0; x < width; x++) {
      const rgb =
        (x - cx) ** 2 + (y - cy) ** 2 <= r * r
          ? [200, 40, 40]
          : t > 0.6
            ? [70, Math.round(140 - t * 40), 50]
            : [Math.round(120 + t * 80), Math.round(170 + t * 50), 235];
      data.set(rgb, (y * width + x) * 3);
    }
  }
  return { width, height, data };
}
