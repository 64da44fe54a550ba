// A mask as the meter measures it, kept compact until it is needed: full-width spans (rows of a
// block of outputs that are all in the mask) and single pixels (edge pixels evaluated one by one).
// Most measured masks are dropped by the filters or by NMS and are never drawn.
import type { Mask } from "../image/types.ts";

export interface MaskRecording {
  /** Inclusive [x0, y0, x1, y1] in the image. */
  box: [number, number, number, number];
  /** The image width (pixel indices are y * width + x). */
  width: number;
  /** (x0, x1, y0, y1) per span, ends exclusive. */
  spans: Int32Array;
  pixels: Int32Array;
}

/** A binary mask cut to its box, placed at (x0, y0) in the image. */
export interface CroppedMask {
  x0: number;
  y0: number;
  mask: Mask;
}

/** Collects spans and pixels for one mask at a time; reused across masks. */
export class MaskRecorder {
  private spans: Int32Array = new Int32Array(4 * 1024);
  private spanCount = 0;
  private pixels: Int32Array = new Int32Array(4096);
  private pixelCount = 0;

  reset(): void {
    this.spanCount = 0;
    this.pixelCount = 0;
  }

  span(x0: number, x1: number, y0: number, y1: number): void {
    const k = 4 * (this.spanCount - 1);
    const spans = this.spans;
    // The same rows, continuing the previous span: extend it.
    if (k >= 0 && spans[k + 1] === x0 && spans[k + 2] === y0 && spans[k + 3] === y1) {
      spans[k + 1] = x1;
      return;
    }
    if (4 * this.spanCount === spans.length) this.spans = grown(spans);
    const at = 4 * this.spanCount++;
    this.spans[at] = x0;
    this.spans[at + 1] = x1;
    this.spans[at + 2] = y0;
    this.spans[at + 3] = y1;
  }

  pixel(index: number): void {
    if (this.pixelCount === this.pixels.length) this.pixels = grown(this.pixels);
    this.pixels[this.pixelCount++] = index;
  }

  /** A copy of what was recorded since the last reset. */
  snapshot(box: [number, number, number, number], width: number): MaskRecording {
    return {
      box,
      width,
      spans: this.spans.slice(0, 4 * this.spanCount),
      pixels: this.pixels.slice(0, this.pixelCount),
    };
  }
}

function grown(a: Int32Array): Int32Array {
  const out = new Int32Array(2 * a.length);
  out.set(a);
  return out;
}

/** The recorded mask cut to its box. */
export function drawRecording(recording: MaskRecording): CroppedMask {
  const [bx0, by0, bx1, by1] = recording.box;
  const w = bx1 - bx0 + 1;
  const h = by1 - by0 + 1;
  const data = new Uint8Array(w * h);
  const { spans, pixels, width } = recording;
  for (let k = 0; k < spans.length; k += 4) {
    const from = spans[k] - bx0;
    const to = spans[k + 1] - bx0;
    for (let y = spans[k + 2] - by0; y < spans[k + 3] - by0; y++) {
      const row = y * w;
      if (to - from > 16) data.fill(255, row + from, row + to);
      else for (let x = row + from; x < row + to; x++) data[x] = 255;
    }
  }
  for (let k = 0; k < pixels.length; k++) {
    const p = pixels[k];
    const y = Math.floor(p / width);
    data[(y - by0) * w + (p - y * width - bx0)] = 255;
  }
  return { x0: bx0, y0: by0, mask: { width: w, height: h, data } };
}
