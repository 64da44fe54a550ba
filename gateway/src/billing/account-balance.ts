// An account's prepaid credits and daily test quota, exact: one Durable Object per account
// (idFromName(accountId)), whose SQLite storage is read and written synchronously inside each
// call, so concurrent requests cannot both spend the same last credit. The Workers rate limit is
// a speed limit; this is the account's money.
//
// An edit that reaches the GPU first takes a hold (its price leaves the balance at once), then
// the gateway settles it after the billed ledger row is in D1, or releases it (refund) when the
// edit failed, was canceled or was answered from another request's work (coalesced). A hold that
// is neither (the Worker died in between) is resolved by the alarm after the edit's deadline:
// settled if D1 has a ledger row naming the hold, refunded if not. So the balance and the ledger
// agree after any crash, and nobody pays for an edit they did not get.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { testEditsPerDay } from "./prices.ts";

/** Credits a new account starts with, unless STARTING_CREDITS says. */
export const DEFAULT_STARTING_CREDITS = 1000;

export function startingCredits(env: { STARTING_CREDITS?: string }): number {
  if (env.STARTING_CREDITS === undefined) return DEFAULT_STARTING_CREDITS;
  const n = Number(env.STARTING_CREDITS);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`STARTING_CREDITS must be a non-negative integer, not "${env.STARTING_CREDITS}"`);
  return n;
}

export interface HoldRequest {
  holdId: string;
  units: number;
  environment: "live" | "test";
  /** When the alarm resolves the hold if nobody settled or released it. */
  expiresAt: number;
  now: number;
}

export type HoldOutcome =
  | { ok: true; balance: number }
  | { ok: false; reason: "insufficient_credits"; balance: number; price: number }
  | { ok: false; reason: "quota_exceeded"; used: number; quota: number; resetsAt: number };

export interface BalanceState {
  balance: number;
  /** Credits held by edits in progress (already out of `balance`). */
  held: number;
  testEditsToday: number;
  testEditsPerDay: number;
}

/** The UTC day of a time, the test quota's period. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function nextUtcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

export class AccountBalance extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS balance (id INTEGER PRIMARY KEY CHECK (id = 1), units INTEGER NOT NULL CHECK (units >= 0));
      CREATE TABLE IF NOT EXISTS holds (id TEXT PRIMARY KEY, units INTEGER NOT NULL, environment TEXT NOT NULL, day TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS test_edits (day TEXT PRIMARY KEY, count INTEGER NOT NULL);
    `);
  }

  private balanceNow(): number {
    const row = this.sql.exec<{ units: number }>("SELECT units FROM balance WHERE id = 1").toArray()[0];
    if (row !== undefined) return row.units;
    const units = startingCredits(this.env);
    this.sql.exec("INSERT INTO balance (id, units) VALUES (1, ?)", units);
    return units;
  }

  private testEdits(day: string): number {
    const done = this.sql
      .exec<{ count: number }>("SELECT count FROM test_edits WHERE day = ?", day)
      .toArray()[0];
    const held = this.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM holds WHERE environment = 'test' AND day = ?", day)
      .one();
    return (done?.count ?? 0) + held.n;
  }

  async reserve(request: HoldRequest): Promise<HoldOutcome> {
    const balance = this.balanceNow();
    const day = utcDay(request.now);
    if (request.environment === "test") {
      const quota = testEditsPerDay(this.env);
      const used = this.testEdits(day);
      if (used >= quota)
        return { ok: false, reason: "quota_exceeded", used, quota, resetsAt: nextUtcMidnight(request.now) };
    } else if (balance < request.units) {
      return { ok: false, reason: "insufficient_credits", balance, price: request.units };
    }
    const units = request.environment === "test" ? 0 : request.units;
    this.sql.exec("UPDATE balance SET units = units - ? WHERE id = 1", units);
    this.sql.exec(
      "INSERT INTO holds (id, units, environment, day, expires_at) VALUES (?, ?, ?, ?, ?)",
      request.holdId,
      units,
      request.environment,
      day,
      request.expiresAt,
    );
    await this.scheduleAlarm();
    return { ok: true, balance: balance - units };
  }

  /** The edit was billed (its ledger row is in D1): the held credits are spent. */
  async settle(holdId: string): Promise<void> {
    const hold = this.takeHold(holdId);
    if (hold?.environment === "test")
      this.sql.exec(
        "INSERT INTO test_edits (day, count) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET count = count + 1",
        hold.day,
      );
  }

  /** The edit was not billed: the held credits go back. */
  async release(holdId: string): Promise<void> {
    const hold = this.takeHold(holdId);
    if (hold !== null) this.sql.exec("UPDATE balance SET units = units + ? WHERE id = 1", hold.units);
  }

  private takeHold(holdId: string): { units: number; environment: string; day: string } | null {
    const hold = this.sql
      .exec<{ units: number; environment: string; day: string }>(
        "DELETE FROM holds WHERE id = ? RETURNING units, environment, day",
        holdId,
      )
      .toArray()[0];
    return hold ?? null;
  }

  /** Adds (or, negative, removes) credits; refuses to take the balance below zero. */
  async addCredits(units: number): Promise<{ ok: boolean; balance: number }> {
    const balance = this.balanceNow();
    if (balance + units < 0) return { ok: false, balance };
    this.sql.exec("UPDATE balance SET units = units + ? WHERE id = 1", units);
    return { ok: true, balance: balance + units };
  }

  async state(now: number): Promise<BalanceState> {
    const held = this.sql.exec<{ n: number }>("SELECT COALESCE(SUM(units), 0) AS n FROM holds").one();
    return {
      balance: this.balanceNow(),
      held: held.n,
      testEditsToday: this.testEdits(utcDay(now)),
      testEditsPerDay: testEditsPerDay(this.env),
    };
  }

  private async scheduleAlarm(): Promise<void> {
    const next = this.sql.exec<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM holds").one().t;
    if (next === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > next) await this.ctx.storage.setAlarm(next);
  }

  /** Resolves holds past their deadline by what D1's ledger says happened. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const expired = this.sql
      .exec<{ id: string }>("SELECT id FROM holds WHERE expires_at <= ?", now)
      .toArray()
      .map((row) => row.id);
    for (const holdId of expired) {
      const billed = await this.env.DB.prepare("SELECT 1 AS found FROM ledger WHERE hold_id = ?")
        .bind(holdId)
        .first();
      if (billed === null) await this.release(holdId);
      else await this.settle(holdId);
    }
    await this.scheduleAlarm();
  }
}
