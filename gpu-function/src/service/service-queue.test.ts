// Queueing over real HTTP: one edit at a time, a bounded queue answering 503 + Retry-After when
// full, waiting work dropped when its client disconnects, and the per-request deadline. Edits are
// held running by a gate, so nothing here depends on timing. Fixture models load once per file.
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

async function queuedService(overrides: { maxQueue: number; deadlineMs?: number }) {
  const gate = gatedRunner();
  const service = await startTestService(
    { secret: TEST_SECRET, concurrency: 1, ...overrides },
    { loadModels: async () => loaded, runEdit: gate.runEdit },
  );
  running.push(service);
  await service.ready;
  return { service, gate };
}

const params = { instruction: "make the ball blue", steps: 1, outputs: ["result" as const] };

describe("queueing", () => {
  it("runs one edit at a time and refuses the one past the queue with 503 + Retry-After", async () => {
    const { service, gate } = await queuedService({ maxQueue: 1 });
    const first = postEdit(service, editForm(png, params));
    await until(() => service.queue.running === 1, "the first edit to start");
    const second = postEdit(service, editForm(png, params));
    await until(() => service.queue.queued === 1, "the second edit to queue");
    expect(metricValue(await metricsText(service), "zone_edit_queue_depth")).toBe(1);

    const third = await postEdit(service, editForm(png, params));
    expect(third.status).toBe(503);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(third.headers.get("content-type")).toBe("application/problem+json");
    expect(await third.json()).toMatchObject({ code: "overloaded", status: 503 });

    gate.release();
    const [a, b] = await Promise.all([first, second]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const queueMs = (res: Response) =>
      Number(res.headers.get("server-timing")?.match(/queue;dur=([0-9.]+)/)?.[1]);
    expect(queueMs(b)).toBeGreaterThan(queueMs(a));
    expect(gate.started()).toBe(2);

    const text = await metricsText(service);
    expect(metricValue(text, 'zone_edits_dropped_total{reason="queue_full"}')).toBe(1);
    expect(metricValue(text, 'zone_http_requests_total{route="/v1/edit",method="POST",status="503"}')).toBe(
      1,
    );
    expect(metricValue(text, "zone_edit_queue_depth")).toBe(0);
  });

  it("drops a waiting edit when its client disconnects, without running it", async () => {
    const { service, gate } = await queuedService({ maxQueue: 4 });
    const first = postEdit(service, editForm(png, params));
    await until(() => service.queue.running === 1, "the first edit to start");
    const client = new AbortController();
    const second = postEdit(service, editForm(png, params), { signal: client.signal });
    await until(() => service.queue.queued === 1, "the second edit to queue");
    client.abort();
    await expect(second).rejects.toThrow();
    await until(() => service.queue.queued === 0, "the dropped edit to leave the queue");

    gate.release();
    expect((await first).status).toBe(200);
    expect(gate.started()).toBe(1);
    const text = await metricsText(service);
    expect(metricValue(text, 'zone_edits_dropped_total{reason="client_closed"}')).toBe(1);
  });

  it("answers 504 when the deadline passes, and frees the slot", async () => {
    const { service, gate } = await queuedService({ maxQueue: 4, deadlineMs: 150 });
    const late = postEdit(service, editForm(png, params));
    await until(() => service.queue.running === 1, "the edit to start");
    await new Promise((resolve) => setTimeout(resolve, 200));
    gate.release();
    const res = await late;
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: "deadline_exceeded" });
    expect(service.queue.running).toBe(0);
    const text = await metricsText(service);
    expect(metricValue(text, 'zone_edits_dropped_total{reason="deadline"}')).toBe(1);
    expect(metricValue(text, 'zone_edit_duration_seconds_count{outcome="deadline_exceeded"}')).toBe(1);
  });
});
