// Reading `POST /v1/edit`: a multipart/form-data body with an `image` file part and a `params`
// JSON part. Cheap checks first (content type, parts, parameters), the image decode last. Every
// failure is a 4xx ZoneError that says which part is wrong.
import {
  checkHintInImage,
  checkHintMaskSize,
  EDIT_REQUEST_FIELDS,
  HINT_MASK_FIELD,
  parseGpuEditParams,
  ZoneError,
} from "@zone/shared";
import { decodeMask } from "../image/io.ts";
import { decodeInput } from "../image/source-image.ts";
import { readMultipartParams } from "./multipart-params.ts";
import { checkOutputFits, type EditInput } from "./run-edit.ts";

export interface EditRequestLimits {
  maxPixels: number;
}

const { image: IMAGE, params: PARAMS } = EDIT_REQUEST_FIELDS;

export async function readEditRequest(request: Request, limits: EditRequestLimits): Promise<EditInput> {
  const { form, json } = await readMultipartParams(
    request,
    PARAMS,
    `an "${IMAGE}" file and a "${PARAMS}" JSON part`,
  );
  const params = parseGpuEditParams(json);

  const imagePart = form.get(IMAGE);
  if (imagePart === null) throw new ZoneError("bad_request", `the "${IMAGE}" part is missing`);
  if (typeof imagePart === "string")
    throw new ZoneError("bad_request", `the "${IMAGE}" part must be a file, not a text field`);
  const bytes = new Uint8Array(await imagePart.arrayBuffer());
  if (bytes.length === 0) throw new ZoneError("unsupported_image", `the "${IMAGE}" part is empty`);
  const image = await decodeInput(bytes, { maxPixels: limits.maxPixels, label: IMAGE });
  checkOutputFits(image, params);
  const { width, height } = image.model;
  const hintPart = form.get(HINT_MASK_FIELD);
  if (params.hint?.kind !== "mask") {
    if (hintPart !== null)
      throw new ZoneError(
        "bad_request",
        `the "${HINT_MASK_FIELD}" part goes with params.hint {"kind":"mask"} only`,
      );
    if (params.hint) checkHintInImage(params.hint, width, height);
    return { image, params, hintMask: null };
  }
  if (hintPart === null || typeof hintPart === "string")
    throw new ZoneError("invalid_hint", `mask: the "${HINT_MASK_FIELD}" file part is missing`);
  const hintMask = await decodeMask(new Uint8Array(await hintPart.arrayBuffer()), {
    maxPixels: limits.maxPixels,
    label: "mask",
  });
  checkHintMaskSize(hintMask, width, height);
  return { image, params, hintMask };
}
