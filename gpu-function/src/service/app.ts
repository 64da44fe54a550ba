// The GPU service's HTTP surface (Hono): health and metrics routes, the edit route, request
// counting and access logs, and the one error path: every error becomes RFC 9457
// application/problem+json, with Retry-After on 503s that say when and WWW-Authenticate on 401s.
import { toProblem, ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { LoadedModels } from "./cold-load.ts";
import type { EditQueue } from "./edit-queue.ts";
import type { Logger } from "./logger.ts";
import type { ServiceMetrics } from "./metrics.ts";
import type { ServiceOptions } from "./options.ts";
import { editRoutes } from "./routes/edit.ts";
import { healthRoutes } from "./routes/health.ts";
import type { EditRunner } from "./run-edit.ts";

export type ServicePhase = "loading" | "ready" | "failed" | "stopping";

export interface ServiceState {
  phase: ServicePhase;
  loaded: LoadedModels | null;
  /** Why loading failed (phase "failed"). */
  failure: ZoneError | null;
}

export interface ServiceDeps {
  options: ServiceOptions;
  state: ServiceState;
  queue: EditQueue;
  metrics: ServiceMetrics;
  log: Logger;
  runEdit: EditRunner;
}

const ROUTES = new Set(["/healthz", "/readyz", "/metrics", "/v1/edit"]);
const REQUEST_ID = /^[\w\-=]{1,128}$/;

function asZoneError(error: unknown): ZoneError | null {
  if (error instanceof ZoneError) return error;
  if (error instanceof HTTPException && error.status < 500)
    return new ZoneError("bad_request", error.message);
  return null;
}

export function createServiceApp(deps: ServiceDeps): Hono {
  const app = new Hono();

  app.use("*", async (c, next) => {
    const started = performance.now();
    const given = c.req.header("x-request-id");
    const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    await next();
    const route = ROUTES.has(c.req.path) ? c.req.path : "other";
    const status = c.res.status;
    deps.metrics.requests.inc({ route, method: c.req.method, status: String(status) });
    c.res.headers.set("x-request-id", requestId);
    if (deps.state.phase === "stopping") c.res.headers.set("connection", "close");
    if (route === "/v1/edit" || status >= 500) {
      deps.log.info("request", {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  });

  app.route("/", healthRoutes(deps));
  app.route("/v1", editRoutes(deps));

  app.notFound((c) => {
    throw new ZoneError("not_found", `no route for ${c.req.method} ${c.req.path}`);
  });

  app.onError((error, c) => {
    const known = asZoneError(error);
    if (known === null) {
      deps.log.error("unhandled error", {
        path: c.req.path,
        error: error instanceof Error ? error.message.split("\n")[0] : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
    }
    const problem = toProblem(known ?? error, c.req.path);
    const headers: Record<string, string> = { "content-type": "application/problem+json" };
    if (known?.retryAfterSeconds !== undefined) headers["retry-after"] = String(known.retryAfterSeconds);
    if (problem.status === 401) headers["www-authenticate"] = 'Bearer realm="zone-gpu"';
    // Refused before the body was read (auth, size): the rest of the upload is discarded with the
    // socket, so tell the client not to reuse it.
    if (c.req.method === "POST" && !c.req.raw.bodyUsed) headers.connection = "close";
    return new Response(JSON.stringify(problem), { status: problem.status, headers });
  });

  return app;
}
