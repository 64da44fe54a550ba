// The GPU service's settings: an exported interface, documented defaults, the environment
// variables that set them, and one validation at the boundary (a bad value stops the start with a
// message naming the variable; nothing is silently corrected).
import { isBearerToken, ZoneError } from "@zone/shared";
import { DEFAULT_MAX_PIXELS } from "../image/io.ts";
import { EXECUTION_PROVIDERS, type ExecutionProvider, parseProviderList } from "../runtime/onnx-runtime.ts";

export interface ServiceOptions {
  /** Interface to listen on; the container sets 0.0.0.0. */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Model bundle folder, or "fixtures"; undefined falls back to MODELS_DIR. */
  models: string | undefined;
  /** ONNX graphs are tried on these in order; a bundle's TensorRT engines for this GPU come first. */
  providers: ExecutionProvider[];
  deviceId: number;
  /** Edits run at once (one per GPU is the sound default). */
  concurrency: number;
  /** Edits that may wait for a free slot; one more is refused with 503 + Retry-After. */
  maxQueue: number;
  /** From arrival to the last byte of work: waiting plus running. */
  deadlineMs: number;
  maxBodyBytes: number;
  /** Decompression-bomb guard for the uploaded image. */
  maxPixels: number;
  /** Bearer token the gateway sends; null disables auth (refused in production). */
  secret: string | null;
  production: boolean;
  /** Denoising steps of the warm-up edit run before the service reports ready. */
  warmupSteps: number;
  /** Hash and check every model file against the manifest before loading. */
  verifyBundle: boolean;
  /** The signed record of the last verification (runtime/bundle/verified-record.ts): undefined
   * puts it beside the bundle (/models/.zone-verified/current.json), "off" hashes every file at
   * every start. Signed with `secret`: without one there is no record. */
  verifyRecord: string | undefined;
  /** How long SIGTERM waits for the running edit and open responses before closing sockets. */
  shutdownGraceMs: number;
  /** Open the port only once ready (for proxies that route to any open port, like Modal's). */
  listenWhenReady: boolean;
  /** Each denoising step of a request's edit takes at least this long (ms); 0 is off. For the
   * fixture bundle, whose steps take milliseconds: progress and cancellation mid-denoise can then
   * be watched (playground, end-to-end tests) as on a GPU. Refused in production. */
  stepPaceMs: number;
}

export const SERVICE_DEFAULTS: Readonly<ServiceOptions> = {
  host: "127.0.0.1",
  port: 8080,
  models: undefined,
  providers: ["cuda", "cpu"],
  deviceId: 0,
  concurrency: 1,
  maxQueue: 8,
  deadlineMs: 120_000,
  maxBodyBytes: 32 * 1024 * 1024,
  maxPixels: DEFAULT_MAX_PIXELS,
  secret: null,
  production: false,
  warmupSteps: 2,
  verifyBundle: true,
  verifyRecord: undefined,
  shutdownGraceMs: 30_000,
  listenWhenReady: false,
  stepPaceMs: 0,
};

/** Shortest shared secret accepted in production (a random 32-byte hex string is 64). */
export const MIN_SECRET_LENGTH = 16;

/** Environment variable -> option, for the README and the error messages. */
export const SERVICE_ENV = {
  host: "HOST",
  port: "PORT",
  models: "MODELS_DIR",
  providers: "ZONE_PROVIDERS",
  deviceId: "ZONE_DEVICE_ID",
  concurrency: "ZONE_CONCURRENCY",
  maxQueue: "ZONE_MAX_QUEUE",
  deadlineMs: "ZONE_EDIT_DEADLINE_MS",
  maxBodyBytes: "ZONE_MAX_BODY_BYTES",
  maxPixels: "ZONE_MAX_PIXELS",
  secret: "GPU_SHARED_SECRET",
  production: "ZONE_PRODUCTION",
  warmupSteps: "ZONE_WARMUP_STEPS",
  verifyBundle: "ZONE_VERIFY_BUNDLE",
  verifyRecord: "ZONE_VERIFY_RECORD",
  shutdownGraceMs: "ZONE_SHUTDOWN_GRACE_MS",
  listenWhenReady: "ZONE_LISTEN_WHEN_READY",
  stepPaceMs: "ZONE_STEP_PACE_MS",
} as const satisfies Record<keyof ServiceOptions, string>;

