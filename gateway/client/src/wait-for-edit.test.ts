// Async edits through the client against a scripted gateway: createEdit's 202 (the job, its
// Location and Retry-After), waitForEdit polling queued -> running (each step reported) ->
// succeeded, each wait what Retry-After said (else pollIntervalMs); a failed job thrown as a
// ZoneApiError with its own problem, a canceled one with edit_canceled; a timeout and an abort
// (the rejection their reason, no poll after it); cancelEdit's path. Every scripted job is checked
// against the gateway's own schema (editJobSchema), so the mocks are answers the gateway can give.
import { type EditJob, editJobSchema } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { EDIT_EXAMPLE } from "../../src/openapi/edit-example.ts";
import { ZoneApiError } from "./problem-error.ts";
import { createZoneClient } from "./zone-client.ts";

const BASE = "http://gateway.test";
const ID = `ej_${"ab".repeat(48)}`;
const SELF = `${BASE}/v1/edits/${ID}`;
const LINKS = { self: SELF, events: `${SELF}/events`, cancel: `${SELF}/cancel` };
const TIMES = { createdAt: "2026-04-20T09:30:12.418Z", startedAt: null, finishedAt: null, deadline: null };

function job(fields: Partial<EditJob> & { status: EditJob["status"] }): EditJob {
  const base = { id: ID, ...TIMES, progress: null, error: null, canceledBy: null };
  const value =
    fields.status === "succeeded"
      ? {
          ...EDIT_EXAMPLE,
          ...base,
          startedAt: TIMES.createdAt,
          finishedAt: TIMES.createdAt,
          links: { ...EDIT_EXAMPLE.links, ...LINKS },
          ...fields,
        }
      : { ...base, links: LINKS, ...fields };
  return editJobSchema.parse(value);
}

const running = (step: number | null, stage = "denoise") =>
  job({
    status: "running",
    startedAt: TIMES.createdAt,
    progress: { stage, step, steps: step === null ? null : 4 },
  });

type Answer = { body: unknown; status?: number; headers?: Record<string, string> };

/** A client whose fetch answers each request with the next scripted answer, and what it was asked. */
function scripted(answers: Answer[]) {
  const seen: Request[] = [];
  const waits: number[] = [];
  const client = createZoneClient({
    baseUrl: BASE,
    apiKey: "ze_test_abc",
    retry: { attempts: 1 },
    fetch: async (request) => {
      seen.push(request);
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
      return Response.json(answer.body, { status: answer.status ?? 200, headers: answer.headers });
    },
  });
  const sleep = async (ms: number) => void waits.push(ms);
  return { client, seen, waits, sleep };
}

describe("createEdit with async options", () => {
  it("sends Prefer and Cancel-After and answers a 202 as the job, its Location and Retry-After", async () => {
    const queued = job({ status: "queued" });
    const { client, seen } = scripted([
      {
        body: queued,
        status: 202,
        headers: { location: `/v1/edits/${ID}`, "retry-after": "1", "preference-applied": "wait=10" },
      },
    ]);
    const answer = await client.createEdit(
      { image: new Uint8Array([1]), instruction: "make it red" },
      { wait: 10, cancelAfterSeconds: 30 },
    );
    expect(seen[0].headers.get("prefer")).toBe("wait=10");
    expect(seen[0].headers.get("cancel-after")).toBe("30");
    expect(seen[0].headers.get("idempotency-key")).toBeTruthy();
    expect(answer).toEqual({
      kind: "job",
      job: queued,
      location: SELF,
      retryAfterSeconds: 1,
      preferenceApplied: "wait=10",
      replayed: false,
      requestId: null,
    });
  });

  it("answers a 201 within the wait as the edit, and sends no Prefer without async options", async () => {
    const done = job({ status: "succeeded" });
    const { client, seen } = scripted([{ body: done, status: 201, headers: { "x-cache": "MISS" } }]);
    const answer = await client.createEdit(
      { image: new Uint8Array([1]), instruction: "x" },
      { respondAsync: true },
    );
    expect(answer).toMatchObject({ kind: "edit", edit: { id: ID, status: "succeeded" }, cache: "MISS" });
    expect(seen[0].headers.get("prefer")).toBe("respond-async");
    await client.createEdit({ image: new Uint8Array([1]), instruction: "x" });
    expect(seen[1].headers.get("prefer")).toBeNull();
    expect(seen[1].headers.get("cancel-after")).toBeNull();
  });
});

