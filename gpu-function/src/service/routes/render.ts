// POST /v1/render behind the bearer secret and the body limit: a chain's kept layers over its
// original (compose/render-files.ts). CPU only: no model runs, so it neither waits for the models
// to load nor takes a slot of the edit queue; it answers the image file itself.
import { CONTENT_TYPES, ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { renderFiles } from "../../compose/render-files.ts";
import type { ServiceDeps } from "../app.ts";
import { requireBearer } from "../auth.ts";
import { readRenderRequest } from "../render-request.ts";

export function renderRoutes(deps: ServiceDeps): Hono {
  const { maxBodyBytes, maxPixels, secret } = deps.options;
  const app = new Hono();
  app.use("*", requireBearer(secret));
  app.post(
    "/render",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new ZoneError("payload_too_large", `the request body is over ${maxBodyBytes} bytes`);
      },
    }),
    async (c) => {
      const started = performance.now();
      const files = await readRenderRequest(c.req.raw, { maxPixels });
      const { bytes } = await renderFiles(files);
      return new Response(new Uint8Array(bytes), {
        headers: {
          "content-type": CONTENT_TYPES[files.params.output],
          "cache-control": "no-store",
          "server-timing": `render;dur=${(performance.now() - started).toFixed(1)}`,
        },
      });
    },
  );
  return app;
}
