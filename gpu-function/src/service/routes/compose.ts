// POST /v1/compose behind the bearer secret and a body limit: read, wait for a GPU slot in the
// same queue as edits (deadline, dropped on disconnect), compose, answer multipart like an edit.
import { ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ServiceDeps } from "../app.ts";
import { requireBearer } from "../auth.ts";
import { readComposeRequest } from "../compose-request.ts";
import { acceptingEdits } from "../edit-handler.ts";
import { editResponse } from "../edit-response.ts";
import { runServiceCompose } from "../run-compose.ts";

const round2 = (v: number) => Math.round(v * 100) / 100;

export async function handleCompose(deps: ServiceDeps, request: Request): Promise<Response> {
  const { options, queue, metrics } = deps;
  const received = performance.now();
  let outcome = "ok";
  try {
    const loaded = acceptingEdits(deps);
    const input = await readComposeRequest(request, { maxPixels: options.maxPixels });
    const remainingMs = Math.max(1, options.deadlineMs - (performance.now() - received));
    const { value, waitedMs } = await queue.run((signal) => runServiceCompose(loaded.models, input, signal), {
      signal: request.signal,
      deadlineMs: remainingMs,
    });
    const timingsMs: Record<string, number> = { queue: round2(waitedMs), ...value.meta.timingsMs };
    for (const [stage, ms] of Object.entries(timingsMs))
      metrics.stageDuration.observe({ stage: `compose-${stage}` }, ms / 1000);
    timingsMs.total = round2(performance.now() - received);
    return editResponse({ ...value, meta: { ...value.meta, timingsMs } });
  } catch (error) {
    outcome = error instanceof ZoneError ? error.code : "internal";
    throw error;
  } finally {
    metrics.editDuration.observe({ outcome: `compose-${outcome}` }, (performance.now() - received) / 1000);
  }
}

export function composeRoutes(deps: ServiceDeps): Hono {
  const { maxBodyBytes, secret } = deps.options;
  const app = new Hono();
  app.use("*", requireBearer(secret));
  app.post(
    "/compose",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new ZoneError("payload_too_large", `the request body is over ${maxBodyBytes} bytes`);
      },
    }),
    (c) => handleCompose(deps, c.req.raw),
  );
  return app;
}
