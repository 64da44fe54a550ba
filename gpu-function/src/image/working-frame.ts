// Into and out of the working frame (working-resolution.ts): an image or mask is scaled to the
// content box and padded with black (mask: off) around it, centred; a layer made in the frame is
// cropped back to the content box before it is scaled to the original's size, so the padding
// never reaches the user.
import { type ColourKernel, resizeMask, resizeRgb } from "./resize.ts";
import type { Mask, RgbaImage, RgbImage } from "./types.ts";
import { type ContentBox, isUnpadded, type WorkingResolution } from "./working-resolution.ts";

function pad(
  data: Uint8Array,
  channels: number,
  content: ContentBox,
  width: number,
  height: number,
): Uint8Array {
  const out = new Uint8Array(width * height * channels);
  const row = content.width * channels;
  for (let y = 0; y < content.height; y++) {
    out.set(data.subarray(y * row, (y + 1) * row), ((content.y + y) * width + content.x) * channels);
  }
  return out;
}

/** `image` (any size) scaled to the content box and padded black to the frame. */
export async function toWorkingRgb(
  image: RgbImage,
  work: WorkingResolution,
  kernel: ColourKernel = "lanczos3",
): Promise<RgbImage> {
  const { content, width, height } = work;
  const scaled = await resizeRgb(image, content.width, content.height, kernel);
  if (isUnpadded(work)) return scaled;
  return { width, height, data: pad(scaled.data, 3, content, width, height) };
}

/** `mask` (any size) scaled to the content box (re-thresholded) and padded with off pixels. */
export async function toWorkingMask(mask: Mask, work: WorkingResolution): Promise<Mask> {
  const { content, width, height } = work;
  const scaled = await resizeMask(mask, content.width, content.height);
  if (isUnpadded(work)) return scaled;
  return { width, height, data: pad(scaled.data, 1, content, width, height) };
}

/** The content box of a frame-sized image with `channels` bytes per pixel. */
export function cropContent<T extends RgbImage | RgbaImage | Mask>(
  image: T,
  content: ContentBox,
  channels: number,
): T {
  if (
    content.x === 0 &&
    content.y === 0 &&
    content.width === image.width &&
    content.height === image.height
  ) {
    return image;
  }
  if (
    content.x < 0 ||
    content.y < 0 ||
    content.x + content.width > image.width ||
    content.y + content.height > image.height
  ) {
    throw new RangeError(
      `content box ${content.width}x${content.height}+${content.x}+${content.y} is outside ${image.width}x${image.height}`,
    );
  }
  const row = content.width * channels;
  const data = new Uint8Array(content.height * row);
  for (let y = 0; y < content.height; y++) {
    const from = ((content.y + y) * image.width + content.x) * channels;
    data.set(image.data.subarray(from, from + row), y * row);
  }
  return { width: content.width, height: content.height, data } as T;
}
