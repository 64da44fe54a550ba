// DELETE /v1/edits/{id}: artifacts shared by several edits with the same cache key stay while any
// of them lives (a free hit whose row is not written yet included), and go with the last one,
// ARTIFACT_GRACE_MS after its deletion; an edit deleted before its row lands stays deleted and
// still counts as answered; the upload is kept only as its result's original.png (for a chain's render),
// and goes with the rest.
import { env, SELF } from "cloudflare:test";
import { EDIT_ARTIFACTS } from "@zone/shared";
import { describe, expect, it } from "vitest";
import {
  createKeyIn,
  editForm,
  editRow,
  eventually,
  expectedCacheKey,
  getWith,
  gpuCalls,
  hitsWritten,
  PNG_1x1,
  postEdit,
  settledUsage,
  storedKeys,
} from "../test/worker-helpers.ts";
import { ROWS_PER_STATEMENT, recordEdits, writeTombstone } from "./db/queries.ts";
import { mintEditId } from "./edits/edit-id.ts";
import { ARTIFACT_GRACE_MS } from "./edits/edit-lookup.ts";
import { HIT_FLUSH_MS, holdHitFlushes } from "./edits/hit-recorder.ts";

interface Resource {
  id: string;
  links: { self: string; result: string; layer: string; mask: string };
}

const remove = (key: string, url: string) =>
  SELF.fetch(url, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });

const linkStatuses = (key: string, r: Resource) =>
  Promise.all(
    [r.links.self, r.links.result, r.links.layer, r.links.mask].map(
      async (url) => (await getWith(key, url)).status,
    ),
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The result's objects once the removal a DELETE handed to waitUntil has run. */
const removedResult = (cacheKey: string) =>
  eventually(
    () => storedKeys(`results/${cacheKey}/`),
    (keys) => keys.length === 0,
    ARTIFACT_GRACE_MS + 2_000,
  );

describe("DELETE /v1/edits/{id}", () => {
  it("keeps an account's shared artifacts for its other edit, and removes them with the last one", async () => {
    // Two keys of one account: results are cached per account.
    const aliceKey = await createKeyIn("alice");
    const alice = aliceKey.key;
    const bob = (await createKeyIn("bob", aliceKey.accountId)).key;
    const instruction = "remove the lamp post";
    const cacheKey = await expectedCacheKey(PNG_1x1, { instruction }, aliceKey);
    const first = await postEdit(alice, editForm({ instruction }));
    const second = await postEdit(bob, editForm({ instruction }));
    expect([first.headers.get("x-cache"), second.headers.get("x-cache")]).toEqual(["MISS", "HIT"]);
    const a = (await first.json()) as Resource;
    const b = (await second.json()) as Resource;
    expect(await storedKeys("uploads/")).toEqual([]);

    expect((await remove(alice, a.links.self)).status).toBe(204);
    expect(await linkStatuses(alice, a)).toEqual([404, 404, 404, 404]);
    expect(await linkStatuses(bob, b)).toEqual([200, 200, 200, 200]);
    await sleep(ARTIFACT_GRACE_MS + 200);
    expect(await storedKeys(`results/${cacheKey}/`)).toHaveLength(EDIT_ARTIFACTS.length + 2); // the artifacts, original, meta

    expect((await remove(bob, b.links.self)).status).toBe(204);
    expect(await linkStatuses(bob, b)).toEqual([404, 404, 404, 404]);
    expect(await removedResult(cacheKey)).toEqual([]);
    expect(await storedKeys("uploads/")).toEqual([]);
    expect((await remove(bob, b.links.self)).status).toBe(404);

    // Nothing of it is left to hit: the same request is computed again.
    const again = await postEdit(bob, editForm({ instruction }));
    expect(again.headers.get("x-cache")).toBe("MISS");
    expect((await gpuCalls(instruction)).calls).toBe(2);
  });

  it("keeps shared artifacts while the other edit is a hit whose row is not written yet", async () => {
    const aliceKey = await createKeyIn("alice");
    const alice = aliceKey.key;
    const bob = (await createKeyIn("bob", aliceKey.accountId)).key;
    const instruction = "remove the bench";
    const cacheKey = await expectedCacheKey(PNG_1x1, { instruction }, aliceKey);
    const a = (await (await postEdit(alice, editForm({ instruction }))).json()) as Resource;
    const release = holdHitFlushes();
    let b: Resource;
    try {
      const second = await postEdit(bob, editForm({ instruction }));
      expect(second.headers.get("x-cache")).toBe("HIT");
      b = (await second.json()) as Resource;
      expect(await editRow(b.id)).toBeNull();
      // Alice's was the only row of the key; Bob's hit is still queued, past the grace.
      expect((await remove(alice, a.links.self)).status).toBe(204);
      await sleep(ARTIFACT_GRACE_MS + 300);
      expect(await storedKeys(`results/${cacheKey}/`)).toHaveLength(EDIT_ARTIFACTS.length + 2); // the artifacts, original, meta
      expect(await linkStatuses(bob, b)).toEqual([200, 200, 200, 200]);
    } finally {
      release();
    }
    await hitsWritten();
    await sleep(100);
    expect(await storedKeys(`results/${cacheKey}/`)).toHaveLength(EDIT_ARTIFACTS.length + 2); // the artifacts, original, meta
    expect(await linkStatuses(bob, b)).toEqual([200, 200, 200, 200]);

    expect((await remove(bob, b.links.self)).status).toBe(204);
    expect(await removedResult(cacheKey)).toEqual([]);
  });

  it("keeps shared artifacts for a hit that another isolate answered and writes within the grace", async () => {
    const aliceKey = await createKeyIn("alice");
    const alice = aliceKey.key;
    const bob = await createKeyIn("bob", aliceKey.accountId);
    const instruction = "remove the fence";
    const cacheKey = await expectedCacheKey(PNG_1x1, { instruction }, aliceKey);
    const a = (await (await postEdit(alice, editForm({ instruction }))).json()) as Resource;
    // Another isolate answered Bob from the stored result; its batch lands 2 flush periods later.
    const createdAt = Date.now();
    const id = await mintEditId(env.KEY_PEPPER, bob.accountId, { cacheKey, createdAt, cache: "HIT" });
    const record = {
      id,
      accountId: bob.accountId,
      keyId: bob.id,
      cacheKey,
      cache: "HIT" as const,
      now: createdAt,
    };
    const landed = sleep(2 * HIT_FLUSH_MS).then(() => recordEdits(env.DB, [record]));
    expect((await remove(alice, a.links.self)).status).toBe(204);
    await landed;
    await sleep(ARTIFACT_GRACE_MS + 300);
    expect(await storedKeys(`results/${cacheKey}/`)).toHaveLength(EDIT_ARTIFACTS.length + 2); // the artifacts, original, meta
    expect((await getWith(bob.key, `${a.links.self.replace(a.id, id)}/result`)).status).toBe(200);
  });

  it("deletes a hit before its row lands: a tombstone that the row keeps deleted, and the hit still counted", async () => {
    const maker = await createKeyIn("maker");
    const other = await createKeyIn("other key, same account", maker.accountId);
    const instruction = "remove the kite";
    const cacheKey = await expectedCacheKey(PNG_1x1, { instruction }, maker);
    const miss = (await (await postEdit(maker.key, editForm({ instruction }))).json()) as Resource;
    const release = holdHitFlushes();
    let hit: Resource;
    try {
      const answer = await postEdit(maker.key, editForm({ instruction }));
      expect(answer.headers.get("x-cache")).toBe("HIT");
      hit = (await answer.json()) as Resource;
      expect(await editRow(hit.id)).toBeNull();
      expect((await remove(other.key, hit.links.self)).status).toBe(204);
      expect(await linkStatuses(maker.key, hit)).toEqual([404, 404, 404, 404]);
      // The tombstone stands in with the deleting key until the hit's own row lands.
      expect(await editRow(hit.id)).toMatchObject({ key_id: other.id, kind: null });
      expect((await editRow(hit.id))?.deleted_at).toBeTypeOf("number");
      expect((await remove(maker.key, hit.links.self)).status).toBe(404);
      expect(await linkStatuses(maker.key, miss)).toEqual([200, 200, 200, 200]);
    } finally {
      release();
    }
    await hitsWritten();
    const row = await editRow(hit.id);
    expect(row).toMatchObject({ cache: "HIT", key_id: maker.id, kind: "cache_hit" });
    expect(row?.deleted_at).toBeTypeOf("number");
    expect(await linkStatuses(maker.key, hit)).toEqual([404, 404, 404, 404]);
    expect((await remove(maker.key, hit.links.self)).status).toBe(404);
    expect(await settledUsage(maker.key)).toMatchObject({ billedEdits: 1, cacheHits: 1, totalRequests: 2 });
    // The billed edit still uses the result.
    await sleep(ARTIFACT_GRACE_MS + 200);
    expect(await storedKeys(`results/${cacheKey}/`)).toHaveLength(EDIT_ARTIFACTS.length + 2); // the artifacts, original, meta
    expect(await linkStatuses(maker.key, miss)).toEqual([200, 200, 200, 200]);
  });
});

describe("edit rows in D1", () => {
  it("recordEdits writes a flush of many hits in multi-row statements, each row and ledger entry once", async () => {
    const owner = await createKeyIn("owner");
    const n = 2 * ROWS_PER_STATEMENT + 3;
    const rows = Array.from({ length: n }, (_, i) => ({
      id: `ed_many_${i}`,
      accountId: owner.accountId,
      keyId: owner.id,
      cacheKey: "cd".repeat(32),
      cache: i === 0 ? ("MISS" as const) : ("HIT" as const),
      now: 1_000 + i,
      ...(i === 0 ? { charge: { operation: "edit", units: 10, holdId: `hold_many_${owner.id}` } } : {}),
    }));
    await recordEdits(env.DB, rows);
    await recordEdits(env.DB, rows.slice(0, 2));
    // A billed edit without its charge is a wiring bug, refused rather than billed at 0.
    await expect(recordEdits(env.DB, [{ ...rows[1], id: "ed_uncharged", cache: "MISS" }])).rejects.toThrow(
      /charge/,
    );
    const written = await env.DB.prepare(
      "SELECT e.id, e.cache, e.created_at, l.kind, l.units FROM edits e JOIN ledger l ON l.edit_id = e.id WHERE e.account_id = ? ORDER BY e.created_at",
    )
      .bind(owner.accountId)
      .all();
    expect(written.results).toEqual(
      rows.map((r, i) => ({
        id: r.id,
        cache: r.cache,
        created_at: r.now,
        kind: i === 0 ? "billed" : "cache_hit",
        units: i === 0 ? 10 : 0,
      })),
    );
  });

  it("writes the row deleted, marks a live row deleted, and reports an already deleted one", async () => {
    const owner = await createKeyIn("owner");
    const cacheKey = "ab".repeat(32);
    const row = (id: string) => ({
      id,
      accountId: owner.accountId,
      keyId: owner.id,
      cacheKey,
      cache: "HIT" as const,
      now: 1,
    });
    expect(await writeTombstone(env.DB, row("ed_t1"), 5)).toBe(true);
    expect(await editRow("ed_t1")).toMatchObject({ deleted_at: 5 });
    expect(await writeTombstone(env.DB, row("ed_t1"), 9)).toBe(false);
    expect(await editRow("ed_t1")).toMatchObject({ deleted_at: 5 });
    // The hit's row landed between the DELETE's lookup and its tombstone.
    await recordEdits(env.DB, [row("ed_t2")]);
    expect(await writeTombstone(env.DB, row("ed_t2"), 7)).toBe(true);
    expect(await editRow("ed_t2")).toMatchObject({ deleted_at: 7, kind: "cache_hit" });
  });
});
