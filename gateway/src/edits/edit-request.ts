// Validates POST /v1/edits: the image by its magic bytes and header (type, size, dimensions),
// the instruction after the tokenizer's cleaning, and the parameters. The instruction is cleaned
// here and only here, and the image hashed here and only here; the GPU parameters are the shared
// schema's parse of the form (the one owner of the defaults). Every rejection is a ZoneError
// (4xx problem+json); nothing is stored or billed before this passes. Instead of the image, a
// `parent` edit id may name the input (a chain's next turn, edit-chain.ts resolves it): exactly
// one of the two, else 422 image_or_parent.
import {
  type CleanInstruction,
  checkHintInImage,
  checkHintMaskSize,
  cleanInstruction,
  type EditForm,
  editFormSchema,
  formatZodIssues,
  gpuEditParamsSchema,
  PUBLIC_LIMITS,
  parseHintFields,
  ZoneError,
} from "@zone/shared";
import { type GatewayEditParams, sha256Hex } from "../cache/cache-key.ts";
import type { Env } from "../env.ts";
import { refuseUnservable } from "../validation/colour-check.ts";
import type { ImageHeader } from "../validation/image-header.ts";
import { checkImageUpload } from "../validation/image-upload.ts";
import { acceptedImageFormat, prefersImage } from "./accept.ts";
import { HINT_MASK_FORM_FIELD } from "./form-fields.ts";

export interface Limits {
  maxUploadBytes: number;
  maxSide: number;
  maxPixels: number;
}

/**
 * The image travels to the coordinator Durable Object as an ArrayBuffer argument of its RPC
 * `run()`, and a Workers RPC message is at most 32 MiB; the rest of the job (cache key, params,
 * request id) needs well under the 64 KiB kept free here. So MAX_UPLOAD_BYTES cannot go above.
 */
export const RPC_MESSAGE_LIMIT_BYTES = 32 * 1024 * 1024;
export const MAX_UPLOAD_CEILING_BYTES = RPC_MESSAGE_LIMIT_BYTES - 64 * 1024;

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${name} must be a positive integer, not "${value}"`);
  return n;
}

/** The configured caps; a misconfiguration throws (a 500 naming it) rather than being corrected. */
export function limitsFrom(env: Pick<Env, "MAX_UPLOAD_BYTES" | "MAX_SIDE" | "MAX_PIXELS">): Limits {
  const maxUploadBytes = positiveInteger(
    "MAX_UPLOAD_BYTES",
    env.MAX_UPLOAD_BYTES,
    PUBLIC_LIMITS.maxUploadBytes,
  );
  if (maxUploadBytes > MAX_UPLOAD_CEILING_BYTES)
    throw new Error(
      `MAX_UPLOAD_BYTES ${maxUploadBytes} is over ${MAX_UPLOAD_CEILING_BYTES}: the upload must fit one Workers RPC message (32 MiB) to the coordinator`,
    );
  return {
    maxUploadBytes,
    maxSide: positiveInteger("MAX_SIDE", env.MAX_SIDE, PUBLIC_LIMITS.maxSide),
    maxPixels: positiveInteger("MAX_PIXELS", env.MAX_PIXELS, PUBLIC_LIMITS.maxPixels),
  };
}

export interface EditRequest {
  /** The upload; null when `parentId` names the input. */
  image: { bytes: ArrayBuffer; header: ImageHeader; contentType: string; sha256: string } | null;
  /** The `parent` field: the edit whose result is the input (not yet looked up). */
  parentId: string | null;
  /** A mask hint's file (params.hint.kind "mask"), or null. */
  hintMask: { bytes: ArrayBuffer; contentType: string; sha256: string } | null;
  form: EditForm;
  /** What the GPU function receives and the cache key hashes; `instruction` is the cleaned one. */
  params: GatewayEditParams;
}

function checkInstruction(raw: string): CleanInstruction {
  const instruction = cleanInstruction(raw);
  // Well-formed but nothing to do: only spaces, control characters or accents were sent.
  if (instruction.length === 0 && raw.length > 0)
    throw new ZoneError(
      "empty_instruction",
      "instruction: nothing is left after cleaning (spaces and control characters are removed)",
    );
  if (instruction.length < 1 || instruction.length > PUBLIC_LIMITS.instructionChars) {
    throw new ZoneError(
      "invalid_argument",
      `instruction: must be 1 to ${PUBLIC_LIMITS.instructionChars} characters after cleaning`,
    );
  }
  return instruction;
}

function gpuParams(
  form: EditForm,
  instruction: CleanInstruction,
  accept: string | undefined,
): GatewayEditParams {
  const parsed = gpuEditParamsSchema.safeParse({
    instruction,
    action: form.action,
    seed: form.seed,
    steps: form.steps,
    mode: form.mode,
    // The field wins; else, when the answer is the image, the type Accept ranks highest; else
    // the schema's default.
    output: form.output ?? (prefersImage(accept) ? acceptedImageFormat(accept) : null) ?? undefined,
    quality: form.quality,
    metadata: form.metadata,
    maskSize: form.maskSize,
  });
  if (!parsed.success) throw new ZoneError("invalid_argument", formatZodIssues(parsed.error, "form"));
  const { outputs: _outputs, hint: _hint, ...params } = parsed.data;
  return { ...params, instruction };
}

/** Each field at most once: with two `seed`s (or images) one would silently win. */
export function refuseRepeatedFields(form: FormData): void {
  const counts = new Map<string, number>();
  for (const name of form.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count > 1)
      throw new ZoneError("invalid_argument", `field \`${name}\` was sent ${count} times; send it once`);
  }
}

