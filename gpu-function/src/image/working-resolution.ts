// Working resolution (method section 0): the diffusion models see at most `maxSide` pixels on the
// long side and both sides must be multiples of `multiple` (32: the 1/32 attention grid). The
// image is never stretched: it is scaled with its aspect kept (down when a side exceeds maxSide;
// up to maxSide only with `enlarge`), then padded with black, centred, to the next multiples.
// The release (ptp_utils.check_image_size) does the same with `int()` truncation of the short
// side and no enlarging; `rounding: "truncate"` and `enlarge: false` reproduce it. The padding
// is cropped off before the layer goes back to the original (compose-edit.ts).
import { ZONE_DEFAULTS } from "@zone/shared";

/** Where the scaled image sits inside the padded frame. */
export interface ContentBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WorkingResolution {
  /** The padded frame the models see: multiples of `multiple`. */
  width: number;
  height: number;
  /** The scaled image inside the frame; the rest is black padding. */
  content: ContentBox;
  originalWidth: number;
  originalHeight: number;
}

export interface WorkingResolutionOptions {
  maxSide: number;
  multiple: number;
  /** Scale images whose long side is under maxSide up to it (an option; the release never does). */
  enlarge: boolean;
  /** The scaled short side: rounded to the nearest pixel, or truncated as the release's int(). */
  rounding: "round" | "truncate";
}

const W = ZONE_DEFAULTS.working;
export const WORKING_RESOLUTION_DEFAULTS: Readonly<WorkingResolutionOptions> = {
  maxSide: W.maxSide,
  multiple: W.multiple,
  enlarge: W.enlarge,
  rounding: W.rounding,
};

export function workingResolution(
  originalWidth: number,
  originalHeight: number,
  options: Partial<WorkingResolutionOptions> = {},
): WorkingResolution {
  const { maxSide, multiple, enlarge, rounding } = { ...WORKING_RESOLUTION_DEFAULTS, ...options };
  if (
    !(
      Number.isInteger(originalWidth) &&
      Number.isInteger(originalHeight) &&
      originalWidth >= 1 &&
      originalHeight >= 1
    )
  ) {
    throw new RangeError(`image size must be positive integers, got ${originalWidth}x${originalHeight}`);
  }
  if (maxSide % multiple !== 0) throw new RangeError(`maxSide ${maxSide} is not a multiple of ${multiple}`);
  const long = Math.max(originalWidth, originalHeight);
  const resize = long > maxSide || (enlarge && long < maxSide);
  // The long side becomes exactly maxSide; the other keeps the aspect (release: int(h * 512 / w)).
  const side = (s: number): number => {
    if (!resize) return s;
    if (s === long) return maxSide;
    const scaled = (s * maxSide) / long;
    return Math.max(1, rounding === "round" ? Math.round(scaled) : Math.trunc(scaled));
  };
  const cw = side(originalWidth);
  const ch = side(originalHeight);
  const width = Math.ceil(cw / multiple) * multiple;
  const height = Math.ceil(ch / multiple) * multiple;
  // Centred; an odd remainder goes right and below (ImageOps.expand(pad // 2, pad - pad // 2)).
  const content = {
    x: Math.floor((width - cw) / 2),
    y: Math.floor((height - ch) / 2),
    width: cw,
    height: ch,
  };
  return { width, height, content, originalWidth, originalHeight };
}

/** True when the frame is exactly the scaled image (no padding). */
export function isUnpadded(work: WorkingResolution): boolean {
  return work.content.width === work.width && work.content.height === work.height;
}
