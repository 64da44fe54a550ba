// Exact billing and tenancy in workerd: credits held before the GPU call and settled after the
// billed row (402 with the balance when they do not cover the price: nothing called, stored or
// billed), refunds for failures and coalesced answers, 50 concurrent requests against a balance
// of 10 edits, holds a dead Worker left behind resolved by what the ledger says, test keys' daily
// quota, the usage listing and CSV, the cache scoped per account, and a GPU call past the timeout.
import {
  createExecutionContext,
  env,
  runDurableObjectAlarm,
  SELF,
  waitOnExecutionContext,
} from "cloudflare:test";
import { usageSchema } from "@zone/shared";
import { describe, expect, it } from "vitest";
import {
  API,
  admin,
  createKeyIn,
  credits,
  editForm,
  eventually,
  expectedCacheKey,
  getWith,
  gpuCalls,
  liveAccount,
  PNG_1x1,
  PNG_2x1,
  postEdit,
  scriptGpu,
  storedKeys,
} from "../test/worker-helpers.ts";
import { app } from "./app.ts";
import { DEFAULT_STARTING_CREDITS } from "./billing/account-balance.ts";
import { accountBalance } from "./billing/credit-hold.ts";
import { DEFAULT_PRICES } from "./billing/prices.ts";

const EDIT = DEFAULT_PRICES.edit;
async function billedRows(
  accountId: string,
): Promise<Array<{ units: number; operation: string; hold_id: string }>> {
  const { results } = await env.DB.prepare(
    "SELECT units, operation, hold_id FROM ledger WHERE account_id = ? AND kind = 'billed'",
  )
    .bind(accountId)
    .all<{ units: number; operation: string; hold_id: string }>();
  return results;
}

