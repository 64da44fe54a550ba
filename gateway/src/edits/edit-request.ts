// Validates POST /v1/edits: the image by its magic bytes and header (type, size, dimensions),
// the instruction after the tokenizer's cleaning, and the parameters. Every rejection is a
// ZoneError (4xx problem+json); nothing is stored or billed before this passes.
import { cleanInstruction, type EditForm, editFormSchema, PUBLIC_LIMITS, ZoneError } from "@zone/shared";
import type { Env } from "../env.ts";
import { type ImageHeader, readImageHeader } from "../validation/image-header.ts";

export interface Limits {
  maxUploadBytes: number;
  maxSide: number;
  maxPixels: number;
}

export function limitsFrom(env: Pick<Env, "MAX_UPLOAD_BYTES" | "MAX_SIDE" | "MAX_PIXELS">): Limits {
  return {
    maxUploadBytes: Number(env.MAX_UPLOAD_BYTES ?? PUBLIC_LIMITS.maxUploadBytes),
    maxSide: Number(env.MAX_SIDE ?? PUBLIC_LIMITS.maxSide),
    maxPixels: Number(env.MAX_PIXELS ?? PUBLIC_LIMITS.maxPixels),
  };
}

export interface EditRequest {
  image: { bytes: ArrayBuffer; header: ImageHeader; contentType: string };
  form: EditForm;
  /** The cleaned instruction (what the tokenizer and the cache key see). */
  instruction: string;
}

const CONTENT_TYPES = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" } as const;

export async function parseEditRequest(form: FormData, limits: Limits): Promise<EditRequest> {
  const file = form.get("image");
  if (file === null || typeof file === "string") {
    throw new ZoneError("invalid_argument", "the form needs an `image` file field (PNG, JPEG or WebP)");
  }
  if (file.size > limits.maxUploadBytes) {
    throw new ZoneError(
      "payload_too_large",
      `the image is ${file.size} bytes; the limit is ${limits.maxUploadBytes}`,
    );
  }
  const bytes = await file.arrayBuffer();
  const parsed = readImageHeader(new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 64 * 1024)));
  if (!parsed.ok) {
    throw parsed.reason === "unsupported"
      ? new ZoneError("unsupported_media_type", "the image is not PNG, JPEG or WebP")
      : new ZoneError("image_truncated", "the image header is truncated");
  }
  const { width, height } = parsed.header;
  if (width === 0 || height === 0)
    throw new ZoneError("image_truncated", "the image header gives a zero size");
  if (Math.max(width, height) > limits.maxSide || width * height > limits.maxPixels) {
    throw new ZoneError(
      "image_too_large",
      `the image is ${width}x${height}; the limits are ${limits.maxSide} px per side and ${(limits.maxPixels / 1e6).toFixed(1)} MP`,
    );
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name === "image") continue;
    if (typeof value !== "string") throw new ZoneError("invalid_argument", `field ${name} must be text`);
    fields[name] = value;
  }
  const result = editFormSchema.safeParse(fields);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`);
    throw new ZoneError("invalid_argument", problems.join("; "));
  }
  const instruction = cleanInstruction(result.data.instruction);
  if (instruction.length < 1 || instruction.length > PUBLIC_LIMITS.instructionChars) {
    throw new ZoneError(
      "invalid_argument",
      `instruction: must be 1 to ${PUBLIC_LIMITS.instructionChars} characters after cleaning`,
    );
  }
  return {
    image: { bytes, header: parsed.header, contentType: CONTENT_TYPES[parsed.header.format] },
    form: result.data,
    instruction,
  };
}
