// Asynchronous edits in workerd: Prefer (respond-async, wait=N and its cap), the 202 and its
// headers, polling to succeeded, coalescing of 20 identical jobs into one GPU call and one billed
// edit, cancellation while running (nothing billed; the closing of the GPU call is shown by
// gpu-client.test.ts and end to end) and of one of two
// coalesced jobs (the other still billed once), Cancel-After, a failed job's problem, another
// account's id, an Idempotency-Key replay of a 202, and the SSE stream with Last-Event-ID.
// Instructions are unique to this file.
import { env, runDurableObjectAlarm, SELF } from "cloudflare:test";
import { type EditJob, editJobSchema, PREFER_WAIT_MAX_SECONDS } from "@zone/shared";
import { describe, expect, it } from "vitest";
import {
  API,
  createKey,
  credits,
  editForm,
  editRow,
  eventually,
  getWith,
  gpuCalls,
  liveAccount,
  postEdit,
  scriptGpu,
} from "../test/worker-helpers.ts";
import { DEFAULT_PRICES } from "./billing/prices.ts";
import { cacheKeyOfJobId } from "./jobs/job-id.ts";
import { JOB_POLL_SECONDS } from "./jobs/job-poll.ts";

const EDIT = DEFAULT_PRICES.edit;
const ASYNC = { prefer: "respond-async" };

async function submit(key: string, instruction: string, headers: Record<string, string> = ASYNC) {
  const res = await postEdit(key, editForm({ instruction }), headers);
  return { res, job: editJobSchema.parse(await res.json()) };
}

const cancel = (key: string, url: string) =>
  SELF.fetch(url, { method: "POST", headers: { authorization: `Bearer ${key}` } });

const jobOf = async (key: string, url: string) => editJobSchema.parse(await (await getWith(key, url)).json());

async function settled(key: string, url: string, ms = 5_000): Promise<EditJob> {
  return eventually(
    () => jobOf(key, url),
    (job) => job.finishedAt !== null,
    ms,
  );
}

describe("Prefer and the 202", () => {
  it("answers respond-async with 202, Location, Retry-After and Preference-Applied, then succeeds", async () => {
    const key = await createKey();
    const { res, job } = await submit(key, "jobs: make the sky orange");
    expect(res.status).toBe(202);
    expect(res.headers.get("preference-applied")).toBe("respond-async");
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("location")).toBe(`${API}/v1/edits/${job.id}`);
    expect(["queued", "running"]).toContain(job.status);
    expect(job.id).toMatch(/^ej_[0-9a-f]{96}$/);
    const done = await settled(key, job.links.self);
    // A poll of the open job says when to poll again; the finished job does not.
    expect((await getWith(key, job.links.self)).headers.get("retry-after")).toBeNull();
    expect(done.status).toBe("succeeded");
    if (done.status !== "succeeded") return;
    expect(done.cache).toBe("MISS");
    expect(done.startedAt).not.toBeNull();
    const result = await getWith(key, done.links.result);
    expect(result.status).toBe(200);
    expect((await editRow(job.id))?.kind).toBe("billed");
  });

  it("waits with Prefer: wait=N and answers 201 when done in time; caps N", async () => {
    const key = await createKey();
    const res = await postEdit(key, editForm({ instruction: "jobs: add a moon" }), { prefer: "wait=10" });
    expect(res.status).toBe(201);
    expect(res.headers.get("preference-applied")).toBe("wait=10");
    expect(res.headers.get("x-cache")).toBe("MISS");
    const job = editJobSchema.parse(await res.json());
    expect(job.status).toBe("succeeded");
    await scriptGpu("hang", "jobs: add two moons", { ms: "1500" });
    const slow = await postEdit(key, editForm({ instruction: "jobs: add two moons" }), {
      prefer: "wait=99999",
    });
    expect(slow.headers.get("preference-applied")).toBe(`wait=${PREFER_WAIT_MAX_SECONDS}`);
    expect(slow.status).toBe(201);
  });

  it("answers 202 when the wait runs out first", async () => {
    const key = await createKey();
    await scriptGpu("hang", "jobs: add a comet", { ms: "2500" });
    const started = Date.now();
    const { res, job } = await submit(key, "jobs: add a comet", { prefer: "wait=1" });
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(job.status).toBe("running");
    expect((await settled(key, job.links.self)).status).toBe("succeeded");
  });

  it("replays an async answer under the same Idempotency-Key: the same job, not a second one", async () => {
    const key = await createKey();
    const headers = { prefer: "respond-async", "idempotency-key": "jobs-idem-1" };
    const first = await submit(key, "jobs: add a tent", headers);
    const again = await submit(key, "jobs: add a tent", headers);
    expect(again.res.headers.get("idempotent-replayed")).toBe("true");
    expect(again.job.id).toBe(first.job.id);
    expect((await settled(key, first.job.links.self)).status).toBe("succeeded");
    expect((await gpuCalls("jobs: add a tent")).calls).toBe(1);
  });

  it("answers a cache hit at once with 201, even with respond-async", async () => {
    const key = await createKey();
    await postEdit(key, editForm({ instruction: "jobs: add a hat" }));
    const res = await postEdit(key, editForm({ instruction: "jobs: add a hat" }), ASYNC);
    expect(res.status).toBe(201);
    expect(res.headers.get("x-cache")).toBe("HIT");
  });

  it("refuses a malformed or too long Cancel-After with 400, before any hold", async () => {
    const owner = await liveAccount("impatient", 100);
    for (const value of ["soon", "0", String(10 ** 6)]) {
      const res = await postEdit(owner.key, editForm({ instruction: "jobs: add rain" }), {
        "cancel-after": value,
      });
      expect(res.status, value).toBe(400);
    }
    expect((await credits(owner.accountId)).balance).toBe(100);
    expect((await gpuCalls("jobs: add rain")).calls).toBe(0);
  });
});

