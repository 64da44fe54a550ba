// Rejects bodies over the upload cap from Content-Length before anything is parsed (413); bodies
// without a Content-Length are cut off at the same cap by hono's body limit as they stream.
import { ZoneError } from "@zone/shared";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { limitsFrom } from "../edits/edit-request.ts";
import type { AppEnv } from "../env.ts";

/** Room for the multipart framing and the text fields around the image. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export const uploadSizeLimit = createMiddleware<AppEnv>(async (c, next) => {
  const maxSize = limitsFrom(c.env).maxUploadBytes + FORM_OVERHEAD_BYTES;
  const length = Number(c.req.header("content-length") ?? Number.NaN);
  if (Number.isFinite(length) && length > maxSize) {
    throw new ZoneError("payload_too_large", `the request is ${length} bytes; the limit is ${maxSize}`);
  }
  // The runtime holds a body to its declared Content-Length, so only bodies without one (chunked)
  // need counting as they stream; counting in JavaScript would slow every upload down.
  if (Number.isFinite(length)) return next();
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ZoneError("payload_too_large", `the request body is over ${maxSize} bytes`);
    },
  })(c, next);
});
