// Rough mask M_b from averaged cross-attention maps (method section 3, release semantics).
//
// For the start token (index 0) and the instruction's end token (index n - 1), each map is
// scaled to 0..255 by its own maximum and truncated to 8 bits; D = saturating(A_0 - A_{n-1});
// D is resized bicubically to the working resolution, doubled with saturation, and
// M_b = 255 where 2D <= threshold (108). Components under `minRegion` pixels are removed.
import { ZONE_DEFAULTS } from "@zone/shared";
import type { Mask } from "../image/types.ts";
import { resizeBicubic } from "../kernels/bicubic.ts";
import { filterSmallRegions } from "../kernels/connected-components.ts";

/** Averaged attention `A` with shape (height, width, tokens), e.g. (16, 16, 77) for 512 px. */
export interface AttentionMaps {
  readonly width: number;
  readonly height: number;
  readonly tokens: number;
  readonly data: Float32Array;
}

export interface RoughMaskOptions {
  /** M_b is on where 2D <= threshold. */
  threshold: number;
  /** Components smaller than this are removed (4-connectivity). */
  minRegion: number;
  /** "exact" removal, or the release's filter_small_regions. */
  smallRegions: "exact" | "release";
}

export const ROUGH_MASK_DEFAULTS: Readonly<RoughMaskOptions> = {
  ...ZONE_DEFAULTS.localize,
  smallRegions: ZONE_DEFAULTS.smallRegions,
};

// uint8(255 * A_i / max A_i), numpy's astype truncation; an all-zero map stays zero.
function tokenMap(maps: AttentionMaps, token: number): Uint8Array {
  const n = maps.width * maps.height;
  const out = new Uint8Array(n);
  let max = 0;
  for (let p = 0; p < n; p++) max = Math.max(max, maps.data[p * maps.tokens + token]);
  if (!(max > 0)) return out;
  for (let p = 0; p < n; p++) {
    const v = Math.trunc((255 * maps.data[p * maps.tokens + token]) / max);
    out[p] = Math.min(255, Math.max(0, v));
  }
  return out;
}

/**
 * D = saturating(A_0 - A_{n-1}) resized bicubically to the working resolution (8-bit): the map
 * the rough mask thresholds, also shown to people as the attention heatmap.
 * @param tokenCount `n`: the instruction's token count including start and end tokens (>= 2).
 */
export function attentionDifference(
  maps: AttentionMaps,
  tokenCount: number,
  workWidth: number,
  workHeight: number,
): Uint8Array {
  if (maps.data.length !== maps.width * maps.height * maps.tokens) {
    throw new RangeError(
      `attention maps: ${maps.data.length} values for shape (${maps.height}, ${maps.width}, ${maps.tokens})`,
    );
  }
  if (!Number.isInteger(tokenCount) || tokenCount < 2 || tokenCount > maps.tokens) {
    throw new RangeError(`token count must be an integer in 2..${maps.tokens}, got ${tokenCount}`);
  }
  const start = tokenMap(maps, 0);
  const end = tokenMap(maps, tokenCount - 1);
  const diff = new Uint8Array(start.length);
  for (let p = 0; p < diff.length; p++) diff[p] = Math.max(0, start[p] - end[p]);
  return resizeBicubic(diff, maps.width, maps.height, workWidth, workHeight);
}

/** M_b from D at the working resolution: on where 2D <= threshold, small components removed. */
export function roughMaskFromAttentionDifference(
  difference: Uint8Array,
  workWidth: number,
  workHeight: number,
  options: Partial<RoughMaskOptions> = {},
): Mask {
  const { threshold, minRegion, smallRegions } = { ...ROUGH_MASK_DEFAULTS, ...options };
  if (difference.length !== workWidth * workHeight) {
    throw new RangeError(`attention difference: ${difference.length} values for ${workWidth}x${workHeight}`);
  }
  const data = new Uint8Array(difference.length);
  for (let p = 0; p < data.length; p++) data[p] = Math.min(255, 2 * difference[p]) <= threshold ? 255 : 0;
  return filterSmallRegions({ width: workWidth, height: workHeight, data }, minRegion, smallRegions);
}

/** M_b from the attention maps; see attentionDifference for `tokenCount`. */
export function roughMaskFromAttention(
  maps: AttentionMaps,
  tokenCount: number,
  workWidth: number,
  workHeight: number,
  options: Partial<RoughMaskOptions> = {},
): Mask {
  const difference = attentionDifference(maps, tokenCount, workWidth, workHeight);
  return roughMaskFromAttentionDifference(difference, workWidth, workHeight, options);
}