describe("coalescing and billing", () => {
  it("makes 20 identical async requests one GPU call, one billed edit, 20 succeeded ids", async () => {
    const owner = await liveAccount("crowd of jobs", 20 * EDIT);
    const instruction = "jobs: paint the fence white";
    await scriptGpu("hang", instruction, { ms: "600" });
    const jobs = await Promise.all(Array.from({ length: 20 }, () => submit(owner.key, instruction)));
    expect(jobs.map((j) => j.res.status)).toEqual(Array(20).fill(202));
    expect(new Set(jobs.map((j) => j.job.id)).size).toBe(20);
    const done = await Promise.all(jobs.map((j) => settled(owner.key, j.job.links.self)));
    expect(done.map((j) => j.status)).toEqual(Array(20).fill("succeeded"));
    expect((await gpuCalls(instruction)).calls).toBe(1);
    const caches = done.map((j) => (j.status === "succeeded" ? j.cache : null)).sort();
    expect(caches).toEqual([...Array(19).fill("COALESCED"), "MISS"].sort());
    const balance = await eventually(
      () => credits(owner.accountId),
      (c) => c.held === 0,
    );
    expect(balance).toMatchObject({ balance: 19 * EDIT, held: 0 });
  });
});

describe("cancel and deadlines", () => {
  it("cancels a running job: nothing is billed", async () => {
    const owner = await liveAccount("canceler", 100);
    const instruction = "jobs: remove the boat";
    await scriptGpu("hang", instruction, { ms: "4000" });
    const { job } = await submit(owner.key, instruction);
    await eventually(
      () => gpuCalls(instruction),
      (calls) => calls.calls === 1,
    );
    expect((await credits(owner.accountId)).held).toBe(EDIT);
    const polled = await getWith(owner.key, job.links.self);
    expect(polled.headers.get("retry-after")).toBe(String(JOB_POLL_SECONDS));
    expect(JOB_POLL_SECONDS).toBe(1);
    const canceled = await cancel(owner.key, job.links.cancel);
    expect(canceled.status).toBe(200);
    const view = editJobSchema.parse(await canceled.json());
    expect(view).toMatchObject({ status: "canceled", canceledBy: "requested" });
    expect(view.finishedAt).not.toBeNull();
    // Miniflare does not pass the closed request on to the outbound mock: that the GPU function
    // stops is shown by gpu-client.test.ts (the signal reaches fetch) and end to end (test/e2e).
    expect(await credits(owner.accountId)).toMatchObject({ balance: 100, held: 0 });
    expect(await editRow(job.id)).toBeNull();
    // Canceling again changes nothing; the result links are not there.
    expect((await jobOf(owner.key, job.links.self)).status).toBe("canceled");
    expect((await getWith(owner.key, `${job.links.self}/result`)).status).toBe(404);
  });

  it("cancels one of two coalesced jobs: the other still succeeds, billed once, the GPU call runs on", async () => {
    const owner = await liveAccount("pair of jobs", 100);
    const instruction = "jobs: add a lighthouse";
    await scriptGpu("hang", instruction, { ms: "1200" });
    const first = await submit(owner.key, instruction);
    const second = await submit(owner.key, instruction);
    await cancel(owner.key, first.job.links.cancel);
    const done = await settled(owner.key, second.job.links.self);
    expect(done.status).toBe("succeeded");
    if (done.status === "succeeded") expect(done.cache).toBe("MISS");
    expect(await gpuCalls(instruction)).toMatchObject({ calls: 1 });
    expect((await jobOf(owner.key, first.job.links.self)).status).toBe("canceled");
    expect(
      await eventually(
        () => credits(owner.accountId),
        (c) => c.held === 0,
      ),
    ).toMatchObject({
      balance: 100 - EDIT,
      held: 0,
    });
  });

  it("cancels a job past its Cancel-After (by the alarm), nothing billed", async () => {
    const owner = await liveAccount("deadline", 100);
    const instruction = "jobs: add snow";
    await scriptGpu("hang", instruction, { ms: "4000" });
    const { res, job } = await submit(owner.key, instruction, {
      prefer: "respond-async",
      "cancel-after": "1",
    });
    expect(res.status).toBe(202);
    expect(job.deadline).not.toBeNull();
    const ended = await settled(owner.key, job.links.self, 4_000);
    expect(ended).toMatchObject({ status: "canceled", canceledBy: "deadline" });
    expect(await credits(owner.accountId)).toMatchObject({ balance: 100, held: 0 });
    // An alarm again (at-least-once) changes nothing.
    const coordinator = env.EDIT_COORDINATOR.get(
      env.EDIT_COORDINATOR.idFromName(cacheKeyOfJobId(job.id) as string),
    );
    await runDurableObjectAlarm(coordinator);
    expect(await jobOf(owner.key, job.links.self)).toEqual(ended);
    expect(await credits(owner.accountId)).toMatchObject({ balance: 100, held: 0 });
  });
});

