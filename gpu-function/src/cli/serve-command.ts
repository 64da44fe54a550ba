// `zone serve`: the GPU HTTP service (the container's entrypoint). Flags override the environment
// (README, "The GPU service"), which overrides the defaults. Runs until SIGTERM or SIGINT, then
// shuts down gracefully and exits 0; a failed cold load exits 1 with its reason.
import { ZoneError } from "@zone/shared";
import {
  providersOption,
  resolveServiceOptions,
  SERVICE_DEFAULTS,
  type ServiceOptions,
  serviceOptionsFromEnv,
} from "../service/options.ts";
import { type RunningService, startService } from "../service/server.ts";
import { type CliIo, CliUsageError } from "./io.ts";
import { parseCommandLine } from "./parse.ts";

export const SERVE_USAGE = `Usage: zone serve [--port N] [--models DIR|fixtures] [options]

Serves POST /v1/edit, GET /healthz, /readyz and /metrics. Loads the models, runs one warm-up
edit, then reports ready. Settings also come from the environment (flags win):

  --port N               port (PORT, default ${SERVICE_DEFAULTS.port}; 0 picks a free one)
  --host H               interface (HOST, default ${SERVICE_DEFAULTS.host}; 0.0.0.0 in containers)
  --models DIR|fixtures  model bundle (MODELS_DIR); "fixtures" = the tiny untrained test models
  --providers LIST       ONNX graphs on these, in order (ZONE_PROVIDERS, default ${SERVICE_DEFAULTS.providers.join(",")});
                         a bundle's TensorRT engines for this GPU always come first
  --concurrency N        edits at once (ZONE_CONCURRENCY, default ${SERVICE_DEFAULTS.concurrency})
  --max-queue N          edits waiting before 503 (ZONE_MAX_QUEUE, default ${SERVICE_DEFAULTS.maxQueue})
  --production           refuse to start without GPU_SHARED_SECRET (also NODE_ENV=production)
  -h, --help             this text

Also: GPU_SHARED_SECRET, ZONE_EDIT_DEADLINE_MS, ZONE_MAX_BODY_BYTES, ZONE_MAX_PIXELS,
ZONE_WARMUP_STEPS, ZONE_VERIFY_BUNDLE, ZONE_SHUTDOWN_GRACE_MS, ZONE_LISTEN_WHEN_READY,
ZONE_DEVICE_ID, ZONE_GPU_TYPE, ZONE_STEP_PACE_MS.
`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  models: { type: "string" },
  providers: { type: "string" },
  concurrency: { type: "string" },
  "max-queue": { type: "string" },
  production: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max)
    throw new CliUsageError(`serve: ${flag} must be an integer in ${min}..${max}, got "${value}"`);
  return n;
}

/** Options from flags over the environment; exported for tests. */
export function serveOptions(args: string[], env: NodeJS.ProcessEnv = process.env): ServiceOptions | "help" {
  const { values } = parseCommandLine("serve", args, OPTIONS);
  if (values.help) return "help";
  const flags: Partial<ServiceOptions> = {};
  if (values.port !== undefined) flags.port = integer("--port", values.port, 0, 65535);
  if (values.host !== undefined) flags.host = values.host;
  if (values.models !== undefined) flags.models = values.models;
  if (values.providers !== undefined) {
    try {
      flags.providers = providersOption("--providers", values.providers);
    } catch (error) {
      throw new CliUsageError(`serve: ${(error as Error).message}`);
    }
  }
  if (values.concurrency !== undefined)
    flags.concurrency = integer("--concurrency", values.concurrency, 1, 64);
  if (values["max-queue"] !== undefined)
    flags.maxQueue = integer("--max-queue", values["max-queue"], 0, 10_000);
  if (values.production) flags.production = true;
  return resolveServiceOptions({ ...serviceOptionsFromEnv(env), ...flags });
}

/** Resolves on the first of the signals. */
function untilSignal(signals: NodeJS.Signals[]): { promise: Promise<NodeJS.Signals>; dispose: () => void } {
  let dispose = () => {};
  const promise = new Promise<NodeJS.Signals>((resolve) => {
    const handlers = signals.map((signal) => {
      const handler = () => resolve(signal);
      process.once(signal, handler);
      return [signal, handler] as const;
    });
    dispose = () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    };
  });
  return { promise, dispose };
}

export async function runServe(args: string[], io: CliIo): Promise<number> {
  const options = serveOptions(args);
  if (options === "help") {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  const signal = untilSignal(["SIGTERM", "SIGINT"]);
  try {
    const starting = startService(options);
    // With ZONE_LISTEN_WHEN_READY the start includes the cold load; a signal may come first.
    const first = await Promise.race([starting, signal.promise]);
    const service: RunningService = typeof first === "string" ? await starting : first;
    if (typeof first === "string") {
      await service.stop();
      return 0;
    }
    const failed = service.ready.then(
      () => new Promise<never>(() => {}),
      (error: unknown) => error,
    );
    const outcome = await Promise.race([signal.promise, failed]);
    await service.stop();
    if (outcome instanceof ZoneError) throw outcome;
    return 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new ZoneError("invalid_argument", `port ${options.port} on ${options.host} is already in use`);
    throw error;
  } finally {
    signal.dispose();
  }
}