describe("waitForEdit", () => {
  it("polls queued -> running -> succeeded, reporting each state and step, waiting what Retry-After says", async () => {
    const { client, seen, waits, sleep } = scripted([
      { body: job({ status: "queued" }), headers: { "retry-after": "2" } },
      { body: running(null, "segment"), headers: { "retry-after": "1" } },
      { body: running(1), headers: { "retry-after": "1" } },
      { body: running(1), headers: { "retry-after": "1" } },
      { body: running(3) }, // no Retry-After: pollIntervalMs
      { body: job({ status: "succeeded" }) },
    ]);
    const updates: string[] = [];
    const edit = await client.waitForEdit(ID, {
      sleep,
      pollIntervalMs: 250,
      onProgress: ({ status, stage, step, steps }) => updates.push(`${status} ${stage} ${step}/${steps}`),
    });
    expect(edit).toMatchObject({ id: ID, status: "succeeded", links: { result: EDIT_EXAMPLE.links.result } });
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(Array(6).fill(`GET ${SELF}`));
    expect(seen[0].headers.get("authorization")).toBe("Bearer ze_test_abc");
    expect(waits).toEqual([2000, 1000, 1000, 1000, 250]);
    expect(updates).toEqual([
      "queued null null/null",
      "running segment null/null",
      "running denoise 1/4",
      "running denoise 3/4",
      "succeeded null null/null",
    ]);
  });

  it("follows the job of a 202 answer: its first wait before the first poll, and an ended job costs no request", async () => {
    const { client, seen, waits, sleep } = scripted([{ body: job({ status: "succeeded" }) }]);
    const edit = await client.waitForEdit(job({ status: "queued" }), { sleep, pollIntervalMs: 700 });
    expect(edit.id).toBe(ID);
    expect(waits).toEqual([700]);
    expect(seen).toHaveLength(1);
    await client.waitForEdit(job({ status: "succeeded" }), { sleep });
    expect(seen).toHaveLength(1);
  });

  it("throws a failed job as ZoneApiError with the job's own problem and the job", async () => {
    const problem = {
      type: "https://zone-edit.dev/problems/upstream-unavailable",
      title: "GPU function unavailable",
      status: 503,
      detail: "the GPU function did not answer",
      code: "upstream_unavailable",
    };
    const failed = job({ status: "failed", finishedAt: TIMES.createdAt, error: problem });
    const { client, sleep } = scripted([{ body: running(2) }, { body: failed }]);
    const error = await client.waitForEdit(ID, { sleep }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZoneApiError);
    expect(error).toMatchObject({
      status: 503,
      code: "upstream_unavailable",
      problem,
      job: failed,
      message: "GPU function unavailable: the GPU function did not answer",
    });
  });

  it("throws a canceled job as ZoneApiError edit_canceled (409), saying who canceled it", async () => {
    for (const canceledBy of ["requested", "deadline"] as const) {
      const canceled = job({ status: "canceled", finishedAt: TIMES.createdAt, canceledBy });
      const { client, sleep } = scripted([{ body: canceled }]);
      const error = (await client.waitForEdit(ID, { sleep }).catch((e: unknown) => e)) as ZoneApiError;
      expect(error).toBeInstanceOf(ZoneApiError);
      expect(error).toMatchObject({ status: 409, code: "edit_canceled", job: canceled });
      expect(error.problem).toMatchObject({
        type: "https://zone-edit.dev/problems/edit-canceled",
        title: "Edit canceled",
        instance: `/v1/edits/${ID}`,
      });
      expect(error.message).toContain(canceledBy === "deadline" ? "Cancel-After" : "/cancel");
    }
  });

  it("gives up after timeoutMs with a TimeoutError; the job is not polled after it", async () => {
    const { client, seen } = scripted([{ body: running(1), headers: { "retry-after": "0" } }]);
    const started = Date.now();
    const error = await client
      .waitForEdit(ID, { timeoutMs: 60, pollIntervalMs: 20 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("TimeoutError");
    expect(Date.now() - started).toBeLessThan(5_000);
    const polls = seen.length;
    expect(polls).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(seen).toHaveLength(polls);
  });

  it("stops when its signal aborts, with the signal's reason, also in the middle of a long Retry-After", async () => {
    const { client, seen } = scripted([{ body: running(1), headers: { "retry-after": "3600" } }]);
    const controller = new AbortController();
    const waiting = client.waitForEdit(ID, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort(new Error("the user left"));
    await expect(waiting).rejects.toThrow("the user left");
    expect(seen).toHaveLength(1);
    const already = await client.waitForEdit(ID, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((already as DOMException).name).toBe("AbortError");
    expect(seen).toHaveLength(1);
  });

  it("throws a refused poll (404) as ZoneApiError", async () => {
    const { client } = scripted([
      {
        status: 404,
        body: { type: "t", title: "Not found", status: 404, detail: `no edit ${ID}`, code: "not_found" },
      },
    ]);
    await expect(client.waitForEdit(ID)).rejects.toMatchObject({ status: 404, code: "not_found", job: null });
  });
});

describe("cancelEdit", () => {
  it("posts to the job's cancel path and answers the job", async () => {
    const canceled = job({ status: "canceled", finishedAt: TIMES.createdAt, canceledBy: "requested" });
    const { client, seen } = scripted([{ body: canceled }]);
    expect(await client.cancelEdit(ID)).toEqual(canceled);
    expect(`${seen[0].method} ${seen[0].url}`).toBe(`POST ${SELF}/cancel`);
  });
});
