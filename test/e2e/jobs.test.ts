// Asynchronous edits on the real local stack (`zone serve` on the fixture models behind the
// gateway on Miniflare, as `npm start` runs them): the reliability cases. 20 identical
// async requests make one GPU call and one billed edit; a webhook receiver failing three times
// gets the fourth attempt, same webhook-id, through the local queue; a GPU function killed mid-job fails the
// job (nothing billed) and the next request succeeds once it is back; cancel while queued and
// while running (the GPU function drops the edit at its next step, nothing billed); the SSE
// stream in order, one event per step, resumed after a dropped connection; job state survives a
// restart of the gateway (Durable Object storage on disk), and a job cut off by it fails unbilled.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { type EditJob, editJobSchema, verifyWebhook } from "@zone/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey } from "../../scripts/dev-stack.ts";
import { sharedImage } from "../shared-data.ts";
import { gpuEditCalls, type Stack, startStack } from "./stack.ts";

const photoPath = sharedImage("chelsea.png");
const STEP_PACE_MS = 200;
let stack: Stack;

beforeAll(async () => {
  // Fixture steps take milliseconds; paced to 200 ms, a 50-step edit denoises for 10 s or more, so
  // the cancel, kill and restart cases meet it mid-denoise on any machine, not by luck.
  stack = await startStack({ quiet: true, webhookRetryBaseSeconds: 1, stepPaceMs: STEP_PACE_MS });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function submit(key: string, photo: Blob, fields: Record<string, string>, prefer = "respond-async") {
  const form = new FormData();
  form.append("image", photo, "photo");
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${stack.gatewayUrl}/v1/edits`, {
    method: "POST",
    body: form,
    headers: { ...auth(key), prefer },
  });
  return { res, job: editJobSchema.parse(await res.json()) };
}

const jobOf = async (key: string, url: string) =>
  editJobSchema.parse(await (await fetch(url, { headers: auth(key) })).json());

async function until(
  key: string,
  url: string,
  done: (job: EditJob) => boolean,
  ms = 60_000,
): Promise<EditJob> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await jobOf(key, url);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${job.id} still ${job.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const finished = (job: EditJob) => job.finishedAt !== null;

async function credits(accountId: string) {
  const res = await fetch(`${stack.gatewayUrl}/admin/accounts/${accountId}/credits`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  return (await res.json()) as { balance: number; held: number };
}

async function gpuMetric(sample: string): Promise<number> {
  const text = await (await fetch(`${stack.gpuUrl}/metrics`, { headers: auth(stack.gpuSecret) })).text();
  const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

describe.skipIf(photoPath === null)("async edits on the local stack (chelsea.png, fixture models)", () => {
  let photo: Blob;
  beforeAll(async () => {
    photo = new Blob([await readFile(photoPath!)], { type: "image/png" });
  });
  const denoising = (j: EditJob) => j.status === "running" && j.progress?.stage === "denoise";

  it("20 concurrent async requests for the same edit: one GPU call, one billed edit, 20 ids that succeed", async () => {
    const owner = await createKey(stack.adminToken, "e2e-crowd", stack.gatewayUrl);
    const start = await credits(owner.accountId);
    const before = await gpuEditCalls(stack);
    const fields = { instruction: "make the cat orange", steps: "4", seed: "3" };
    const jobs = await Promise.all(Array.from({ length: 20 }, () => submit(owner.key, photo, fields)));
    expect(jobs.map((j) => j.res.status)).toEqual(Array(20).fill(202));
    expect(new Set(jobs.map((j) => j.job.id)).size).toBe(20);
    const done = await Promise.all(jobs.map((j) => until(owner.key, j.job.links.self, finished)));
    expect(done.map((j) => j.status)).toEqual(Array(20).fill("succeeded"));
    expect(await gpuEditCalls(stack)).toBe(before + 1);
    const usage = (await (
      await fetch(`${stack.gatewayUrl}/v1/usage`, { headers: auth(owner.key) })
    ).json()) as {
      billedEdits: number;
      cacheHits: number;
      creditsSpent: number;
    };
    expect(usage).toMatchObject({ billedEdits: 1, cacheHits: 19 });
    const after = await credits(owner.accountId);
    expect(after.held).toBe(0);
    // The balance paid exactly the one billed edit's price.
    expect(usage.creditsSpent).toBeGreaterThan(0);
    expect(start.balance - after.balance).toBe(usage.creditsSpent);
  }, 120_000);

  it("a webhook receiver that fails the first three deliveries: the fourth succeeds, same webhook-id, valid signatures, nothing after", async () => {
    const owner = await createKey(stack.adminToken, "e2e-webhooks", stack.gatewayUrl);
    const got: Array<{ headers: IncomingHttpHeaders; body: string; status: number }> = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        const status = got.length < 3 ? 503 : 200;
        got.push({ headers: req.headers, body, status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const port = (receiver.address() as { port: number }).port;
      const created = await fetch(`${stack.gatewayUrl}/v1/webhooks`, {
        method: "POST",
        headers: { ...auth(owner.key), "content-type": "application/json" },
        body: JSON.stringify({ url: `http://127.0.0.1:${port}/zone`, events: ["edit.succeeded"] }),
      });
      expect(created.status, await created.clone().text()).toBe(201);
      const hook = (await created.json()) as { id: string; secret: string };
      const { job } = await submit(owner.key, photo, { instruction: "make the cat brown", steps: "2" });
      const deadline = Date.now() + 60_000;
      while (got.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(got.map((g) => g.status)).toEqual([503, 503, 503, 200]);
      expect(new Set(got.map((g) => g.headers["webhook-id"])).size).toBe(1);
      for (const g of got) {
        const headers = g.headers as Record<string, string>;
        expect((await verifyWebhook(hook.secret, headers, g.body)).ok).toBe(true);
        expect(JSON.parse(g.body)).toMatchObject({ type: "edit.succeeded", data: { id: job.id } });
      }
      // Nothing is delivered again after the success (the next retry would have come by now).
      await new Promise((r) => setTimeout(r, 10_000));
      expect(got).toHaveLength(4);
      const listed = (await (
        await fetch(`${stack.gatewayUrl}/v1/webhooks/${hook.id}/deliveries`, { headers: auth(owner.key) })
      ).json()) as { deliveries: Array<{ status: string; attempts: Array<{ statusCode: number }> }> };
      expect(listed.deliveries.map((d) => d.status)).toEqual(["succeeded"]);
      expect(listed.deliveries[0].attempts.map((a) => a.statusCode)).toEqual([503, 503, 503, 200]);
    } finally {
      receiver.close();
    }
  }, 120_000);

  it("SSE: one job's events in order, one per step, resumed after a dropped connection", async () => {
    const owner = await createKey(stack.adminToken, "e2e-sse", stack.gatewayUrl);
    const { job } = await submit(owner.key, photo, { instruction: "make the cat white", steps: "6" });
    const read = async (lastEventId: string | null, stopAfter: number | null) => {
      const res = await fetch(job.links.events, {
        headers: { ...auth(owner.key), ...(lastEventId === null ? {} : { "last-event-id": lastEventId }) },
      });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>)
        .pipeThrough(new TextDecoderStream())
        .getReader();
      const events: Array<{ id: number; event: string; data: Record<string, unknown> }> = [];
      let text = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += value;
        for (let end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const field = (name: string) =>
            block
              .split("\n")
              .find((l) => l.startsWith(`${name}:`))
              ?.slice(name.length + 1)
              .trim();
          if (field("event"))
            events.push({
              id: Number(field("id")),
              event: field("event") as string,
              data: JSON.parse(field("data") as string),
            });
        }
        if (stopAfter !== null && events.length >= stopAfter) {
          await reader.cancel();
          break;
        }
      }
      return events;
    };
    const head = await read(null, 2);
    const tail = await read(String(head[1].id), null);
    const all = [...head.slice(0, 2), ...tail];
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    expect(all[0].event).toBe("edit.queued");
    const steps = all
      .filter((e) => e.event === "edit.progress" && e.data.stage === "denoise")
      .map((e) => e.data.step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.at(-1)).toMatchObject({ event: "edit.succeeded", data: { status: "succeeded" } });
  }, 120_000);

  it("cancel while queued and while running: the GPU function stops at its next step, nothing billed", async () => {
    const owner = await createKey(stack.adminToken, "e2e-cancel", stack.gatewayUrl);
    const start = await credits(owner.accountId);
    const dropped = await gpuMetric('zone_edits_dropped_total{reason="client_closed"}');
    // One GPU slot (zone serve's default concurrency): the second job waits in its queue.
    const running = await submit(owner.key, photo, { instruction: "make the cat purple", steps: "50" });
    await until(owner.key, running.job.links.self, denoising);
    const queued = await submit(owner.key, photo, { instruction: "make the cat pink", steps: "50" });
    expect(queued.job.status).toBe("queued");
    // Its request has reached the GPU function and waits there for the slot (not still on its way).
    const queuedBy = Date.now() + 30_000;
    while ((await gpuMetric("zone_edit_queue_depth")) < 1) {
      if (Date.now() > queuedBy) throw new Error("the second edit never reached the GPU function's queue");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const cancel = (url: string) => fetch(url, { method: "POST", headers: auth(owner.key) });
    const q = editJobSchema.parse(await (await cancel(queued.job.links.cancel)).json());
    expect(q).toMatchObject({ status: "canceled", canceledBy: "requested", startedAt: null });
    const progress = (await jobOf(owner.key, running.job.links.self)).progress;
    const r = editJobSchema.parse(await (await cancel(running.job.links.cancel)).json());
    expect(r).toMatchObject({ status: "canceled", canceledBy: "requested" });
    // It was denoising when canceled, far from its last step.
    expect(progress).toMatchObject({ stage: "denoise", steps: 50 });
    expect(progress?.step).toBeLessThan(40);
    expect(r.startedAt).not.toBeNull();
    // Both requests were closed: the GPU function counts them dropped, and its slot is free again.
    const deadline = Date.now() + 30_000;
    while ((await gpuMetric('zone_edits_dropped_total{reason="client_closed"}')) < dropped + 2) {
      if (Date.now() > deadline)
        throw new Error(
          `the GPU function did not drop the canceled edits: dropped ${await gpuMetric('zone_edits_dropped_total{reason="client_closed"}')}, before ${dropped}; queue ${await gpuMetric("zone_edit_queue_depth")}, running ${await gpuMetric("zone_edits_running")}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await gpuMetric("zone_edit_queue_depth")).toBe(0);
    expect(await credits(owner.accountId)).toEqual({ ...start, held: 0 });
  }, 120_000);

  it("the GPU function killed mid-job: the job fails with a problem, nothing billed; a new request succeeds once it is back", async () => {
    const owner = await createKey(stack.adminToken, "e2e-killed", stack.gatewayUrl);
    const start = await credits(owner.accountId);
    const { job } = await submit(owner.key, photo, { instruction: "make the cat green", steps: "50" });
    await until(owner.key, job.links.self, denoising);
    await stack.killGpu();
    const ended = await until(owner.key, job.links.self, finished);
    expect(ended.status).toBe("failed");
    expect(ended.error).toMatchObject({ status: 503, code: "upstream_unavailable" });
    expect((await credits(owner.accountId)).balance).toBe(start.balance);
    await stack.gpuReady();
    const again = await submit(
      owner.key,
      photo,
      { instruction: "make the cat green", steps: "4" },
      "wait=60",
    );
    expect(again.res.status).toBe(201);
    expect(again.job.status).toBe("succeeded");
  }, 240_000);

  it("keeps job state across a restart of the gateway; a job cut off by it fails, unbilled", async () => {
    const owner = await createKey(stack.adminToken, "e2e-restart", stack.gatewayUrl);
    const done = await submit(owner.key, photo, { instruction: "make the cat blue", steps: "4" }, "wait=60");
    expect(done.job.status).toBe("succeeded");
    const start = await credits(owner.accountId);
    const cut = await submit(owner.key, photo, { instruction: "make the cat red", steps: "50" });
    await until(owner.key, cut.job.links.self, denoising);
    await stack.restartGateway();
    expect(await jobOf(owner.key, done.job.links.self)).toEqual(done.job);
    const after = await jobOf(owner.key, cut.job.links.self);
    expect(after.status).toBe("failed");
    expect(after.error?.detail).toMatch(/restarted/);
    expect(await credits(owner.accountId)).toEqual({ ...start, held: 0 });
    const result = await fetch(done.job.links.self.replace(/$/, "/result"), { headers: auth(owner.key) });
    expect(result.status).toBe(200);
  }, 240_000);
});
