// Working resolution (method section 0): the diffusion models see at most `maxSide` pixels on the
// long side with both sides multiples of 8 (latents are 1/8). Like the release, the long side is
// scaled to exactly `maxSide` (small images are enlarged) unless `upscale` is false. The
// original's size is kept so the layer can be mapped back.

export interface WorkingResolution {
  width: number;
  height: number;
  originalWidth: number;
  originalHeight: number;
}

export interface WorkingResolutionOptions {
  maxSide: number;
  multiple: number;
  /** Enlarge images whose long side is under maxSide (release: yes). */
  upscale: boolean;
}

export const WORKING_RESOLUTION_DEFAULTS: Readonly<WorkingResolutionOptions> = {
  maxSide: 512,
  multiple: 8,
  upscale: true,
};

export function workingResolution(
  originalWidth: number,
  originalHeight: number,
  options: Partial<WorkingResolutionOptions> = {},
): WorkingResolution {
  const { maxSide, multiple, upscale } = { ...WORKING_RESOLUTION_DEFAULTS, ...options };
  if (!(originalWidth >= 1 && originalHeight >= 1)) {
    throw new RangeError(`image size must be positive, got ${originalWidth}x${originalHeight}`);
  }
  if (maxSide % multiple !== 0) throw new RangeError(`maxSide ${maxSide} is not a multiple of ${multiple}`);
  const long = Math.max(originalWidth, originalHeight);
  const scale = long > maxSide || upscale ? maxSide / long : 1;
  // Nearest multiple, at least one multiple, never above maxSide.
  const snap = (side: number): number =>
    Math.min(maxSide, Math.max(multiple, Math.round((side * scale) / multiple) * multiple));
  return { width: snap(originalWidth), height: snap(originalHeight), originalWidth, originalHeight };
}
