// One uploaded image file, checked from its bytes' header only (the GPU function decodes it):
// a supported format (magic bytes), a non-zero size within the configured side and pixel limits,
// the file within its byte cap. Used for the edit's `image` and for compose's `image`, `edited`
// and `rough`; every refusal is a ZoneError that names the field.
import { ZoneError } from "@zone/shared";
import type { Limits } from "../edits/edit-request.ts";
import { type ImageHeader, readImageHeader } from "./image-header.ts";

export interface CheckedImage {
  bytes: ArrayBuffer;
  header: ImageHeader;
  contentType: string;
}

const CONTENT_TYPES = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" } as const;

/** `label` names the field in every message ("the image", "`edited`"). */
export async function checkImageUpload(
  file: File,
  label: string,
  limits: Limits,
  maxBytes = limits.maxUploadBytes,
): Promise<CheckedImage> {
  if (file.size > maxBytes) {
    throw new ZoneError("payload_too_large", `${label} is ${file.size} bytes; the limit is ${maxBytes}`);
  }
  const bytes = await file.arrayBuffer();
  const parsed = readImageHeader(new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 64 * 1024)));
  if (!parsed.ok) {
    throw parsed.reason === "unsupported"
      ? new ZoneError("unsupported_media_type", `${label} is not PNG, JPEG or WebP`)
      : new ZoneError("image_truncated", `${label}: the header is truncated`);
  }
  const { width, height } = parsed.header;
  if (width === 0 || height === 0)
    throw new ZoneError("image_truncated", `${label}: the header gives a zero size`);
  if (Math.max(width, height) > limits.maxSide || width * height > limits.maxPixels) {
    throw new ZoneError(
      "image_too_large",
      `${label} is ${width}x${height}; the limits are ${limits.maxSide} px per side and ${limits.maxPixels} pixels`,
    );
  }
  return { bytes, header: parsed.header, contentType: CONTENT_TYPES[parsed.header.format] };
}
