// The progress stream over real HTTP: lines in order (accepted, started, stages, each denoising
// step k of n) then the multipart answer, read with the gateway's reader (readProgressStream);
// an error after the stream started as an error line with the status it would have had; and the
// reader going away stopping the edit at its next step and freeing the slot.
import {
  GPU_PROGRESS_STREAM_TYPE,
  type GpuProgressLine,
  gpuEditMetaSchema,
  readProgressStream,
} from "@zone/shared";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  editForm,
  fixtureModelsOnce,
  metricsText,
  metricValue,
  postEdit,
  scenePng,
  startTestService,
  TEST_SECRET,
  until,
} from "../../test/service-support.ts";
import type { LoadedModels } from "./cold-load.ts";
import type { EditRunner } from "./run-edit.ts";

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

async function service(runEdit?: EditRunner, stepPaceMs = 0) {
  const started = await startTestService(
    { secret: TEST_SECRET, concurrency: 1, stepPaceMs },
    { loadModels: async () => loaded, ...(runEdit ? { runEdit } : {}) },
  );
  running.push(started);
  await started.ready;
  return started;
}

const STREAM = { headers: { accept: GPU_PROGRESS_STREAM_TYPE } };

describe("the progress stream", () => {
  it("streams accepted, started, every stage and denoising step k of n, then the multipart answer", async () => {
    const s = await service();
    const res = await postEdit(s, editForm(png, { instruction: "make the ball blue", steps: 3 }), STREAM);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(GPU_PROGRESS_STREAM_TYPE);
    const lines: GpuProgressLine[] = [];
    const { end, rest } = await readProgressStream(res.body as ReadableStream<Uint8Array>, (l) =>
      lines.push(l),
    );
    expect(lines.slice(0, 2)).toEqual([{ type: "accepted" }, { type: "started" }]);
    const denoise = lines.filter((l) => l.type === "progress" && l.stage === "denoise");
    expect(denoise).toEqual(
      [1, 2, 3].map((step) => ({ type: "progress", stage: "denoise", step, steps: 3 })),
    );
    const stages = lines.flatMap((l) => (l.type === "progress" ? [l.stage] : []));
    expect(stages).toContain("compose");
    expect(end.type).toBe("result");
    if (end.type !== "result") return;
    const form = await new Response(rest, { headers: { "content-type": end.contentType } }).formData();
    const meta = gpuEditMetaSchema.parse(JSON.parse(await (form.get("meta") as Blob).text()));
    expect(meta.steps).toBe(3);
    expect(form.get("result")).toBeInstanceOf(Blob);
  });

  it("ends with an error line carrying the status and problem it would have answered with", async () => {
    const s = await service();
    const res = await postEdit(s, editForm(png, { instruction: "   " }), STREAM);
    expect(res.status).toBe(200);
    const { end } = await readProgressStream(res.body as ReadableStream<Uint8Array>, () => {});
    expect(end).toMatchObject({
      type: "error",
      status: 400,
      problem: { code: "invalid_argument", status: 400 },
    });
  });

  it("stops the edit at its next step when the reader goes away, and frees the slot", async () => {
    let stepsRun = 0;
    const slow: EditRunner = async (_models, _input, signal, onProgress) => {
      for (let step = 1; step <= 50; step++) {
        signal.throwIfAborted();
        stepsRun++;
        onProgress?.({ stage: "denoise", step, total: 50, timestep: 0, elapsedMs: 0, modelMs: 0 });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error("not reached");
    };
    const s = await service(slow);
    const client = new AbortController();
    const res = await postEdit(s, editForm(png, { instruction: "make the ball blue" }), {
      ...STREAM,
      signal: client.signal,
    });
    const seen: GpuProgressLine[] = [];
    const reading = readProgressStream(res.body as ReadableStream<Uint8Array>, (line) => {
      seen.push(line);
      if (line.type === "progress" && line.step === 3) client.abort();
    }).catch(() => null);
    await reading;
    await until(() => s.queue.running === 0, "the canceled edit to free its slot");
    expect(stepsRun).toBeLessThan(10);
    const text = await metricsText(s);
    expect(metricValue(text, 'zone_edits_dropped_total{reason="client_closed"}')).toBe(1);
  });

  it("with a step pace (ZONE_STEP_PACE_MS), holds each denoising step to it", async () => {
    const s = await service(undefined, 60);
    const res = await postEdit(s, editForm(png, { instruction: "make the ball blue", steps: 3 }), STREAM);
    const lines: GpuProgressLine[] = [];
    const { end, rest } = await readProgressStream(res.body as ReadableStream<Uint8Array>, (line) =>
      lines.push(line),
    );
    expect(lines.filter((l) => l.type === "progress" && l.stage === "denoise")).toHaveLength(3);
    expect(end.type).toBe("result");
    if (end.type !== "result") return;
    const form = await new Response(rest, { headers: { "content-type": end.contentType } }).formData();
    const meta = gpuEditMetaSchema.parse(JSON.parse(await (form.get("meta") as Blob).text()));
    // Timed by the service, not by this reader (a stream's lines may arrive together). Steps 2 and
    // 3 each start only after the step before has been held to 60 ms since its own start, so the
    // stage lasts at least 2 x 60 ms (timer slack: 1 ms a wait); unpaced, 3 tiny steps take a few.
    expect(meta.timingsMs.denoise).toBeGreaterThanOrEqual(2 * 60 - 2);
  });
});
