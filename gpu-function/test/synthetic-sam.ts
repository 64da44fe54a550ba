// A stand-in for SAM's mask decoder on a synthetic scene, for tests and benchmarks: the scene is
// a label map of overlapping ellipses, some gathered in groups; a point prompt gets SAM's three
// granularities as smooth low-resolution logits (signed distance to the region's edge, in the
// padded 1024 frame): a part (the point's object within a disc around the point), the object,
// and the object's group (for the background: the whole image). Predicted IoUs vary per point
// around a per-level mean, so the filters and NMS have real work; some objects have soft edges,
// so their masks fail the stability filter. Deterministic for a seed.
import { mulberry32 } from "../src/demo/prng.ts";
import type { Mask } from "../src/image/types.ts";
import type { SamDecoderOutput, SamPointDecoder } from "../src/segment/sam-decoder.ts";
import { samFrame } from "../src/segment/sam-preprocess.ts";
import type { SamFrame } from "../src/segment/upscale-plan.ts";

export interface SyntheticScene {
  frame: SamFrame;
  /** (H, W) object index + 1 per pixel; 0 is the background. */
  labels: Int32Array;
  /** Object masks at the image's size, in label order (label k + 1 is objects[k]). */
  objects: Mask[];
  /** Group of each object; objects of one group form SAM's coarsest level. */
  groups: number[];
  /** Logit slope (per low-res pixel) of each object's edge: soft edges fail the stability filter. */
  slopes: number[];
}

const LOW = 256;

export function syntheticScene(width: number, height: number, seed = 1, objectCount = 10): SyntheticScene {
  const random = mulberry32(seed);
  const labels = new Int32Array(width * height);
  const objects: Mask[] = [];
  const groups: number[] = [];
  const slopes: number[] = [];
  const side = Math.min(width, height);
  for (let k = 0; k < objectCount; k++) {
    const cx = random() * width;
    const cy = random() * height;
    const rx = side * (0.05 + random() * 0.2);
    const ry = side * (0.05 + random() * 0.2);
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(height, Math.ceil(cy + ry)); y++) {
      for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(width, Math.ceil(cx + rx)); x++) {
        if (((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 < 1) labels[y * width + x] = k + 1;
      }
    }
    groups.push(Math.floor(random() * Math.max(1, objectCount / 3)));
    slopes.push(random() < 0.2 ? 0.3 : 3);
  }
  for (let k = 0; k < objectCount; k++) {
    const data = Uint8Array.from(labels, (l) => (l === k + 1 ? 255 : 0));
    objects.push({ width, height, data });
  }
  return { frame: samFrame(width, height), labels, objects, groups, slopes };
}

/** Euclidean-ish (chamfer 1, sqrt 2) distance of every cell to the nearest seed cell. */
function chamfer(seeds: Uint8Array, n: number): Float32Array {
  const d = Float32Array.from(seeds, (s) => (s ? 0 : 1e9));
  const diag = Math.SQRT2;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const i = y * n + x;
      let v = d[i];
      if (x > 0) v = Math.min(v, d[i - 1] + 1);
      if (y > 0) {
        v = Math.min(v, d[i - n] + 1);
        if (x > 0) v = Math.min(v, d[i - n - 1] + diag);
        if (x < n - 1) v = Math.min(v, d[i - n + 1] + diag);
      }
      d[i] = v;
    }
  }
  for (let y = n - 1; y >= 0; y--) {
    for (let x = n - 1; x >= 0; x--) {
      const i = y * n + x;
      let v = d[i];
      if (x < n - 1) v = Math.min(v, d[i + 1] + 1);
      if (y < n - 1) {
        v = Math.min(v, d[i + n] + 1);
        if (x < n - 1) v = Math.min(v, d[i + n + 1] + diag);
        if (x > 0) v = Math.min(v, d[i + n - 1] + diag);
      }
      d[i] = v;
    }
  }
  return d;
}

/** Low-res logits of a region: slope * (signed distance - 0.5), -30 in the padding. */
function regionLogits(
  scene: SyntheticScene,
  inside: (label: number) => boolean,
  slope: number,
): Float32Array {
  const { frame, labels } = scene;
  const validW = Math.ceil(frame.inputWidth / 4);
  const validH = Math.ceil(frame.inputHeight / 4);
  const on = new Uint8Array(LOW * LOW);
  const off = new Uint8Array(LOW * LOW).fill(1);
  for (let j = 0; j < validH; j++) {
    const y = Math.min(frame.height - 1, Math.floor(((4 * j + 2) * frame.height) / frame.inputHeight));
    for (let i = 0; i < validW; i++) {
      const x = Math.min(frame.width - 1, Math.floor(((4 * i + 2) * frame.width) / frame.inputWidth));
      if (inside(labels[y * frame.width + x])) {
        on[j * LOW + i] = 1;
        off[j * LOW + i] = 0;
      }
    }
  }
  const toOutside = chamfer(off, LOW);
  const toInside = chamfer(on, LOW);
  const out = new Float32Array(LOW * LOW);
  for (let j = 0; j < LOW; j++) {
    for (let i = 0; i < LOW; i++) {
      const k = j * LOW + i;
      const sd = on[k] ? toOutside[k] : -toInside[k];
      out[k] = j < validH && i < validW ? Math.max(-30, Math.min(30, slope * (sd - 0.5))) : -30;
    }
  }
  return out;
}

