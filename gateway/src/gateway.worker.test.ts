// The gateway in workerd (Cloudflare's Vitest integration) against the declared GPU mock: auth,
// validation, cache, single flight, failures, idempotency, privacy, revocation, the watchdog.
// Answers and links: edits-answer.worker.test.ts; deletion: edits-delete.worker.test.ts; rate
// limit: rate-limit.worker.test.ts.
import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mockPart } from "../test/mock-parts.ts";
import {
  API,
  createKey,
  createKeyIn,
  editForm,
  expectedCacheKey,
  getWith,
  gpuCalls,
  PNG_1x1,
  PNG_2x1,
  postEdit,
  scriptGpu,
  settledUsage,
  usageOf,
} from "../test/worker-helpers.ts";
import { sha256Hex } from "./cache/cache-key.ts";
import { requestFingerprint } from "./edits/idempotency.ts";
import { hashApiKey } from "./keys/api-key.ts";

describe("gateway", () => {
  it("serves health, OpenAPI and a problem+json 404", async () => {
    expect((await SELF.fetch(`${API}/healthz`)).status).toBe(200);
    const spec = (await (await SELF.fetch(`${API}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: { Edit: { required: string[] } } };
    };
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toContain("/v1/edits");
    expect(spec.components.schemas.Edit.required).toContain("pipelineVersion");
    const missing = await SELF.fetch(`${API}/nowhere`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect(missing.headers.get("x-request-id")).toBeTruthy();
  });

  it.each([
    ["no key", undefined, /send your API key/],
    ["malformed key", "Bearer ze_live_nope", /malformed/],
    ["unknown key", "Bearer ze_live_000000000000000000000000000000000000", /malformed|unknown/],
  ])("401 for %s", async (_name, authorization, detail) => {
    const res = await SELF.fetch(`${API}/v1/usage`, { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
  });

  it("rejects bad uploads with 413, 415 and 400, before any GPU call and without billing", async () => {
    const key = await createKey();
    const tooBig = await postEdit(key, editForm({ instruction: "reject me" }, new Uint8Array(300_000)));
    expect(tooBig.status).toBe(413);
    const text = await postEdit(
      key,
      editForm({ instruction: "reject me" }, new TextEncoder().encode("not an image at all, just some text")),
    );
    expect(text.status).toBe(415);
    const empty = await postEdit(key, editForm({ instruction: "   " }));
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { code: string }).code).toBe("empty_instruction");
    const badSteps = await postEdit(key, editForm({ instruction: "reject me", steps: "999" }));
    expect(badSteps.status).toBe(400);
    expect(((await badSteps.json()) as { detail: string }).detail).toMatch(/^steps: /);
    expect((await gpuCalls("reject me")).calls).toBe(0);
    expect((await usageOf(key)).totalRequests).toBe(0);
  });

  it("edits, then answers the repeat from cache, and bills once (billed at once, the hit after its flush)", async () => {
    const key = await createKey();
    const first = await postEdit(key, editForm({ instruction: "give him glasses", seed: "7" }));
    expect(first.status).toBe(201);
    expect(first.headers.get("x-cache")).toBe("MISS");
    const edit = (await first.json()) as { id: string; cached: boolean; links: { result: string } };
    expect(edit.cached).toBe(false);
    const again = await postEdit(key, editForm({ instruction: "  Give HIM   glasses", seed: "7" }));
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect((await gpuCalls("give him glasses")).calls).toBe(1);
    const result = await getWith(key, edit.links.result);
    expect(result.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await result.arrayBuffer())).toEqual(mockPart("result", "give him glasses"));
    expect((await usageOf(key)).billedEdits).toBe(1);
    expect(await settledUsage(key)).toMatchObject({ billedEdits: 1, cacheHits: 1, totalRequests: 2 });
  });

  it("coalesces 20 concurrent identical requests into one GPU call and one billed edit", async () => {
    const key = await createKey();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        postEdit(key, editForm({ instruction: "remove the dog", seed: "11" })),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const states = responses.map((r) => r.headers.get("x-cache"));
    expect(states.filter((s) => s === "MISS")).toHaveLength(1);
    expect(states.every((s) => s === "MISS" || s === "COALESCED" || s === "HIT")).toBe(true);
    expect((await gpuCalls("remove the dog")).calls).toBe(1);
    expect(await settledUsage(key)).toMatchObject({ billedEdits: 1, cacheHits: 19, totalRequests: 20 });
  });

  it("does not cache failures: a 503 from the GPU function is retried, then the key works again", async () => {
    const key = await createKey();
    await scriptGpu("fail", "make the sky red", { n: "3" });
    const failed = await postEdit(key, editForm({ instruction: "make the sky red", seed: "5" }));
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBeTruthy();
    const retried = await postEdit(key, editForm({ instruction: "make the sky red", seed: "5" }));
    expect(retried.status).toBe(201);
    expect(retried.headers.get("x-cache")).toBe("MISS");
    expect((await usageOf(key)).billedEdits).toBe(1);
  });

  it("replays an Idempotency-Key, refuses it for another instruction or photo, and never bills twice", async () => {
    const key = await createKey();
    const headers = { "idempotency-key": "order-42" };
    const first = await postEdit(key, editForm({ instruction: "add a hat", seed: "3" }), headers);
    const replay = await postEdit(key, editForm({ instruction: "add a hat", seed: "3" }), headers);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("x-request-id")).toBeTruthy();
    const firstBody = await first.text();
    expect(await replay.text()).toBe(firstBody);
    const otherText = await postEdit(key, editForm({ instruction: "add a scarf", seed: "3" }), headers);
    expect(otherText.status).toBe(422);
    const otherPhoto = await postEdit(
      key,
      editForm({ instruction: "add a hat", seed: "3" }, PNG_2x1),
      headers,
    );
    expect(otherPhoto.status).toBe(422);
    expect(((await otherPhoto.json()) as { code: string }).code).toBe("idempotency_mismatch");
    const image = await postEdit(key, editForm({ instruction: "add a hat", seed: "3" }), {
      ...headers,
      accept: "image/png",
    });
    expect(image.status).toBe(201);
    expect(image.headers.get("idempotent-replayed")).toBe("true");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(mockPart("result", "add a hat"));
    expect((await usageOf(key)).totalRequests).toBe(1);
  });

  it("replays a record from before migration 0002 (no cache key) as its stored JSON, even to Accept: image/*", async () => {
    const key = await createKey();
    const accountId = (
      await env.DB.prepare("SELECT account_id FROM api_keys WHERE key_hash = ?")
        .bind(await hashApiKey(key, env.KEY_PEPPER))
        .first<{ account_id: string }>()
    )?.account_id;
    expect(accountId).toBeTruthy();
    const fingerprint = await requestFingerprint(await sha256Hex(PNG_1x1), {
      instruction: "add a bow",
      seed: 8,
    });
    await env.DB.prepare(
      "INSERT INTO idempotency (account_id, idempotency_key, request_hash, state, status, headers, body, created_at) VALUES (?, 'old-1', ?, 'done', 201, '{\"x-cache\":\"MISS\"}', '{\"id\":\"ed_old\"}', ?)",
    )
      .bind(accountId, fingerprint, Date.now())
      .run();
    const replay = await postEdit(key, editForm({ instruction: "add a bow", seed: "8" }), {
      "idempotency-key": "old-1",
      accept: "image/*",
    });
    expect([replay.status, replay.headers.get("content-type"), await replay.text()]).toEqual([
      201,
      "application/json",
      '{"id":"ed_old"}',
    ]);
    expect((await gpuCalls("add a bow")).calls).toBe(0);
  });

  it("keeps edits private to their account and deletes them", async () => {
    const owner = await createKey("owner");
    const stranger = await createKey("stranger");
    const created = (await (
      await postEdit(owner, editForm({ instruction: "make it snow", seed: "9" }))
    ).json()) as {
      id: string;
      links: { self: string; result: string };
    };
    expect((await getWith(stranger, created.links.self)).status).toBe(404);
    expect((await getWith(stranger, created.links.result)).status).toBe(404);
    expect((await getWith(owner, created.links.self)).status).toBe(200);
    const deleted = await SELF.fetch(created.links.self, {
      method: "DELETE",
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(deleted.status).toBe(204);
    expect((await getWith(owner, created.links.self)).status).toBe(404);
  });

  it("revoked keys stop working", async () => {
    const res = await SELF.fetch(`${API}/admin/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "temp" }),
    });
    const { id, key } = (await res.json()) as { id: string; key: string };
    expect((await getWith(key, `${API}/v1/usage`)).status).toBe(200);
    const revoke = await SELF.fetch(`${API}/admin/keys/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    expect(revoke.status).toBe(204);
    expect((await getWith(key, `${API}/v1/usage`)).status).toBe(401);
    expect(
      (await SELF.fetch(`${API}/admin/keys`, { headers: { authorization: "Bearer wrong" } })).status,
    ).toBe(401);
  });

  it("answers 409 while the first request with an Idempotency-Key is still running", async () => {
    const key = await createKey();
    const headers = { "idempotency-key": "slow-1" };
    const [a, b] = await Promise.all([
      postEdit(key, editForm({ instruction: "add a moon", seed: "21" }), headers),
      new Promise((r) => setTimeout(r, 50)).then(() =>
        postEdit(key, editForm({ instruction: "add a moon", seed: "21" }), headers),
      ),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const conflict = a.status === 409 ? a : b;
    expect(conflict.headers.get("retry-after")).toBe("2");
  });

  it("the watchdog alarm fails a stuck job and frees its cache key", async () => {
    const owner = await createKeyIn("owner");
    await scriptGpu("hang", "make it night", { ms: "4000" });
    const pending = postEdit(owner.key, editForm({ instruction: "make it night", seed: "77" }));
    await new Promise((r) => setTimeout(r, 300));
    // The key the gateway computes: the shared schema's defaults, PIPELINE_VERSION and the scope in it.
    const stuckKey = await expectedCacheKey(PNG_1x1, { instruction: "make it night", seed: 77 }, owner);
    const coordinator = env.EDIT_COORDINATOR.get(env.EDIT_COORDINATOR.idFromName(stuckKey));
    // Alarms are at-least-once: one before the deadline (here, forced) changes nothing.
    expect(await runDurableObjectAlarm(coordinator)).toBe(true);
    // The flight's deadline, brought forward (it is editDeadlineMs away), then the alarm again.
    await runInDurableObject(coordinator, (instance) => {
      const flight = (instance as unknown as { flight: { deadlineAt: number } | null }).flight;
      expect(flight).not.toBeNull();
      if (flight) flight.deadlineAt = Date.now();
    });
    expect(await runDurableObjectAlarm(coordinator)).toBe(true);
    const response = await pending;
    expect(response.status).toBe(504);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/did not finish in time/);
  });
});