/** The form's file field of a mask hint (the GPU request's part is HINT_MASK_FIELD). */

/**
 * The region hint (region-hint.ts): at most one of `point`, `box` and a `mask` file, checked
 * against the image's header size (422 `invalid_hint` naming the field); it goes into `params`
 * (so into the cache key), and a mask's file is returned to travel with the image.
 */
async function readHint(
  form: FormData,
  fields: EditForm,
  image: { header: ImageHeader; bytes: ArrayBuffer },
  limits: Limits,
  params: GatewayEditParams,
): Promise<EditRequest["hintMask"]> {
  const file = form.get(HINT_MASK_FORM_FIELD);
  if (typeof file === "string")
    throw new ZoneError(
      "invalid_hint",
      "mask: must be an image file (PNG, JPEG or WebP) of the image's size",
    );
  const hint = parseHintFields(fields, file !== null);
  if (hint === null) return null;
  params.hint = hint;
  const { width, height } = image.header;
  if (file === null) {
    checkHintInImage(hint, width, height);
    return null;
  }
  // The image and the mask travel together in one RPC message: MAX_UPLOAD_BYTES covers both.
  const room = limits.maxUploadBytes - image.bytes.byteLength;
  const mask = await checkImageUpload(file, "the hint `mask` (with the image)", limits, room);
  checkHintMaskSize(mask.header, width, height);
  return { bytes: mask.bytes, contentType: mask.contentType, sha256: await sha256Hex(mask.bytes) };
}

/** `accept`: the request's Accept header, which picks the output format when `output` is absent. */
export async function parseEditRequest(
  form: FormData,
  limits: Limits,
  accept?: string,
): Promise<EditRequest> {
  refuseRepeatedFields(form);
  const file = form.get("image");
  const parent = form.get("parent");
  if (file !== null && parent !== null)
    throw new ZoneError("image_or_parent", "send `image` (a file) or `parent` (an edit id), not both");
  if (parent !== null) {
    if (typeof parent !== "string")
      throw new ZoneError("invalid_argument", "field parent must be an edit id");
    const fields = await textFields(form);
    const parsed = formAndParams(fields, accept);
    // A hint is checked against the uploaded image's size; a chain turn's input is its parent's.
    if (parseHintFields(parsed.form, form.get(HINT_MASK_FORM_FIELD) !== null) !== null)
      throw new ZoneError(
        "invalid_hint",
        "point, box and mask hints apply to an uploaded `image`, not to a `parent`",
      );
    return { image: null, parentId: parent, hintMask: null, ...parsed };
  }
  if (file === null)
    throw new ZoneError(
      "image_or_parent",
      "the form needs an `image` file field (PNG, JPEG or WebP) or a `parent` edit id",
    );
  if (typeof file === "string")
    throw new ZoneError("invalid_argument", "field `image` must be a file (PNG, JPEG or WebP)");
  const image = await checkImageUpload(file, "the image", limits);
  const { form: fields, params } = formAndParams(await textFields(form), accept);
  refuseUnservable(image.header.colour, params.output);
  const hintMask = await readHint(form, fields, image, limits, params);
  return {
    image: { ...image, sha256: await sha256Hex(image.bytes) },
    parentId: null,
    hintMask,
    form: fields,
    params,
  };
}

/** Every field but the image, each of which must be text. */
async function textFields(form: FormData): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name === "image" || name === HINT_MASK_FORM_FIELD) continue;
    if (typeof value !== "string") throw new ZoneError("invalid_argument", `field ${name} must be text`);
    fields[name] = value;
  }
  return fields;
}

function formAndParams(fields: Record<string, string>, accept: string | undefined) {
  const result = editFormSchema.safeParse(fields);
  if (!result.success) throw new ZoneError("invalid_argument", formatZodIssues(result.error, "form"));
  return {
    form: result.data,
    params: gpuParams(result.data, checkInstruction(result.data.instruction), accept),
  };
}