export interface SyntheticDecoderOptions {
  /** Mean predicted IoU of the part, object and group levels. */
  levelIou: [number, number, number];
  /** Predicted IoUs spread uniformly by +- this around the mean. */
  iouSpread: number;
  /**
   * The object and group masks' edges move by up to +- this many low-res pixels from point to
   * point (a real decoder's answers differ a little with the prompt), so copies of one region
   * from different points are not identical.
   */
  edgeJitter: number;
}

export const SYNTHETIC_DECODER_DEFAULTS: Readonly<SyntheticDecoderOptions> = {
  levelIou: [0.84, 0.95, 0.88],
  iouSpread: 0.06,
  edgeJitter: 1,
};

/** A point decoder answering like SAM would on the scene (masks per point: part, object, group). */
export function syntheticDecoder(
  scene: SyntheticScene,
  options: Partial<SyntheticDecoderOptions> = {},
): SamPointDecoder {
  const o = { ...SYNTHETIC_DECODER_DEFAULTS, ...options };
  const { frame, labels, objects } = scene;
  const objectLogits = objects.map((_, k) => regionLogits(scene, (l) => l === k + 1, scene.slopes[k]));
  const objectSlope = (label: number) => (label === 0 ? 3 : scene.slopes[label - 1]);
  const background = regionLogits(scene, (l) => l === 0, 3);
  const groupLogits = new Map<number, Float32Array>();
  const whole = regionLogits(scene, () => true, 3);
  const sx = frame.inputWidth / frame.width / 4;
  const sy = frame.inputHeight / frame.height / 4;
  return async (points) => {
    const count = points.length / 2;
    const size = LOW * LOW;
    const lowRes = new Float32Array(count * 3 * size);
    const iou = new Float32Array(count * 3);
    for (let p = 0; p < count; p++) {
      const x = points[2 * p];
      const y = points[2 * p + 1];
      const label =
        labels[
          Math.min(frame.height - 1, Math.floor(y)) * frame.width + Math.min(frame.width - 1, Math.floor(x))
        ];
      const object = label === 0 ? background : objectLogits[label - 1];
      let group = whole;
      if (label !== 0) {
        const g = scene.groups[label - 1];
        if (!groupLogits.has(g)) {
          groupLogits.set(
            g,
            regionLogits(scene, (l) => l !== 0 && scene.groups[l - 1] === g, 3),
          );
        }
        group = groupLogits.get(g)!;
      }
      // The part: the object within a disc around the point (radius 24 low-res pixels), with the
      // logits clamped at -30 like the others (so only the disc's neighbourhood is computed).
      const base = p * 3 * size;
      const px = x * sx;
      const py = y * sy;
      lowRes.fill(-30, base, base + size);
      for (let j = Math.max(0, Math.floor(py - 35)); j < Math.min(LOW, Math.ceil(py + 35)); j++) {
        for (let i = Math.max(0, Math.floor(px - 35)); i < Math.min(LOW, Math.ceil(px + 35)); i++) {
          const disc = 3 * (24 - Math.hypot(i + 0.5 - px, j + 0.5 - py));
          lowRes[base + j * LOW + i] = Math.max(-30, Math.min(object[j * LOW + i], disc));
        }
      }
      const random = mulberry32(
        (Math.imul(Math.round(x * 8), 73856093) ^ Math.imul(Math.round(y * 8), 19349663)) >>> 0,
      );
      for (let k = 0; k < 3; k++) iou[3 * p + k] = o.levelIou[k] + (2 * random() - 1) * o.iouSpread;
      // The object and the group, their edges moved by this point's jitter.
      const objectShift = objectSlope(label) * (2 * random() - 1) * o.edgeJitter;
      const groupShift = 3 * (2 * random() - 1) * o.edgeJitter;
      for (let i = 0; i < size; i++) {
        lowRes[base + size + i] = object[i] + objectShift;
        lowRes[base + 2 * size + i] = group[i] + groupShift;
      }
    }
    const out: SamDecoderOutput = {
      lowRes,
      iou,
      points: count,
      masksPerPoint: 3,
      lowHeight: LOW,
      lowWidth: LOW,
    };
    return out;
  };
}

/**
 * A rough mask like ZONE's attention mask of `object`: on in every cell of `cell` pixels that the
 * object covers at least `coverage` of (blocky, a little too big or too small at the edges).
 */
export function blockyRoughMask(object: Mask, cell: number, coverage = 0.5): Mask {
  const { width, height } = object;
  const data = new Uint8Array(width * height);
  for (let cy = 0; cy < height; cy += cell) {
    for (let cx = 0; cx < width; cx += cell) {
      let on = 0;
      let all = 0;
      for (let y = cy; y < Math.min(height, cy + cell); y++) {
        for (let x = cx; x < Math.min(width, cx + cell); x++) {
          all++;
          if (object.data[y * width + x]) on++;
        }
      }
      if (on < coverage * all) continue;
      for (let y = cy; y < Math.min(height, cy + cell); y++)
        data.fill(255, y * width + cx, y * width + Math.min(width, cx + cell));
    }
  }
  return { width, height, data };
}
