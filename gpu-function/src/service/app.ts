// The GPU service's HTTP surface (Hono): the request id (hono's requestId, the gateway's id kept),
// health and metrics routes, the edit route, request counting and access logs, and the one error
// path: every error becomes RFC 9457 application/problem+json through @zone/shared's
// problemResponse, with this service's WWW-Authenticate challenge on 401s.
import { problemResponse, REQUEST_ID_HEADER, REQUEST_ID_OPTIONS, ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { type RequestIdVariables, requestId } from "hono/request-id";
import { BEARER_CHALLENGE } from "./auth.ts";
import type { LoadedModels } from "./cold-load.ts";
import type { EditQueue } from "./edit-queue.ts";
import type { Logger } from "./logger.ts";
import type { ServiceMetrics } from "./metrics.ts";
import type { ServiceOptions } from "./options.ts";
import { composeRoutes } from "./routes/compose.ts";
import { editRoutes } from "./routes/edit.ts";
import { healthRoutes } from "./routes/health.ts";
import { renderRoutes } from "./routes/render.ts";
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

export type ServiceEnv = { Variables: RequestIdVariables };

const ROUTES = new Set(["/healthz", "/readyz", "/metrics", "/v1/edit", "/v1/render", "/v1/compose"]);

function asZoneError(error: unknown): ZoneError | null {
  if (error instanceof ZoneError) return error;
  if (error instanceof HTTPException && error.status < 500)
    return new ZoneError("bad_request", error.message);
  return null;
}

export function createServiceApp(deps: ServiceDeps): Hono<ServiceEnv> {
  const app = new Hono<ServiceEnv>();

  app.use(requestId(REQUEST_ID_OPTIONS));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const route = ROUTES.has(c.req.path) ? c.req.path : "other";
    const status = c.res.status;
    deps.metrics.requests.inc({ route, method: c.req.method, status: String(status) });
    // hono's requestId sets the header before the handler runs; the edit route's own Response
    // (the multipart answer) replaces those headers, so echo it again.
    c.res.headers.set(REQUEST_ID_HEADER, c.get("requestId"));
    if (deps.state.phase === "stopping") c.res.headers.set("connection", "close");
    if (route === "/v1/edit" || route === "/v1/compose" || status >= 500) {
      deps.log.info("request", {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  });

  app.route("/", healthRoutes(deps));
  app.route("/v1", editRoutes(deps));
  app.route("/v1", renderRoutes(deps));
  app.route("/v1", composeRoutes(deps));

  app.notFound((c) => {
    throw new ZoneError("not_found", `no route for ${c.req.method} ${c.req.path}`);
  });

  app.onError((error, c) => {
    const known = asZoneError(error);
    if (known === null) {
      deps.log.error("unhandled error", {
        requestId: c.get("requestId"),
        path: c.req.path,
        error: error instanceof Error ? error.message.split("\n")[0] : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
    }
    return problemResponse(known ?? error, {
      instance: c.req.path,
      requestId: c.get("requestId"),
      wwwAuthenticate: BEARER_CHALLENGE,
      // Refused before the body was read (auth, size): the rest of the upload is discarded with
      // the socket, so tell the client not to reuse it.
      headers: c.req.method === "POST" && !c.req.raw.bodyUsed ? { connection: "close" } : undefined,
    });
  });

  return app;
}
