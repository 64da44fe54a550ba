// POST /v1/edit behind the bearer secret and a body limit; the work is handleEdit.
import { ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ServiceDeps } from "../app.ts";
import { requireBearer } from "../auth.ts";
import { handleEdit } from "../edit-handler.ts";
import { handleStreamedEdit, wantsProgressStream } from "../streamed-edit.ts";

export function editRoutes(deps: ServiceDeps): Hono {
  const { maxBodyBytes, secret } = deps.options;
  const app = new Hono();
  app.use("*", requireBearer(secret));

  app.post(
    "/edit",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new ZoneError("payload_too_large", `the request body is over ${maxBodyBytes} bytes`);
      },
    }),
    // Accept: the progress stream (streamed-edit.ts), or the multipart answer at the end.
    (c) =>
      wantsProgressStream(c.req.raw) ? handleStreamedEdit(deps, c.req.raw) : handleEdit(deps, c.req.raw),
  );

  return app;
}
