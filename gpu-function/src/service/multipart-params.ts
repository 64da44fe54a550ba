// The envelope every GPU function route reads (POST /v1/edit, /v1/compose, /v1/render): a
// multipart/form-data body whose `params` part is JSON, beside file parts. One reading of it, so
// every route refuses a wrong content type, an unparsable body, a missing or non-JSON params
// part the same way (4xx ZoneErrors that name the part).
import { ZoneError } from "@zone/shared";

/** The parsed form and the params part's JSON (not yet validated: each route has its schema).
 * `expected` says what to send, e.g. `an "image" file and a "params" JSON part`. */
export async function readMultipartParams(
  request: Request,
  paramsField: string,
  expected: string,
): Promise<{ form: FormData; json: unknown }> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type))
    throw new ZoneError(
      "unsupported_media_type",
      `send multipart/form-data with ${expected} (got ${type.split(";")[0] || "no content type"})`,
    );
  let form: FormData;
  try {
    form = await request.formData();
  } catch (cause) {
    if (cause instanceof ZoneError) throw cause;
    throw new ZoneError("bad_request", "the multipart body could not be parsed", { cause });
  }
  const part = form.get(paramsField);
  if (part === null) throw new ZoneError("bad_request", `the "${paramsField}" part is missing`);
  try {
    return { form, json: JSON.parse(typeof part === "string" ? part : await part.text()) };
  } catch (cause) {
    throw new ZoneError("bad_request", `the "${paramsField}" part is not valid JSON`, { cause });
  }
}
