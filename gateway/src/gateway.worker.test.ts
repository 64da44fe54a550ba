import { env, runDurableObjectAlarm, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { cacheKey, sha256Hex } from "./cache/cache-key.ts";

const PNG_1x1 = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

async function createKey(name = "tester"): Promise<string> {
  const res = await SELF.fetch("https://api.test/admin/keys", {
    method: "POST",
    headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ name, environment: "test" }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

function editForm(fields: Record<string, string> = {}, image: Uint8Array = PNG_1x1): FormData {
  const form = new FormData();
  form.append("image", new Blob([image], { type: "image/png" }), "photo.png");
  form.append("instruction", fields.instruction ?? "make the cat black");
  for (const [k, v] of Object.entries(fields)) if (k !== "instruction") form.append(k, v);
  return form;
}

async function postEdit(key: string, form: FormData, headers: Record<string, string> = {}) {
  return SELF.fetch("https://api.test/v1/edits", {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
}

/** Usage of a key once free hits, written in batches after the answers, have landed. */
async function settledUsage(key: string, expected: Record<string, number>): Promise<Record<string, number>> {
  let usage: Record<string, number> = {};
  for (let i = 0; i < 40; i++) {
    usage = (await (
      await SELF.fetch("https://api.test/v1/usage", { headers: { authorization: `Bearer ${key}` } })
    ).json()) as Record<string, number>;
    if (Object.entries(expected).every(([k, v]) => usage[k] === v)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return usage;
}

async function gpuCalls(): Promise<number> {
  return ((await (await fetch("http://gpu.test/__calls")).json()) as { calls: number }).calls;
}

describe("gateway", () => {
  it("serves health, OpenAPI and a problem+json 404", async () => {
    expect((await SELF.fetch("https://api.test/healthz")).status).toBe(200);
    const spec = (await (await SELF.fetch("https://api.test/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toContain("/v1/edits");
    const missing = await SELF.fetch("https://api.test/nowhere");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect(missing.headers.get("x-request-id")).toBeTruthy();
  });

  it.each([
    ["no key", undefined, /send your API key/],
    ["malformed key", "Bearer ze_live_nope", /malformed/],
    ["unknown key", "Bearer ze_live_000000000000000000000000000000000000", /malformed|unknown/],
  ])("401 for %s", async (_name, authorization, detail) => {
    const res = await SELF.fetch("https://api.test/v1/usage", {
      headers: authorization ? { authorization } : {},
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
  });

  it("rejects bad uploads with 413, 415 and 422, before any GPU call and without billing", async () => {
    const key = await createKey();
    const before = await gpuCalls();
    const tooBig = await postEdit(key, editForm({}, new Uint8Array(300_000)), {});
    expect(tooBig.status).toBe(413);
    const text = await postEdit(
      key,
      editForm({}, new TextEncoder().encode("not an image at all, just some text")),
    );
    expect(text.status).toBe(415);
    const empty = await postEdit(key, editForm({ instruction: "   " }));
    expect(empty.status).toBe(400);
    const badSteps = await postEdit(key, editForm({ steps: "999" }));
    expect(badSteps.status).toBe(400);
    expect(((await badSteps.json()) as { detail: string }).detail).toMatch(/steps/);
    expect(await gpuCalls()).toBe(before);
    const usage = (await (
      await SELF.fetch("https://api.test/v1/usage", { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { totalRequests: number };
    expect(usage.totalRequests).toBe(0);
  });

  it("edits, then answers the repeat from cache, and bills once", async () => {
    const key = await createKey();
    const before = await gpuCalls();
    const first = await postEdit(key, editForm({ instruction: "give him glasses", seed: "7" }));
    expect(first.status).toBe(201);
    expect(first.headers.get("x-cache")).toBe("MISS");
    const edit = (await first.json()) as { id: string; cached: boolean; links: { result: string } };
    expect(edit.cached).toBe(false);
    const again = await postEdit(key, editForm({ instruction: "  Give HIM   glasses", seed: "7" }));
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect(await gpuCalls()).toBe(before + 1);
    const result = await SELF.fetch(edit.links.result, { headers: { authorization: `Bearer ${key}` } });
    expect(result.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await result.arrayBuffer())).toEqual(PNG_1x1);
    // The hit is recorded right after its answer, in a batch: usage catches up within a moment.
    const usage = await settledUsage(key, { cacheHits: 1 });
    expect(usage).toMatchObject({ billedEdits: 1, cacheHits: 1, totalRequests: 2 });
  });

  it("coalesces 20 concurrent identical requests into one GPU call and one billed edit", async () => {
    const key = await createKey();
    const before = await gpuCalls();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        postEdit(key, editForm({ instruction: "remove the dog", seed: "11" })),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const states = responses.map((r) => r.headers.get("x-cache"));
    expect(states.filter((s) => s === "MISS")).toHaveLength(1);
    expect(states.every((s) => s === "MISS" || s === "COALESCED" || s === "HIT")).toBe(true);
    expect(await gpuCalls()).toBe(before + 1);
    const usage = await settledUsage(key, { cacheHits: 19 });
    expect(usage).toMatchObject({ billedEdits: 1, cacheHits: 19 });
  });

  it("does not cache failures: a 503 from the GPU function is retried, then the key works again", async () => {
    const key = await createKey();
    await fetch("http://gpu.test/__fail?n=3");
    const failed = await postEdit(key, editForm({ instruction: "make the sky red", seed: "5" }));
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBeTruthy();
    const retried = await postEdit(key, editForm({ instruction: "make the sky red", seed: "5" }));
    expect(retried.status).toBe(201);
    expect(retried.headers.get("x-cache")).toBe("MISS");
    const usage = (await (
      await SELF.fetch("https://api.test/v1/usage", { headers: { authorization: `Bearer ${key}` } })
    ).json()) as Record<string, number>;
    expect(usage.billedEdits).toBe(1);
  });

  it("replays an Idempotency-Key, refuses it for another payload, and never bills twice", async () => {
    const key = await createKey();
    const headers = { "idempotency-key": "order-42" };
    const first = await postEdit(key, editForm({ instruction: "add a hat", seed: "3" }), headers);
    const replay = await postEdit(key, editForm({ instruction: "add a hat", seed: "3" }), headers);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    const other = await postEdit(key, editForm({ instruction: "add a scarf", seed: "3" }), headers);
    expect(other.status).toBe(422);
    const usage = (await (
      await SELF.fetch("https://api.test/v1/usage", { headers: { authorization: `Bearer ${key}` } })
    ).json()) as Record<string, number>;
    expect(usage.totalRequests).toBe(1);
  });

  it("keeps edits private to their account and deletes them", async () => {
    const owner = await createKey("owner");
    const stranger = await createKey("stranger");
    const created = (await (
      await postEdit(owner, editForm({ instruction: "make it snow", seed: "9" }))
    ).json()) as { id: string; links: { self: string } };
    expect(
      (await SELF.fetch(created.links.self, { headers: { authorization: `Bearer ${stranger}` } })).status,
    ).toBe(404);
    expect(
      (await SELF.fetch(created.links.self, { headers: { authorization: `Bearer ${owner}` } })).status,
    ).toBe(200);
    const deleted = await SELF.fetch(created.links.self, {
      method: "DELETE",
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(deleted.status).toBe(204);
    expect(
      (await SELF.fetch(created.links.self, { headers: { authorization: `Bearer ${owner}` } })).status,
    ).toBe(404);
  });

  it("revoked keys stop working", async () => {
    const res = await SELF.fetch("https://api.test/admin/keys", {
      method: "POST",
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "temp" }),
    });
    const { id, key } = (await res.json()) as { id: string; key: string };
    expect(
      (await SELF.fetch("https://api.test/v1/usage", { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(200);
    const revoke = await SELF.fetch(`https://api.test/admin/keys/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    expect(revoke.status).toBe(204);
    expect(
      (await SELF.fetch("https://api.test/v1/usage", { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(401);
    expect(
      (await SELF.fetch("https://api.test/admin/keys", { headers: { authorization: "Bearer wrong" } }))
        .status,
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
    const key = await createKey();
    await fetch("http://gpu.test/__hang?ms=4000");
    const pending = postEdit(key, editForm({ instruction: "make it night", seed: "77" }));
    await new Promise((r) => setTimeout(r, 300));
    const stuckKey = await cacheKey({
      imageSha256: await sha256Hex(PNG_1x1),
      instruction: "make it night",
      params: { seed: 77, steps: 20, mode: "default" },
      bundleVersion: "test-bundle",
    });
    const coordinator = env.EDIT_COORDINATOR.get(env.EDIT_COORDINATOR.idFromName(stuckKey));
    expect(await runDurableObjectAlarm(coordinator)).toBe(true);
    const response = await pending;
    expect(response.status).toBe(504);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/did not finish in time/);
  });
});
