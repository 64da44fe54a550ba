// GET /healthz (the process answers), /readyz (models loaded and warmed up; 503 before, and
// while shutting down, so load balancers stop sending work) and /metrics (Prometheus text,
// behind the shared secret like the edit route).
import { PIPELINE_VERSION } from "@zone/shared";
import { Hono } from "hono";
import type { ServiceDeps } from "../app.ts";
import { requireBearer } from "../auth.ts";
import { providersOf } from "../run-edit.ts";

export function healthRoutes(deps: ServiceDeps): Hono {
  const app = new Hono();

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/readyz", (c) => {
    const { phase, loaded } = deps.state;
    if (phase !== "ready" || loaded === null) return c.json({ ready: false, phase }, 503);
    return c.json({
      ready: true,
      phase,
      bundleId: loaded.models.bundle.manifest.id,
      /** The code and defaults this service computes with (part of every gateway cache key). */
      pipelineVersion: PIPELINE_VERSION,
      fixtures: loaded.models.bundle.fixtures,
      gpu: loaded.gpuName,
      providers: providersOf(loaded.models),
    });
  });

  app.get("/metrics", requireBearer(deps.options.secret), async (c) =>
    c.body(await deps.metrics.text(), 200, { "content-type": deps.metrics.contentType }),
  );

  return app;
}
