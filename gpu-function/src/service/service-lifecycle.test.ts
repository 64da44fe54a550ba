// The service's life over real HTTP: not ready while the models load (edits get 503 + Retry-After),
// ready after the warm-up, a failed cold load, and graceful shutdown (the running edit finishes,
// waiting ones are refused, new connections are not accepted). Fixture models load once per file.
import { PIPELINE_VERSION } from "@zone/shared";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  editForm,
  fixtureModelsOnce,
  gatedRunner,
  metricsText,
  metricValue,
  postEdit,
  scenePng,
  startTestService,
  TEST_SECRET,
  until,
} from "../../test/service-support.ts";
import type { LoadedModels } from "./cold-load.ts";
import { resolveServiceOptions } from "./options.ts";

const models = fixtureModelsOnce();
let loaded: LoadedModels;
let png: Buffer;
const running: Array<{ stop: () => Promise<void> }> = [];

beforeAll(async () => {
  loaded = await models();
  png = await scenePng(48, 32);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

const params = { instruction: "make the ball blue", steps: 1, outputs: ["result" as const] };

describe("readiness", () => {
  it("is not ready until the models are loaded and warmed up", async () => {
    let finishLoading!: () => void;
    const loading = new Promise<void>((resolve) => {
      finishLoading = resolve;
    });
    const service = await startTestService(
      { secret: TEST_SECRET },
      {
        loadModels: async () => {
          await loading;
          return loaded;
        },
      },
    );
    running.push(service);

    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const before = await fetch(`${service.url}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ ready: false, phase: "loading" });
    const early = await postEdit(service, editForm(png, params));
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBe("5");
    expect(await early.json()).toMatchObject({ code: "not_ready" });
    expect(metricValue(await metricsText(service), "zone_ready")).toBe(0);

    finishLoading();
    await service.ready;
    const after = await fetch(`${service.url}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ ready: true, bundleId: loaded.models.bundle.manifest.id });
    expect((await postEdit(service, editForm(png, params))).status).toBe(200);
    expect(metricValue(await metricsText(service), "zone_ready")).toBe(1);
  });

  it("with listenWhenReady, opens the port only once ready", async () => {
    let finishLoading!: () => void;
    const loading = new Promise<void>((resolve) => {
      finishLoading = resolve;
    });
    let started = false;
    const starting = startTestService(
      { secret: TEST_SECRET, listenWhenReady: true },
      {
        loadModels: async () => {
          await loading;
          return loaded;
        },
      },
    ).then((service) => {
      started = true;
      running.push(service);
      return service;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(started).toBe(false);
    finishLoading();
    const service = await starting;
    expect(service.state.phase).toBe("ready");
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    expect(service.log.entries.map((e) => e.message)).toEqual(expect.arrayContaining(["ready", "listening"]));
    const order = service.log.entries.map((e) => e.message);
    expect(order.indexOf("ready")).toBeLessThan(order.indexOf("listening"));
  });

  it("reports a failed cold load, and edits get its error", async () => {
    const service = await startTestService({ secret: TEST_SECRET, models: "/nonexistent/bundle" });
    running.push(service);
    await expect(service.ready).rejects.toMatchObject({ code: "models_missing" });
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, phase: "failed" });
    const res = await postEdit(service, editForm(png, params));
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toMatch(
      /no model bundle at \/nonexistent\/bundle/,
    );
    expect(service.log.entries.some((e) => e.level === "error" && e.message === "cold load failed")).toBe(
      true,
    );
  });

  it("logs the provider fallback when CUDA is asked for but not present", async () => {
    const service = await startTestService({ providers: ["cuda", "cpu"], warmupSteps: 1 });
    running.push(service);
    await service.ready;
    const warnings = service.log.entries.filter((e) => e.level === "warn").map((e) => e.message);
    expect(warnings).toContainEqual(
      expect.stringMatching(/^ip2pUnet: cuda (is not installed|failed).*trying the next/),
    );
    const plan = service.log.entries.find((e) => e.message === "execution plan");
    expect(plan?.plan).toMatch(/ONNX graphs on cuda > cpu/);
    const ready = (await (await fetch(`${service.url}/readyz`)).json()) as {
      providers: Record<string, string>;
      pipelineVersion: string;
    };
    expect(ready.providers.ip2pUnet).toBe("cpu");
    expect(ready.pipelineVersion).toBe(PIPELINE_VERSION);
  });
});

describe("graceful shutdown", () => {
  it("finishes the running edit, refuses the waiting one, then stops listening", async () => {
    const gate = gatedRunner();
    const service = await startTestService(
      { secret: TEST_SECRET, maxQueue: 4 },
      { loadModels: async () => loaded, runEdit: gate.runEdit },
    );
    await service.ready;
    const first = postEdit(service, editForm(png, params));
    await until(() => service.queue.running === 1, "the first edit to start");
    const second = postEdit(service, editForm(png, params));
    await until(() => service.queue.queued === 1, "the second edit to queue");

    let stopped = false;
    const stopping = service.stop().then(() => {
      stopped = true;
    });
    const refused = await second;
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await refused.json()).toMatchObject({ code: "shutting_down" });
    expect(service.state.phase).toBe("stopping");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);

    gate.release();
    const done = await first;
    expect(done.status).toBe(200);
    expect((await done.formData()).get("result")).toBeInstanceOf(Blob);
    await stopping;
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    expect(service.log.entries.at(-1)?.message).toBe("stopped");
  });
});

describe("production mode", () => {
  it("refuses to start without a shared secret, or with a short one", () => {
    expect(() => resolveServiceOptions({ production: true })).toThrow(
      /production mode needs GPU_SHARED_SECRET/,
    );
    expect(() => resolveServiceOptions({ production: true, secret: "short" })).toThrow(/shorter than 16/);
    expect(resolveServiceOptions({ production: true, secret: TEST_SECRET }).secret).toBe(TEST_SECRET);
  });
});
