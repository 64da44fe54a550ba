// Validates POST /v1/compose: the three files by their headers (validation/image-upload.ts: the
// original `image`, the editor's output `edited`, an optional `rough` mask, each any size within
// the limits, all three together within MAX_UPLOAD_BYTES: they travel in one RPC message like an
// edit's image), the form fields with the shared schema, the GPU parameters as the shared compose
// schema parses them (the one owner of the defaults). Every refusal is a ZoneError naming the
// field; nothing is stored or billed before this passes.
import {
  COMPOSE_FILE_FIELDS,
  type ComposeFileField,
  type ComposeForm,
  composeFormSchema,
  formatZodIssues,
  gpuComposeParamsSchema,
  ZoneError,
} from "@zone/shared";
import { sha256Hex } from "../cache/cache-key.ts";
import { type Limits, refuseRepeatedFields } from "../edits/edit-request.ts";
import { refuseUnservable } from "../validation/colour-check.ts";
import { type CheckedImage, checkImageUpload } from "../validation/image-upload.ts";
import type { GatewayComposeParams } from "./compose-key.ts";

export type ComposeFile = CheckedImage & { sha256: string };

export interface ComposeRequest {
  image: ComposeFile;
  edited: ComposeFile;
  rough: ComposeFile | null;
  form: ComposeForm;
  params: GatewayComposeParams;
}

const REQUIRED: ReadonlySet<ComposeFileField> = new Set(["image", "edited"]);

export async function parseComposeRequest(form: FormData, limits: Limits): Promise<ComposeRequest> {
  refuseRepeatedFields(form);
  const files: Partial<Record<ComposeFileField, File>> = {};
  let total = 0;
  for (const name of COMPOSE_FILE_FIELDS) {
    const value = form.get(name);
    if (value === null) {
      if (REQUIRED.has(name))
        throw new ZoneError(
          "invalid_argument",
          `the form needs an \`${name}\` file field (PNG, JPEG or WebP)`,
        );
      continue;
    }
    if (typeof value === "string")
      throw new ZoneError("invalid_argument", `\`${name}\` must be a file (PNG, JPEG or WebP), not text`);
    files[name] = value;
    total += value.size;
  }
  if (total > limits.maxUploadBytes)
    throw new ZoneError(
      "payload_too_large",
      `the files are ${total} bytes together; the limit for all of them is ${limits.maxUploadBytes}`,
    );
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if ((COMPOSE_FILE_FIELDS as ReadonlyArray<string>).includes(name)) continue;
    if (typeof value !== "string") throw new ZoneError("invalid_argument", `field ${name} must be text`);
    fields[name] = value;
  }
  const parsedForm = composeFormSchema.safeParse(fields);
  if (!parsedForm.success) throw new ZoneError("invalid_argument", formatZodIssues(parsedForm.error, "form"));
  const parsed = gpuComposeParamsSchema.safeParse(parsedForm.data);
  if (!parsed.success) throw new ZoneError("invalid_argument", formatZodIssues(parsed.error, "form"));
  const { outputs: _outputs, ...params } = parsed.data;

  const checked = async (name: ComposeFileField): Promise<ComposeFile | null> => {
    const file = files[name];
    if (file === undefined) return null;
    const image = await checkImageUpload(file, `\`${name}\``, limits);
    return { ...image, sha256: await sha256Hex(image.bytes) };
  };
  const image = (await checked("image")) as ComposeFile;
  const edited = (await checked("edited")) as ComposeFile;
  const rough = await checked("rough");
  // The result is the original in its own terms: it must be returnable exactly.
  refuseUnservable(image.header.colour, params.output);
  return { image, edited, rough, form: parsedForm.data, params };
}