describe("credits", () => {
  it("gives a new account 1000 credits (STARTING_CREDITS unset), none held", async () => {
    expect(env.STARTING_CREDITS).toBeUndefined();
    expect(DEFAULT_STARTING_CREDITS).toBe(1000);
    const owner = await createKeyIn("newcomer", undefined, "live");
    expect(await credits(owner.accountId)).toMatchObject({
      balance: DEFAULT_STARTING_CREDITS,
      held: 0,
      testEditsToday: 0,
    });
  });

  it("charges a miss its operation's price once, and nothing for a hit", async () => {
    const owner = await liveAccount("payer", 100);
    const instruction = "bill: make the door teal";
    const miss = await postEdit(owner.key, editForm({ instruction }));
    expect([miss.status, miss.headers.get("x-cache")]).toEqual([201, "MISS"]);
    expect((await credits(owner.accountId)).balance).toBe(100 - EDIT);
    const hit = await postEdit(owner.key, editForm({ instruction }));
    expect(hit.headers.get("x-cache")).toBe("HIT");
    const fast = await postEdit(owner.key, editForm({ instruction, mode: "fast" }));
    expect(fast.headers.get("x-cache")).toBe("MISS");
    expect(await credits(owner.accountId)).toMatchObject({
      balance: 100 - EDIT - DEFAULT_PRICES.fast_edit,
      held: 0,
    });
    const rows = await billedRows(owner.accountId);
    expect(rows.map((r) => [r.operation, r.units]).sort()).toEqual([
      ["edit", EDIT],
      ["fast_edit", DEFAULT_PRICES.fast_edit],
    ]);
    expect(rows.every((r) => r.hold_id.startsWith("hold_"))).toBe(true);
    // The answer is the public schema's (its one owner), with the credits in it.
    const usage = usageSchema.parse(await (await getWith(owner.key, `${API}/v1/usage`)).json());
    expect(usage).toMatchObject({
      billedEdits: 2,
      creditsSpent: EDIT + DEFAULT_PRICES.fast_edit,
      balance: 100 - 15,
    });
  });

  it("answers 402 with the balance when it does not cover the price: no GPU call, nothing stored or billed", async () => {
    const owner = await liveAccount("broke", EDIT - 1);
    const instruction = "make the car gold";
    const refused = await postEdit(owner.key, editForm({ instruction }));
    expect(refused.status).toBe(402);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({
      code: "insufficient_credits",
      status: 402,
      balance: EDIT - 1,
      price: EDIT,
    });
    expect((await gpuCalls(instruction)).calls).toBe(0);
    expect(await billedRows(owner.accountId)).toEqual([]);
    const cacheKey = await expectedCacheKey(PNG_1x1, { instruction }, { ...owner, environment: "live" });
    expect(await storedKeys(`results/${cacheKey}/`)).toEqual([]);
    expect(await credits(owner.accountId)).toMatchObject({ balance: EDIT - 1, held: 0 });
  });

  it("refunds the hold of an edit the GPU function failed", async () => {
    const owner = await liveAccount("unlucky", 50);
    const instruction = "bill: make the hull crimson";
    await scriptGpu("fail", instruction, { n: "10" });
    const failed = await postEdit(owner.key, editForm({ instruction }));
    expect(failed.status).toBe(503);
    expect(await credits(owner.accountId)).toMatchObject({ balance: 50, held: 0 });
    expect(await billedRows(owner.accountId)).toEqual([]);
  });

  it("bills a coalesced pair once: the waiter's hold goes back", async () => {
    const owner = await liveAccount("pair", 100);
    const instruction = "make the flag green";
    await scriptGpu("hang", instruction, { ms: "400" });
    const [a, b] = await Promise.all([
      postEdit(owner.key, editForm({ instruction })),
      postEdit(owner.key, editForm({ instruction })),
    ]);
    expect([a.headers.get("x-cache"), b.headers.get("x-cache")].sort()).toEqual(["COALESCED", "MISS"]);
    expect((await gpuCalls(instruction)).calls).toBe(1);
    expect(await credits(owner.accountId)).toMatchObject({ balance: 100 - EDIT, held: 0 });
  });

  it("50 concurrent edits against a balance of 10 edits: exactly 10 GPU calls and billed rows, 40 × 402, balance 0", async () => {
    const owner = await liveAccount("crowd", 10 * EDIT);
    const instruction = "make the crowd wave";
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postEdit(owner.key, editForm({ instruction, seed: String(i) }))),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(40);
    expect((await gpuCalls(instruction)).calls).toBe(10);
    expect(await billedRows(owner.accountId)).toHaveLength(10);
    expect(await credits(owner.accountId)).toMatchObject({ balance: 0, held: 0 });
  });

  it("resolves a hold a dead Worker left, at its deadline: refunded without a ledger row, spent with one", async () => {
    const owner = await liveAccount("crashed", 100);
    const stub = accountBalance(env, owner.accountId);
    const now = Date.now();
    // Two edits took their holds; then the Worker died. The alarm acts at the deadline.
    for (const holdId of ["hold_lost", "hold_billed"])
      expect(
        await stub.reserve({ holdId, units: EDIT, environment: "live", expiresAt: now + 400, now }),
      ).toMatchObject({ ok: true });
    expect(await credits(owner.accountId)).toMatchObject({ balance: 100 - 2 * EDIT, held: 2 * EDIT });
    // The second edit's billed row reached D1 before the Worker died; the first never got that far.
    await env.DB.prepare(
      "INSERT INTO edits (id, account_id, key_id, cache_key, status, cache, created_at) VALUES (?, ?, ?, ?, 'succeeded', 'MISS', ?)",
    )
      .bind("ed_crash", owner.accountId, owner.id, "ee".repeat(32), now)
      .run();
    await env.DB.prepare(
      "INSERT INTO ledger (edit_id, account_id, key_id, kind, units, operation, hold_id, created_at) VALUES (?, ?, ?, 'billed', ?, 'edit', 'hold_billed', ?)",
    )
      .bind("ed_crash", owner.accountId, owner.id, EDIT, now)
      .run();
    const settled = await eventually(
      () => credits(owner.accountId),
      (state) => state.held === 0,
      5_000,
    );
    expect(settled).toMatchObject({ balance: 100 - EDIT, held: 0 });
    // Settling or releasing again changes nothing; an alarm with nothing due does nothing.
    await stub.release("hold_billed");
    await stub.settle("hold_lost");
    await runDurableObjectAlarm(stub);
    expect(await credits(owner.accountId)).toMatchObject({ balance: 100 - EDIT, held: 0 });
  });

  it("never takes a balance below zero through the admin API", async () => {
    const owner = await liveAccount("small", 5);
    const res = await SELF.fetch(`${API}/admin/accounts/${owner.accountId}/credits`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ units: -6 }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "invalid_argument", balance: 5 });
    const unknown = await SELF.fetch(`${API}/admin/accounts/acct_nobody/credits`, { headers: admin });
    expect(unknown.status).toBe(404);
  });
});

describe("test keys", () => {
  it("never pay, and stop at the daily quota with 429 and Retry-After", async () => {
    const tester = await createKeyIn("tester");
    const quota = Number(env.TEST_EDITS_PER_DAY);
    expect(quota).toBeGreaterThan(0);
    const { balance } = await credits(tester.accountId);
    const instruction = "make the test pass";
    for (let i = 0; i < quota; i++)
      expect((await postEdit(tester.key, editForm({ instruction, seed: String(i) }))).status).toBe(201);
    const over = await postEdit(tester.key, editForm({ instruction, seed: "999" }));
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await over.json()).toMatchObject({ code: "quota_exceeded", used: quota, quota });
    // A hit of a test edit made today is still answered, free.
    expect((await postEdit(tester.key, editForm({ instruction, seed: "0" }))).headers.get("x-cache")).toBe(
      "HIT",
    );
    expect(await credits(tester.accountId)).toMatchObject({ balance, testEditsToday: quota, held: 0 });
    expect((await billedRows(tester.accountId)).every((r) => r.units === 0)).toBe(true);
    expect((await gpuCalls(instruction)).calls).toBe(quota);
  });
});

