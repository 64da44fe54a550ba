// Helpers for kernel tests: masks from ASCII art and fast-check arbitraries for random masks.
import fc from "fast-check";
import type { Mask } from "../src/image/types.ts";

/** Rows of "#" (on) and "." (off). */
export function maskFromArt(rows: string[]): Mask {
  const height = rows.length;
  const width = rows[0].length;
  const data = new Uint8Array(width * height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) data[y * width + x] = row[x] === "#" ? 255 : 0;
  });
  return { width, height, data };
}

export function maskToArt(mask: Mask): string[] {
  const rows: string[] = [];
  for (let y = 0; y < mask.height; y++) {
    let row = "";
    for (let x = 0; x < mask.width; x++) row += mask.data[y * mask.width + x] ? "#" : ".";
    rows.push(row);
  }
  return rows;
}

/** Random binary masks up to maxSide x maxSide with a random density. */
export function arbitraryMask(maxSide = 24): fc.Arbitrary<Mask> {
  return fc
    .record({
      width: fc.integer({ min: 1, max: maxSide }),
      height: fc.integer({ min: 1, max: maxSide }),
      density: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map(({ width, height, density, seed }) => {
      const data = new Uint8Array(width * height);
      let s = seed >>> 0;
      for (let i = 0; i < data.length; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        data[i] = s / 2 ** 32 < density ? 255 : 0;
      }
      return { width, height, data };
    });
}

/** Mostly empty frames (up to maxSide) holding a few random blobs, so content boxes are small. */
export function arbitrarySparseMask(maxSide = 60): fc.Arbitrary<Mask> {
  return fc
    .record({
      width: fc.integer({ min: 1, max: maxSide }),
      height: fc.integer({ min: 1, max: maxSide }),
      blobs: fc.array(
        fc.record({
          x: fc.double({ min: 0, max: 1, noNaN: true }),
          y: fc.double({ min: 0, max: 1, noNaN: true }),
          size: fc.integer({ min: 1, max: 12 }),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        { maxLength: 3 },
      ),
    })
    .map(({ width, height, blobs }) => {
      const data = new Uint8Array(width * height);
      for (const blob of blobs) {
        const cx = Math.floor(blob.x * width);
        const cy = Math.floor(blob.y * height);
        let s = blob.seed >>> 0;
        for (let dy = 0; dy < blob.size; dy++) {
          for (let dx = 0; dx < blob.size; dx++) {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            const x = cx + dx;
            const y = cy + dy;
            if (x < width && y < height && s / 2 ** 32 < 0.6) data[y * width + x] = 255;
          }
        }
      }
      return { width, height, data };
    });
}
