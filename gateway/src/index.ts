// The edge Worker (Hono on Cloudflare Workers). This is the skeleton the gateway issue builds on:
// today it answers health checks and turns every error into problem+json; API keys, validation,
// the content-hash cache, single-flight and the GPU client are not built yet, so /v1/edit does
// not exist (404 problem+json).
import { toProblem, ZoneError } from "@zone/shared";
import { Hono } from "hono";

/** Worker bindings; the gateway issue adds R2, D1, the Durable Object and the rate limiter. */
export type Env = Record<string, never>;

export const app = new Hono<{ Bindings: Env }>();

app.get("/healthz", (c) => c.json({ status: "ok" }));

app.notFound((c) => {
  const problem = toProblem(
    new ZoneError("not_found", `no route for ${c.req.method} ${c.req.path}`),
    c.req.path,
  );
  return c.json(problem, 404, { "content-type": "application/problem+json" });
});

app.onError((error, c) => {
  const problem = toProblem(error, c.req.path);
  return c.json(problem, problem.status as 500, { "content-type": "application/problem+json" });
});

export default app;
