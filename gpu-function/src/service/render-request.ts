// Reading `POST /v1/render` (shared gpu-render-api.ts): multipart with the `original` file, one
// `layer` file per kept turn in chain order, an optional `reference` file and the `params` JSON.
// Cheap checks first; every failure is a 4xx ZoneError naming the part.
import { parseGpuRenderParams, RENDER_REQUEST_FIELDS, ZoneError } from "@zone/shared";
import type { RenderFiles } from "../compose/render-files.ts";

const F = RENDER_REQUEST_FIELDS;

async function fileBytes(part: File | string, name: string): Promise<Uint8Array> {
  if (typeof part === "string") throw new ZoneError("bad_request", `the "${name}" part must be a file`);
  const bytes = new Uint8Array(await part.arrayBuffer());
  if (bytes.length === 0) throw new ZoneError("unsupported_image", `the "${name}" part is empty`);
  return bytes;
}

export async function readRenderRequest(
  request: Request,
  limits: { maxPixels: number },
): Promise<RenderFiles> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type))
    throw new ZoneError(
      "unsupported_media_type",
      `send multipart/form-data with "${F.original}", "${F.layer}" files and a "${F.params}" JSON part`,
    );
  let form: FormData;
  try {
    form = await request.formData();
  } catch (cause) {
    throw new ZoneError("bad_request", "the multipart body could not be parsed", { cause });
  }
  const paramsPart = form.get(F.params);
  if (paramsPart === null) throw new ZoneError("bad_request", `the "${F.params}" part is missing`);
  let json: unknown;
  try {
    json = JSON.parse(typeof paramsPart === "string" ? paramsPart : await paramsPart.text());
  } catch (cause) {
    throw new ZoneError("bad_request", `the "${F.params}" part is not valid JSON`, { cause });
  }
  const params = parseGpuRenderParams(json);
  const original = form.get(F.original);
  if (original === null) throw new ZoneError("bad_request", `the "${F.original}" part is missing`);
  const reference = form.get(F.reference);
  const layers = await Promise.all(
    form.getAll(F.layer).map((part, i) => fileBytes(part, `${F.layer} ${i + 1}`)),
  );
  return {
    original: await fileBytes(original, F.original),
    layers,
    reference: reference === null ? null : await fileBytes(reference, F.reference),
    params,
    maxPixels: limits.maxPixels,
  };
}
