import { ZoneError } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { resolveServiceOptions, SERVICE_DEFAULTS, serviceOptionsFromEnv } from "./options.ts";

describe("serviceOptionsFromEnv", () => {
  it("reads every variable", () => {
    expect(
      serviceOptionsFromEnv({
        HOST: "0.0.0.0",
        PORT: "8000",
        MODELS_DIR: "/models/current",
        ZONE_PROVIDERS: "tensorrt, cuda,cpu",
        ZONE_DEVICE_ID: "1",
        ZONE_CONCURRENCY: "2",
        ZONE_MAX_QUEUE: "0",
        ZONE_EDIT_DEADLINE_MS: "60000",
        ZONE_MAX_BODY_BYTES: "1048576",
        ZONE_MAX_PIXELS: "1000000",
        GPU_SHARED_SECRET: "abcdefghijklmnopqrstuvwxyz",
        ZONE_PRODUCTION: "1",
        ZONE_WARMUP_STEPS: "4",
        ZONE_VERIFY_BUNDLE: "0",
        ZONE_SHUTDOWN_GRACE_MS: "5000",
        ZONE_LISTEN_WHEN_READY: "1",
        ZONE_STEP_PACE_MS: "100",
      }),
    ).toEqual({
      host: "0.0.0.0",
      port: 8000,
      models: "/models/current",
      providers: ["tensorrt", "cuda", "cpu"],
      deviceId: 1,
      concurrency: 2,
      maxQueue: 0,
      deadlineMs: 60000,
      maxBodyBytes: 1048576,
      maxPixels: 1000000,
      secret: "abcdefghijklmnopqrstuvwxyz",
      production: true,
      warmupSteps: 4,
      verifyBundle: false,
      shutdownGraceMs: 5000,
      listenWhenReady: true,
      stepPaceMs: 100,
    });
  });

  it("leaves unset and empty variables to the defaults", () => {
    expect(serviceOptionsFromEnv({ PORT: "", GPU_SHARED_SECRET: "" })).toEqual({});
    expect(resolveServiceOptions(serviceOptionsFromEnv({}))).toEqual(SERVICE_DEFAULTS);
  });

  it("treats NODE_ENV=production as production mode", () => {
    expect(serviceOptionsFromEnv({ NODE_ENV: "production" }).production).toBe(true);
    expect(serviceOptionsFromEnv({ NODE_ENV: "production", ZONE_PRODUCTION: "0" }).production).toBe(true);
    expect(serviceOptionsFromEnv({ NODE_ENV: "development" }).production).toBeUndefined();
  });

  it.each([
    [{ PORT: "http" }, /^PORT must be an integer in 0..65535, got "http"$/],
    [{ PORT: "70000" }, /PORT must be an integer/],
    [{ ZONE_CONCURRENCY: "0" }, /ZONE_CONCURRENCY must be an integer in 1..64/],
    [{ ZONE_MAX_QUEUE: "-1" }, /ZONE_MAX_QUEUE must be/],
    [{ ZONE_EDIT_DEADLINE_MS: "1.5" }, /ZONE_EDIT_DEADLINE_MS must be/],
    [{ ZONE_PROVIDERS: "cuda,metal" }, /ZONE_PROVIDERS must be a list of tensorrt, cuda, cpu/],
    [{ ZONE_PRODUCTION: "maybe" }, /ZONE_PRODUCTION must be 1 or 0/],
    [{ ZONE_STEP_PACE_MS: "-5" }, /ZONE_STEP_PACE_MS must be an integer in 0..60000/],
  ])("rejects %j", (env, message) => {
    let error: unknown;
    try {
      serviceOptionsFromEnv(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ZoneError);
    expect((error as Error).message).toMatch(message);
  });
});

describe("resolveServiceOptions: the shared secret", () => {
  it.each([
    ["0123456789abcdef0123456789abcdef", true],
    ["YWJjZGVmZ2hpamtsbW5vcA==", true],
    ["has a space in it 0123", false],
    ["pa$$word-pa$$word-pa$$word", false],
  ])("%j is accepted: %s (it must be sendable as a bearer token)", (secret, ok) => {
    const resolve = () => resolveServiceOptions({ secret });
    if (ok) expect(resolve().secret).toBe(secret);
    else expect(resolve).toThrow(/^GPU_SHARED_SECRET cannot be sent as a bearer token/);
  });

  it("treats an empty secret as none", () => {
    expect(resolveServiceOptions({ secret: "" }).secret).toBeNull();
  });
});

describe("resolveServiceOptions: the step pace", () => {
  const secret = "0123456789abcdef0123456789abcdef";
  it("is off by default and allowed outside production", () => {
    expect(SERVICE_DEFAULTS.stepPaceMs).toBe(0);
    expect(resolveServiceOptions({ stepPaceMs: 100 }).stepPaceMs).toBe(100);
    expect(resolveServiceOptions({ production: true, secret }).stepPaceMs).toBe(0);
  });

  it("is refused in production: it slows every edit on purpose", () => {
    expect(() => resolveServiceOptions({ production: true, secret, stepPaceMs: 100 })).toThrow(
      /^ZONE_STEP_PACE_MS slows every edit on purpose/,
    );
  });
});