describe("usage listing", () => {
  it("lists each edit with its cost, pages by cursor, and exports the same rows as CSV", async () => {
    const owner = await liveAccount("lister", 100);
    const instruction = "bill: make the sky lilac";
    for (const seed of ["1", "2", "3"]) await postEdit(owner.key, editForm({ instruction, seed }));
    await postEdit(owner.key, editForm({ instruction, seed: "1" }));
    const first = (await (await getWith(owner.key, `${API}/v1/usage/edits?limit=2`)).json()) as {
      edits: Array<{ kind: string; credits: number; operation: string | null; editId: string }>;
      nextCursor: string | null;
    };
    expect(first.edits).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const rest = (await (
      await getWith(owner.key, `${API}/v1/usage/edits?limit=2&cursor=${first.nextCursor}`)
    ).json()) as typeof first;
    const all = [...first.edits, ...rest.edits];
    expect(rest.nextCursor).toBeNull();
    // The hit's row is written just after its answer; the three misses' before theirs.
    expect(all.filter((e) => e.kind === "billed").map((e) => [e.operation, e.credits])).toEqual([
      ["edit", EDIT],
      ["edit", EDIT],
      ["edit", EDIT],
    ]);
    const csv = await getWith(owner.key, `${API}/v1/usage/edits?format=csv`);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("editId,keyId,createdAt,kind,operation,credits");
    expect(lines.length - 1).toBeGreaterThanOrEqual(3);
    expect(lines.slice(1).filter((l) => l.endsWith(`,billed,edit,${EDIT}`))).toHaveLength(3);
    expect((await getWith(owner.key, `${API}/v1/usage/edits?format=xml`)).status).toBe(400);
  });
});

describe("tenancy", () => {
  it("does not answer one account from another's results, but does within an account", async () => {
    const alice = await createKeyIn("alice");
    const bob = await createKeyIn("bob");
    const alicesOtherKey = await createKeyIn("alice 2", alice.accountId);
    const instruction = "make the umbrella striped";
    const a = await postEdit(alice.key, editForm({ instruction }, PNG_2x1));
    const b = await postEdit(bob.key, editForm({ instruction }, PNG_2x1));
    const a2 = await postEdit(alicesOtherKey.key, editForm({ instruction }, PNG_2x1));
    expect([a, b, a2].map((r) => r.headers.get("x-cache"))).toEqual(["MISS", "MISS", "HIT"]);
    expect((await gpuCalls(instruction)).calls).toBe(2);
  });

  it("shares results across accounts only with CACHE_SCOPE=shared", async () => {
    const alice = await createKeyIn("alice");
    const bob = await createKeyIn("bob");
    const instruction = "make the bridge golden";
    const shared = { ...env, CACHE_SCOPE: "shared" };
    const post = async (key: string) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(
        new Request(`${API}/v1/edits`, {
          method: "POST",
          body: editForm({ instruction }, PNG_1x1),
          headers: { authorization: `Bearer ${key}` },
        }),
        shared,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res;
    };
    expect((await post(alice.key)).headers.get("x-cache")).toBe("MISS");
    expect((await post(bob.key)).headers.get("x-cache")).toBe("HIT");
    expect((await gpuCalls(instruction)).calls).toBe(1);
  });
});

describe("a GPU function past the timeout", () => {
  it("is a 504 with nothing billed, the hold refunded and the cache key freed", async () => {
    const owner = await liveAccount("patient", 100);
    const instruction = "bill: make the clock stop";
    // GPU_TIMEOUT_MS is 5000 in the Worker tests' bindings (vitest.config.ts); the call hangs past it.
    expect(Number(env.GPU_TIMEOUT_MS)).toBe(5000);
    await scriptGpu("hang", instruction, { ms: "6500" });
    const started = Date.now();
    const late = await postEdit(owner.key, editForm({ instruction }));
    expect(late.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(6500);
    expect(await late.json()).toMatchObject({ code: "upstream_timeout" });
    expect(await credits(owner.accountId)).toMatchObject({ balance: 100, held: 0 });
    expect(await billedRows(owner.accountId)).toEqual([]);
    // The key is free at once: the next request computes it again (no 409, no stuck coalescing).
    const next = await postEdit(owner.key, editForm({ instruction }));
    expect([next.status, next.headers.get("x-cache")]).toEqual([201, "MISS"]);
    expect(await credits(owner.accountId)).toMatchObject({ balance: 100 - EDIT, held: 0 });
  }, 20_000);
});
