// Layer blending (method section 5, paper eq. 8): core = M_f* AND M_f takes I_sty, ring =
// M_f* XOR M_f takes 0.6 I_sty + 0.4 G, everything else G. Expressed as an RGBA layer (I_sty
// colour, alpha 255 / 153 / 0) composited "over" the base image, so the same layer can be scaled
// to any resolution and laid over the untouched original.
import { ZONE_DEFAULTS } from "@zone/shared";
import type { Mask, RgbaImage, RgbImage } from "../image/types.ts";
import { assertSize } from "../image/types.ts";

export const CORE_ALPHA = 255;
/** 153 / 255 = 0.6 exactly: the ring's weight of the edited image. */
export const RING_ALPHA = ZONE_DEFAULTS.compose.ringAlpha;

/** RGBA layer from the edited image, the fine mask M_f and the final mask M_f*. */
export function buildLayer(edited: RgbImage, fine: Mask, final: Mask): RgbaImage {
  const { width, height } = edited;
  assertSize([fine, final], width, height, "layer mask");
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const inFinal = final.data[i] !== 0;
    const inFine = fine.data[i] !== 0;
    const alpha = inFinal && inFine ? CORE_ALPHA : inFinal !== inFine ? RING_ALPHA : 0;
    if (alpha === 0) continue; // transparent black
    out[i * 4] = edited.data[i * 3];
    out[i * 4 + 1] = edited.data[i * 3 + 1];
    out[i * 4 + 2] = edited.data[i * 3 + 2];
    out[i * 4 + 3] = alpha;
  }
  return { width, height, data: out };
}

/** The release's ring weight of I_sty (its --alpha 0.6), for the truncated blend. */
const RELEASE_RING_WEIGHT = 0.6;

/**
 * Porter-Duff "over" onto an opaque base, rounded to the nearest integer:
 * out = (C a + B (255 - a)) / 255. Pixels with a = 0 are copied from the base untouched.
 * `ring: "truncate"` reproduces the release: its ring is `sty * 0.6 + gt * (1 - 0.6)` in float64
 * assigned to uint8 (truncated), and other partial alphas (from scaling the layer) truncate too.
 */
export function compositeOver(
  layer: RgbaImage,
  base: RgbImage,
  ring: "round" | "truncate" = "round",
): RgbImage {
  const { width, height } = base;
  assertSize([layer], width, height, "layer");
  const out = new Uint8Array(base.data);
  const l = layer.data;
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    const a = l[i * 4 + 3];
    if (a === 0) continue;
    if (a === 255) {
      out[j] = l[i * 4];
      out[j + 1] = l[i * 4 + 1];
      out[j + 2] = l[i * 4 + 2];
      continue;
    }
    const b = 255 - a;
    if (ring === "truncate") {
      for (let c = 0; c < 3; c++) {
        const e = l[i * 4 + c];
        const g = out[j + c];
        out[j + c] =
          a === RING_ALPHA
            ? Math.trunc(e * RELEASE_RING_WEIGHT + g * (1 - RELEASE_RING_WEIGHT))
            : Math.trunc((e * a + g * b) / 255);
      }
      continue;
    }
    // Round to nearest (0.6 * 255 = 153 exactly, so the ring is round(0.6 E + 0.4 G)).
    out[j] = Math.floor((l[i * 4] * a + out[j] * b) / 255 + 0.5);
    out[j + 1] = Math.floor((l[i * 4 + 1] * a + out[j + 1] * b) / 255 + 0.5);
    out[j + 2] = Math.floor((l[i * 4 + 2] * a + out[j + 2] * b) / 255 + 0.5);
  }
  return { width, height, data: out };
}

/**
 * The edit's mask at the layer's size (the input's, once scaled back): 255 where the layer's alpha
 * is not 0. Every pixel outside it is returned exactly as the input had it.
 */
export function layerMask(layer: RgbaImage): Mask {
  const { width, height } = layer;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = layer.data[i * 4 + 3] === 0 ? 0 : 255;
  return { width, height, data };
}