describe("failures and tenancy", () => {
  it("ends failed with the problem when the GPU function keeps failing, nothing billed", async () => {
    const owner = await liveAccount("unlucky jobs", 100);
    await scriptGpu("fail", "jobs: add fog", { n: "10" });
    const { job } = await submit(owner.key, "jobs: add fog");
    const ended = await settled(owner.key, job.links.self, 8_000);
    expect(ended.status).toBe("failed");
    expect(ended.error).toMatchObject({ status: 503, code: "upstream_unavailable" });
    expect(await credits(owner.accountId)).toMatchObject({ balance: 100, held: 0 });
  });

  it("does not show or cancel a job to another account", async () => {
    const key = await createKey();
    const other = await createKey();
    const { job } = await submit(key, "jobs: add a kite");
    expect((await getWith(other, job.links.self)).status).toBe(404);
    expect((await cancel(other, job.links.cancel)).status).toBe(404);
    expect((await settled(key, job.links.self)).status).toBe("succeeded");
  });
});

interface SseEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

/** Reads SSE events from a response until `stop` says so (then drops the connection) or it ends. */
async function readEvents(res: Response, stop: (events: SseEvent[]) => boolean = () => false) {
  const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
    let end = text.indexOf("\n\n");
    while (end >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const field = (name: string) =>
        block
          .split("\n")
          .find((l) => l.startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim();
      if (field("event") !== undefined)
        events.push({
          id: field("id") ?? "",
          event: field("event") ?? "",
          data: JSON.parse(field("data") ?? "null"),
        });
      end = text.indexOf("\n\n");
    }
    if (stop(events)) {
      await reader.cancel();
      break;
    }
  }
  return events;
}

const eventsOf = (key: string, url: string, lastEventId?: string) =>
  SELF.fetch(url, {
    headers: {
      authorization: `Bearer ${key}`,
      ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }),
    },
  });

describe("the event stream", () => {
  it("sends every transition and one event per step in order, ends with the final state, resumes after a drop", async () => {
    const key = await createKey();
    const instruction = "jobs: add a rainbow";
    await scriptGpu("hang", instruction, { ms: "1000" });
    const { job } = await submit(key, instruction);
    const first = await eventsOf(key, job.links.events);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const head = await readEvents(first, (events) => events.length >= 3);
    expect(head.map((e) => e.event).slice(0, 3)).toEqual(["edit.queued", "edit.running", "edit.progress"]);
    const resumed = await readEvents(await eventsOf(key, job.links.events, head[2].id));
    const all = [...head.slice(0, 3), ...resumed];
    expect(all.map((e) => Number(e.id))).toEqual(all.map((_, i) => i + 1));
    const steps = all.filter((e) => e.event === "edit.progress").map((e) => e.data.step);
    expect(steps).toEqual(steps.map((_, i) => i + 1));
    expect(steps.length).toBe(all.find((e) => e.event === "edit.progress")?.data.steps);
    const last = all[all.length - 1];
    expect(last.event).toBe("edit.succeeded");
    expect(last.data).toMatchObject({
      id: job.id,
      status: "succeeded",
      links: { result: `${job.links.self}/result` },
    });
    // After the end, resuming from the last id sends nothing and closes.
    expect(await readEvents(await eventsOf(key, job.links.events, last.id))).toEqual([]);
    // The job's own progress is the last step.
    const done = await jobOf(key, job.links.self);
    expect(done.progress).toMatchObject({ stage: "denoise", step: steps.length, steps: steps.length });
  });

  it("is 404 for another account's job", async () => {
    const key = await createKey();
    const { job } = await submit(key, "jobs: add a bridge");
    expect((await eventsOf(await createKey(), job.links.events)).status).toBe(404);
  });
});
