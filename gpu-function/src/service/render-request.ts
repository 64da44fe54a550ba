// Reading `POST /v1/render` (shared gpu-render-api.ts): multipart with the `original` file, one
// `layer` file per kept turn in chain order, an optional `reference` file and the `params` JSON.
// Cheap checks first; every failure is a 4xx ZoneError naming the part.
import { parseGpuRenderParams, RENDER_REQUEST_FIELDS, ZoneError } from "@zone/shared";
import type { RenderFiles } from "../compose/render-files.ts";
import { readMultipartParams } from "./multipart-params.ts";

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
  const { form, json } = await readMultipartParams(
    request,
    F.params,
    `"${F.original}", "${F.layer}" files and a "${F.params}" JSON part`,
  );
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
