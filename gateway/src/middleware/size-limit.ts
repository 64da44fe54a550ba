// Rejects bodies over the upload cap (413) before anything is parsed: from Content-Length when
// there is one, otherwise by counting a chunked body as it streams (written here rather than with
// hono's bodyLimit, which keeps the stream locked after an overflow, so the rest of the body could
// not be drained: body-bytes.ts says why that matters).
import { ZoneError } from "@zone/shared";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";
import { drain, drainCeilingBytes, maxRequestBytes } from "./body-bytes.ts";

export const uploadSizeLimit = createMiddleware<AppEnv>(async (c, next) => {
  const maxSize = maxRequestBytes(c.env);
  const length = Number(c.req.header("content-length") ?? Number.NaN);
  if (Number.isFinite(length) && length > maxSize) {
    throw new ZoneError("payload_too_large", `the request is ${length} bytes; the limit is ${maxSize}`);
  }
  // The runtime holds a body to its declared Content-Length, so only bodies without one (chunked)
  // need counting as they stream; counting in JavaScript would slow every upload down.
  const body = c.req.raw.body;
  if (Number.isFinite(length) || body === null) return next();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxSize) {
      await drain(reader, drainCeilingBytes(c.env), size);
      throw new ZoneError("payload_too_large", `the request body is over ${maxSize} bytes`);
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  c.req.raw = new Request(c.req.raw, { body: whole });
  return next();
});
