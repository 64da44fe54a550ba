// Every D1 statement the gateway runs, as small functions over the binding (tested alone).
import type { CacheState } from "@zone/shared";

export interface KeyRow {
  id: string;
  account_id: string;
  name: string;
  hint: string;
  environment: "live" | "test";
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export async function findActiveKeyByHash(db: D1Database, keyHash: string): Promise<KeyRow | null> {
  return db
    .prepare("SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")
    .bind(keyHash)
    .first<KeyRow>();
}

/** Updates last_used_at at most once a minute per key (cheap on the hot path). */
export async function touchKey(db: D1Database, keyId: string, now: number): Promise<void> {
  await db
    .prepare(
      "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
    )
    .bind(now, keyId, now - 60_000)
    .run();
}

export async function createAccountAndKey(
  db: D1Database,
  row: {
    accountId: string;
    accountName: string;
    keyId: string;
    keyName: string;
    keyHash: string;
    hint: string;
    environment: string;
    now: number;
  },
): Promise<void> {
  await db.batch([
    db
      .prepare("INSERT OR IGNORE INTO accounts (id, name, created_at) VALUES (?, ?, ?)")
      .bind(row.accountId, row.accountName, row.now),
    db
      .prepare(
        "INSERT INTO api_keys (id, account_id, name, key_hash, hint, environment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(row.keyId, row.accountId, row.keyName, row.keyHash, row.hint, row.environment, row.now),
  ]);
}

export async function accountExists(db: D1Database, accountId: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS found FROM accounts WHERE id = ?").bind(accountId).first()) !== null;
}

export async function listKeys(db: D1Database): Promise<KeyRow[]> {
  const { results } = await db
    .prepare(
      "SELECT id, account_id, name, hint, environment, created_at, revoked_at, last_used_at FROM api_keys ORDER BY created_at",
    )
    .all<KeyRow>();
  return results;
}

export async function revokeKey(db: D1Database, keyId: string, now: number): Promise<boolean> {
  const result = await db
    .prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
    .bind(now, keyId)
    .run();
  return result.meta.changes > 0;
}

/**
 * An edit's row: who, which result (by cache key), how it was answered, when. Its meta lives only
 * in R2 (results/<cache key>/meta.json, storage/artifacts.ts). The `meta` column of migration
 * 0001 is no longer written or read (see migration 0002).
 */
export interface EditRow {
  id: string;
  account_id: string;
  key_id: string;
  cache_key: string;
  status: string;
  cache: CacheState;
  created_at: number;
  deleted_at: number | null;
  /** The edit this one continues (POST /v1/edits with `parent`), migration 0005; null for uploads. */
  parent_id: string | null;
}

export interface EditRecord {
  id: string;
  accountId: string;
  keyId: string;
  cacheKey: string;
  cache: CacheState;
  now: number;
  /** The edit whose result was this one's input; absent or null for an upload. */
  parentId?: string | null;
  /** A MISS's charge: its operation, credit units and the hold they settle (billing/). */
  charge?: { operation: string; units: number; holdId: string };
}

/** D1 binds at most 100 parameters per statement; a ledger row takes 8 (an edit row 7). */
export const ROWS_PER_STATEMENT = 12;

/**
 * The two statements of up to ROWS_PER_STATEMENT edits: their rows, then their ledger entries
 * (billed on MISS, free otherwise), each one multi-row INSERT.
 */
function editStatements(db: D1Database, rows: EditRecord[]): D1PreparedStatement[] {
  const values = (n: number, one: string) => Array.from({ length: n }, () => one).join(", ");
  return [
    // A tombstone (a DELETE that came before this row, writeTombstone) may hold the id already:
    // it gets the edit's own key, state and time, and stays deleted.
    db
      .prepare(
        `INSERT INTO edits (id, account_id, key_id, cache_key, status, cache, created_at, parent_id) VALUES ${values(rows.length, "(?, ?, ?, ?, 'succeeded', ?, ?, ?)")} ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, cache = excluded.cache, created_at = excluded.created_at, parent_id = excluded.parent_id`,
      )
      .bind(
        ...rows.flatMap((r) => [r.id, r.accountId, r.keyId, r.cacheKey, r.cache, r.now, r.parentId ?? null]),
      ),
    db
      .prepare(
        `INSERT OR IGNORE INTO ledger (edit_id, account_id, key_id, kind, units, operation, hold_id, created_at) VALUES ${values(rows.length, "(?, ?, ?, ?, ?, ?, ?, ?)")}`,
      )
      .bind(
        ...rows.flatMap((r) => {
          const billed = r.cache === "MISS";
          const charge = billed ? (r.charge ?? null) : null;
          if (billed && charge === null) throw new Error(`the billed edit ${r.id} has no charge`);
          return [
            r.id,
            r.accountId,
            r.keyId,
            billed ? "billed" : "cache_hit",
            charge?.units ?? 0,
            charge?.operation ?? null,
            charge?.holdId ?? null,
            r.now,
          ];
        }),
      ),
  ];
}

/** Records edits and their ledger rows in one batch (one transaction). */
export async function recordEdits(db: D1Database, rows: EditRecord[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    statements.push(...editStatements(db, rows.slice(i, i + ROWS_PER_STATEMENT)));
  if (statements.length > 0) await db.batch(statements);
}

/** The edit's row, deleted or not (a deleted edit stays deleted even while its id verifies). */
export async function findEdit(db: D1Database, accountId: string, editId: string): Promise<EditRow | null> {
  return db
    .prepare(
      "SELECT id, account_id, key_id, cache_key, status, cache, created_at, deleted_at, parent_id FROM edits WHERE id = ? AND account_id = ?",
    )
    .bind(editId, accountId)
    .first<EditRow>();
}

/** Marks a live edit deleted; false when it was not live (deleted meanwhile). */
export async function markEditDeleted(
  db: D1Database,
  accountId: string,
  editId: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .prepare("UPDATE edits SET deleted_at = ? WHERE id = ? AND account_id = ? AND deleted_at IS NULL")
    .bind(now, editId, accountId)
    .run();
  return result.meta.changes > 0;
}

/**
 * Deletes an edit whose row may not be written yet (a free hit still queued, edits/hit-recorder.ts):
 * writes its row already deleted, with the deleting key as a stand-in until the queued row lands
 * (recordEdits then sets the edit's own key, state and time, and keeps it deleted). If the row
 * landed meanwhile, marks it deleted. False when the edit was already deleted.
 */
export async function writeTombstone(db: D1Database, row: EditRecord, deletedAt: number): Promise<boolean> {
  const result = await db
    .prepare(
      "INSERT INTO edits (id, account_id, key_id, cache_key, status, cache, created_at, deleted_at) VALUES (?, ?, ?, ?, 'succeeded', ?, ?, ?) ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at WHERE edits.deleted_at IS NULL",
    )
    .bind(row.id, row.accountId, row.keyId, row.cacheKey, row.cache, row.now, deletedAt)
    .run();
  return result.meta.changes > 0;
}

/** How many live edits use a cache key (its artifacts go when none does). */
export async function liveEditsOf(db: D1Database, cacheKey: string): Promise<number> {
  const left = await db
    .prepare("SELECT COUNT(*) AS n FROM edits WHERE cache_key = ? AND deleted_at IS NULL")
    .bind(cacheKey)
    .first<{ n: number }>();
  return left?.n ?? 0;
}

export async function usage(
  db: D1Database,
  accountId: string,
  from: number,
  to: number,
): Promise<{ billed: number; hits: number; total: number; units: number }> {
  const row = await db
    .prepare(
      "SELECT COALESCE(SUM(kind = 'billed'), 0) AS billed, COALESCE(SUM(kind = 'cache_hit'), 0) AS hits, COUNT(*) AS total, COALESCE(SUM(units), 0) AS units FROM ledger WHERE account_id = ? AND created_at >= ? AND created_at < ?",
    )
    .bind(accountId, from, to)
    .first<{ billed: number; hits: number; total: number; units: number }>();
  return row ?? { billed: 0, hits: 0, total: 0, units: 0 };
}

export interface LedgerEntryRow {
  seq: number;
  edit_id: string;
  key_id: string;
  kind: "billed" | "cache_hit";
  operation: string | null;
  units: number;
  created_at: number;
}

/** One page of the account's ledger in [from, to), oldest first, after the entry `afterSeq`. */
export async function ledgerEntries(
  db: D1Database,
  accountId: string,
  range: { from: number; to: number; afterSeq: number; limit: number },
): Promise<LedgerEntryRow[]> {
  const { results } = await db
    .prepare(
      "SELECT seq, edit_id, key_id, kind, operation, units, created_at FROM ledger WHERE account_id = ? AND created_at >= ? AND created_at < ? AND seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(accountId, range.from, range.to, range.afterSeq, range.limit)
    .all<LedgerEntryRow>();
  return results;
}

export interface IdempotencyRow {
  request_hash: string;
  state: "in_flight" | "done";
  status: number | null;
  headers: string | null;
  body: string | null;
  cache_key: string | null;
  created_at: number;
}

/** Claims an Idempotency-Key; returns the existing record when someone already holds it. */
export async function claimIdempotencyKey(
  db: D1Database,
  accountId: string,
  key: string,
  requestHash: string,
  now: number,
): Promise<IdempotencyRow | null> {
  await db
    .prepare("DELETE FROM idempotency WHERE account_id = ? AND idempotency_key = ? AND created_at < ?")
    .bind(accountId, key, now - 86_400_000)
    .run();
  const inserted = await db
    .prepare(
      "INSERT OR IGNORE INTO idempotency (account_id, idempotency_key, request_hash, state, created_at) VALUES (?, ?, ?, 'in_flight', ?)",
    )
    .bind(accountId, key, requestHash, now)
    .run();
  if (inserted.meta.changes > 0) return null;
  return db
    .prepare(
      "SELECT request_hash, state, status, headers, body, cache_key, created_at FROM idempotency WHERE account_id = ? AND idempotency_key = ?",
    )
    .bind(accountId, key)
    .first<IdempotencyRow>();
}

export async function completeIdempotencyKey(
  db: D1Database,
  accountId: string,
  key: string,
  response: { status: number; headers: Record<string, string>; body: string; cacheKey: string | null },
): Promise<void> {
  await db
    .prepare(
      "UPDATE idempotency SET state = 'done', status = ?, headers = ?, body = ?, cache_key = ? WHERE account_id = ? AND idempotency_key = ?",
    )
    .bind(response.status, JSON.stringify(response.headers), response.body, response.cacheKey, accountId, key)
    .run();
}

/** A failed first attempt frees the key so the client can retry. */
export async function releaseIdempotencyKey(db: D1Database, accountId: string, key: string): Promise<void> {
  await db
    .prepare("DELETE FROM idempotency WHERE account_id = ? AND idempotency_key = ? AND state = 'in_flight'")
    .bind(accountId, key)
    .run();
}
