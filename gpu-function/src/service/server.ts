// Starts the GPU service on Node (@hono/node-server): listens at once so /healthz and /readyz
// answer during the cold load (or, with listenWhenReady, only once ready), loads the models, and
// stops gracefully: stop accepting, refuse waiting edits, let the running edit finish and its
// response go out, then close the sockets (forcibly once the grace period after the last edit is
// over) and release the sessions.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { ZoneError } from "@zone/shared";
import { releaseZoneModels } from "../pipeline/zone-models.ts";
import { createServiceApp, type ServiceDeps, type ServiceState } from "./app.ts";
import { coldLoad, type ModelLoader } from "./cold-load.ts";
import { EditQueue } from "./edit-queue.ts";
import { jsonLogger, type Logger } from "./logger.ts";
import { ServiceMetrics } from "./metrics.ts";
import type { ServiceOptions } from "./options.ts";
import { type EditRunner, runServiceEdit } from "./run-edit.ts";

export interface ServiceHooks {
  log: Logger;
  loadModels: ModelLoader;
  runEdit: EditRunner;
  /** Node process metrics in /metrics (off in tests that start many services). */
  processMetrics: boolean;
  /** Release the sessions on stop (off when the models are shared with other services). */
  releaseModels: boolean;
}

export interface RunningService {
  url: string;
  port: number;
  state: Readonly<ServiceState>;
  metrics: ServiceMetrics;
  queue: EditQueue;
  /** Resolves when ready; rejects with the cold-load error. */
  ready: Promise<void>;
  /** Graceful shutdown; safe to call more than once. */
  stop(): Promise<void>;
}

export async function startService(
  options: ServiceOptions,
  hooks: Partial<ServiceHooks> = {},
): Promise<RunningService> {
  const log = hooks.log ?? jsonLogger();
  const metrics = new ServiceMetrics({ processMetrics: hooks.processMetrics ?? true });
  const queue = new EditQueue(
    { concurrency: options.concurrency, maxQueued: options.maxQueue },
    { onDepth: (depth) => metrics.depth(depth), onDrop: (reason) => metrics.drop(reason) },
  );
  const state: ServiceState = { phase: "loading", loaded: null, failure: null };
  const deps: ServiceDeps = { options, state, queue, metrics, log, runEdit: hooks.runEdit ?? runServiceEdit };
  const app = createServiceApp(deps);

  if (options.secret === null) log.warn("authentication is disabled: set GPU_SHARED_SECRET");

  const listen = async () => {
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve(
        { fetch: app.fetch, hostname: options.host, port: options.port, overrideGlobalObjects: false },
        () => resolve(s),
      );
      s.once("error", reject);
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
    log.info("listening", {
      url,
      concurrency: options.concurrency,
      maxQueue: options.maxQueue,
      deadlineMs: options.deadlineMs,
      auth: options.secret === null ? "disabled (no GPU_SHARED_SECRET)" : "bearer",
      production: options.production,
    });
    return { server, port, url };
  };

  const load = async () => {
    try {
      const loaded = await (hooks.loadModels ?? coldLoad)(options, { log, metrics });
      if (state.phase === "stopping") {
        if (hooks.releaseModels ?? true) await releaseZoneModels(loaded.models);
        return;
      }
      state.loaded = loaded;
      state.phase = "ready";
      queue.observeRunMs(loaded.warmupMs);
      metrics.ready.set(1);
      log.info("ready");
    } catch (error) {
      const failure =
        error instanceof ZoneError ? error : new ZoneError("internal", "the models could not be loaded");
      if (state.phase !== "stopping") state.phase = "failed";
      state.failure = failure;
      log.error("cold load failed", { error: (error as Error).message });
      throw failure;
    }
  };

  // Listening during the cold load lets /healthz and /readyz answer; behind a proxy that routes
  // to any open port (Modal's web server), listening only once ready keeps edits off a cold one.
  let ready: Promise<void>;
  let listening: Awaited<ReturnType<typeof listen>>;
  if (options.listenWhenReady) {
    await load();
    listening = await listen();
    ready = Promise.resolve();
  } else {
    listening = await listen();
    ready = load();
    ready.catch(() => {}); // the caller decides; an unobserved failure must not crash the process
  }
  const { server, port, url } = listening;

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      log.info("shutting down", { running: queue.running, queued: queue.queued });
      state.phase = "stopping";
      metrics.ready.set(0);
      queue.close(
        new ZoneError("shutting_down", "this instance is shutting down; try another", {
          retryAfterSeconds: 1,
        }),
      );
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.idle();
      // Responses sent from now on say "Connection: close"; keep-alive sockets that went idle are
      // closed as they appear, and whatever is still open when the grace period ends is cut.
      const sweep = setInterval(() => {
        if ("closeIdleConnections" in server) server.closeIdleConnections();
      }, 20);
      const grace = setTimeout(() => {
        log.warn("grace period over: closing open connections", { graceMs: options.shutdownGraceMs });
        if ("closeAllConnections" in server) server.closeAllConnections();
      }, options.shutdownGraceMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(grace);
      if (state.loaded && (hooks.releaseModels ?? true)) await releaseZoneModels(state.loaded.models);
      log.info("stopped");
    })();
    return stopping;
  };

  return { url, port, state, metrics, queue, ready, stop };
}
