// Reading `POST /v1/compose`: multipart/form-data with the original (`image`), the editor's
// output (`edited`), an optional rough mask (`rough`) and a `params` JSON part. Cheap checks
// first (content type, parts, parameters), the decodes last. Every failure is a 4xx ZoneError
// naming the part.
import { COMPOSE_REQUEST_FIELDS, parseGpuComposeParams, ZoneError } from "@zone/shared";
import { decodeImage, decodeMask } from "../image/io.ts";
import { decodeInput } from "../image/source-image.ts";
import { readMultipartParams } from "./multipart-params.ts";
import type { ComposeInput } from "./run-compose.ts";
import { checkOutputFits } from "./run-edit.ts";

const F = COMPOSE_REQUEST_FIELDS;

async function fileBytes(form: FormData, name: string, required: boolean): Promise<Uint8Array | null> {
  const part = form.get(name);
  if (part === null) {
    if (required) throw new ZoneError("bad_request", `the "${name}" part is missing`);
    return null;
  }
  if (typeof part === "string")
    throw new ZoneError("bad_request", `the "${name}" part must be a file, not a text field`);
  const bytes = new Uint8Array(await part.arrayBuffer());
  if (bytes.length === 0) throw new ZoneError("unsupported_image", `the "${name}" part is empty`);
  return bytes;
}

export async function readComposeRequest(
  request: Request,
  limits: { maxPixels: number },
): Promise<ComposeInput> {
  const { form, json } = await readMultipartParams(
    request,
    F.params,
    `"${F.image}" and "${F.edited}" files and a "${F.params}" JSON part`,
  );
  const params = parseGpuComposeParams(json);
  const [imageBytes, editedBytes, roughBytes] = await Promise.all([
    fileBytes(form, F.image, true),
    fileBytes(form, F.edited, true),
    fileBytes(form, F.rough, false),
  ]);
  const { maxPixels } = limits;
  const [image, edited, rough] = await Promise.all([
    decodeInput(imageBytes as Uint8Array, { maxPixels, label: F.image }),
    decodeImage(editedBytes as Uint8Array, { maxPixels, label: F.edited }),
    roughBytes === null ? null : decodeMask(roughBytes, { maxPixels, label: F.rough }),
  ]);
  checkOutputFits(image, params);
  return { image, edited, rough, params };
}
