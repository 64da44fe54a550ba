// Pixel containers shared by every stage. Row-major, interleaved, 8-bit.

/** (H, W, 3) RGB. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** (H, W, 4) RGBA, straight (not premultiplied) alpha. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** (H, W) binary mask; every value is 0 or 255. */
export interface Mask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export function createMask(width: number, height: number): Mask {
  return { width, height, data: new Uint8Array(width * height) };
}

export function countOn(mask: Mask): number {
  let count = 0;
  const data = mask.data;
  for (let i = 0; i < data.length; i++) count += data[i] & 1;
  return count;
}

export interface BoundingBox {
  /** Inclusive left, top; exclusive right, bottom (x1 - x0 is the width). */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Smallest box holding every "on" pixel, or null for an empty mask. */
export function maskBoundingBox(mask: Mask): BoundingBox | null {
  const { width, height, data } = mask;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x] !== 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** Throws unless every item has the given size; `what` names them in the message. */
export function assertSize(
  items: ReadonlyArray<{ width: number; height: number }>,
  width: number,
  height: number,
  what: string,
): void {
  for (const item of items) {
    if (item.width !== width || item.height !== height) {
      throw new RangeError(`${what}: expected ${width}x${height}, got ${item.width}x${item.height}`);
    }
  }
}
