// Helpers for the GPU service's HTTP tests (kept out of src/, which is production code): fixture
// models loaded once per test file, services on ephemeral localhost ports, multipart requests and
// responses, gates that hold an edit running.
import type { GpuEditParamsInput } from "@zone/shared";
import { syntheticScene } from "../src/demo/synthetic-scene.ts";
import { encodePng } from "../src/image/io.ts";
import { coldLoad, type LoadedModels } from "../src/service/cold-load.ts";
import { memoryLogger } from "../src/service/logger.ts";
import { ServiceMetrics } from "../src/service/metrics.ts";
import { resolveServiceOptions, type ServiceOptions } from "../src/service/options.ts";
import { type EditRunner, runServiceEdit } from "../src/service/run-edit.ts";
import { type RunningService, type ServiceHooks, startService } from "../src/service/server.ts";

export const TEST_SECRET = "test-secret-0123456789abcdef";

/** Fixture models, loaded (and warmed up) once per test file. */
export function fixtureModelsOnce(): () => Promise<LoadedModels> {
  let loading: Promise<LoadedModels> | null = null;
  return () => {
    loading ??= coldLoad(resolveServiceOptions({ models: "fixtures", providers: ["cpu"], warmupSteps: 1 }), {
      log: memoryLogger(),
      metrics: new ServiceMetrics({ processMetrics: false }),
    });
    return loading;
  };
}

export async function startTestService(
  overrides: Partial<ServiceOptions>,
  hooks: Partial<ServiceHooks> = {},
): Promise<RunningService & { log: ReturnType<typeof memoryLogger> }> {
  const log = memoryLogger();
  const service = await startService(
    resolveServiceOptions({
      host: "127.0.0.1",
      port: 0,
      models: "fixtures",
      providers: ["cpu"],
      warmupSteps: 1,
      shutdownGraceMs: 2000,
      ...overrides,
    }),
    { log, processMetrics: false, releaseModels: hooks.loadModels === undefined, ...hooks },
  );
  return { ...service, log };
}

export async function scenePng(width = 64, height = 48): Promise<Buffer> {
  return encodePng(syntheticScene(width, height).image);
}

export function editForm(
  image: Uint8Array | string | null,
  params: GpuEditParamsInput | string | null,
): FormData {
  const form = new FormData();
  if (typeof image === "string") form.append("image", image);
  else if (image !== null) form.append("image", new Blob([new Uint8Array(image)]), "photo.png");
  if (params !== null) form.append("params", typeof params === "string" ? params : JSON.stringify(params));
  return form;
}

export function postEdit(
  service: { url: string },
  body: FormData | string,
  init: { secret?: string | null; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  const secret = init.secret === undefined ? TEST_SECRET : init.secret;
  return fetch(`${service.url}/v1/edit`, {
    method: "POST",
    body,
    signal: init.signal,
    headers: { ...(secret === null ? {} : { authorization: `Bearer ${secret}` }), ...init.headers },
  });
}

/** A runner that holds each edit until `release()`, then runs the real one (which honours aborts). */
export function gatedRunner(): { runEdit: EditRunner; release: () => void; started: () => number } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let count = 0;
  return {
    runEdit: async (models, input, signal, onProgress) => {
      count++;
      await gate;
      return runServiceEdit(models, input, signal, onProgress);
    },
    release: () => release(),
    started: () => count,
  };
}

export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function metricsText(service: { url: string }): Promise<string> {
  const res = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${TEST_SECRET}` } });
  return res.text();
}

/** The value of one sample line, e.g. metricValue(text, 'zone_ready'); null when absent. */
export function metricValue(text: string, sample: string): number | null {
  const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
  return line === undefined ? null : Number(line.slice(sample.length + 1));
}