function invalid(name: string, value: string, what: string): ZoneError {
  return new ZoneError("invalid_argument", `${name} must be ${what}, got "${value}"`);
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max)
    throw invalid(name, value, `an integer in ${min}..${max}`);
  return n;
}

function flag(name: string, value: string): boolean {
  if (["1", "true", "yes"].includes(value.toLowerCase())) return true;
  if (["0", "false", "no", ""].includes(value.toLowerCase())) return false;
  throw invalid(name, value, "1 or 0");
}

export function providersOption(name: string, value: string): ExecutionProvider[] {
  const list = parseProviderList(value);
  if (list === null) throw invalid(name, value, `a list of ${EXECUTION_PROVIDERS.join(", ")}`);
  return list;
}

/** The options the environment sets; unset and empty variables are left out. */
export function serviceOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<ServiceOptions> {
  const out: Partial<ServiceOptions> = {};
  const get = (key: keyof ServiceOptions) => {
    const value = env[SERVICE_ENV[key]];
    return value === undefined || value === "" ? undefined : value;
  };
  const int = (key: keyof ServiceOptions, min: number, max: number) => {
    const value = get(key);
    return value === undefined ? undefined : integer(SERVICE_ENV[key], value, min, max);
  };
  const set = <K extends keyof ServiceOptions>(key: K, value: ServiceOptions[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set("host", get("host"));
  set("port", int("port", 0, 65535));
  set("models", get("models"));
  const providers = get("providers");
  set("providers", providers === undefined ? undefined : providersOption(SERVICE_ENV.providers, providers));
  set("deviceId", int("deviceId", 0, 64));
  set("concurrency", int("concurrency", 1, 64));
  set("maxQueue", int("maxQueue", 0, 10_000));
  set("deadlineMs", int("deadlineMs", 1, 3_600_000));
  set("maxBodyBytes", int("maxBodyBytes", 1024, 2 ** 31));
  set("maxPixels", int("maxPixels", 1, 2 ** 30));
  set("secret", get("secret"));
  const production = get("production");
  const nodeEnvProduction = env.NODE_ENV === "production";
  if (production !== undefined || nodeEnvProduction)
    out.production = nodeEnvProduction || flag(SERVICE_ENV.production, production ?? "0");
  set("warmupSteps", int("warmupSteps", 1, 100));
  const verify = get("verifyBundle");
  set("verifyBundle", verify === undefined ? undefined : flag(SERVICE_ENV.verifyBundle, verify));
  set("verifyRecord", get("verifyRecord"));
  set("shutdownGraceMs", int("shutdownGraceMs", 0, 3_600_000));
  const deferred = get("listenWhenReady");
  set("listenWhenReady", deferred === undefined ? undefined : flag(SERVICE_ENV.listenWhenReady, deferred));
  set("stepPaceMs", int("stepPaceMs", 0, 60_000));
  return out;
}

/** Defaults <- overrides, then the checks that need several options together. */
export function resolveServiceOptions(overrides: Partial<ServiceOptions> = {}): ServiceOptions {
  const o: ServiceOptions = { ...SERVICE_DEFAULTS, ...overrides };
  if (o.providers.length === 0) throw new ZoneError("invalid_argument", "no execution provider given");
  if (o.production) {
    if (o.stepPaceMs > 0)
      throw new ZoneError(
        "invalid_argument",
        `${SERVICE_ENV.stepPaceMs} slows every edit on purpose (fixture runs); refusing it in production`,
      );
    if (o.secret === null || o.secret === "") {
      throw new ZoneError(
        "invalid_argument",
        `production mode needs ${SERVICE_ENV.secret}: refusing to serve edits without authentication`,
      );
    }
    if (o.secret.length < MIN_SECRET_LENGTH) {
      throw new ZoneError(
        "invalid_argument",
        `${SERVICE_ENV.secret} is shorter than ${MIN_SECRET_LENGTH} characters; use a random one (e.g. openssl rand -hex 32)`,
      );
    }
  }
  if (o.secret === "") o.secret = null;
  if (o.secret !== null && !isBearerToken(o.secret)) {
    throw new ZoneError(
      "invalid_argument",
      `${SERVICE_ENV.secret} cannot be sent as a bearer token: use letters, digits and -._~+/ (then = padding), e.g. openssl rand -hex 32`,
    );
  }
  return o;
}
