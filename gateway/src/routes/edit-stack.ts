// A chain's routes, mounted on /v1/edits before the edit routes (whose /:id/:artifact would
// otherwise take "stack" and "original"): GET /{id}/stack lists the chain from the upload to this
// edit; GET /{id}/original is the chain's upload; POST /{id}/render lays the chain's layers,
// less `without`, over the original, on the GPU function's CPU-only render (no diffusion). The
// work is in edits/edit-chain.ts and edits/render-chain.ts.
import { ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { walkChain } from "../edits/edit-chain.ts";
import { chainOriginal, parseRenderRequest, renderChain } from "../edits/render-chain.ts";
import { editStack } from "../edits/stack-resource.ts";
import type { AppEnv } from "../env.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { publicOrigin } from "../public-origin.ts";

export const editStackRoutes = new Hono<AppEnv>();

editStackRoutes.get("/:id/stack", async (c) => {
  const id = c.req.param("id");
  const chain = await walkChain(c.env, c.get("caller").accountId, id);
  return c.json(editStack(id, chain, publicOrigin(c.env, c.req.url)));
});

editStackRoutes.get("/:id/original", async (c) => {
  const chain = await walkChain(c.env, c.get("caller").accountId, c.req.param("id"));
  const object = await chainOriginal(c.env, chain);
  return c.body(object.body, 200, {
    "content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
    "cache-control": "private, max-age=3600",
  });
});

editStackRoutes.post("/:id/render", rateLimit, async (c) => {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (cause) {
    throw new ZoneError("invalid_argument", 'the body must be JSON, e.g. {"without": ["ed_..."]}', { cause });
  }
  const request = parseRenderRequest(body);
  const chain = await walkChain(c.env, c.get("caller").accountId, c.req.param("id"));
  const rendered = await renderChain(c.env, chain, request, c.get("requestId"));
  return c.body(rendered.bytes, 200, {
    "content-type": rendered.contentType,
    "cache-control": "private, no-store",
    "x-render-turns": rendered.keptTurns.join(","),
  });
});
