// Idempotency-Key on POST /v1/edits: the same key and payload replay the stored response; the
// same key with another payload is a 422; while the first request runs, a 409. Records live 24 h.
// A first request that fails frees its key, so the client can simply retry.
import { canonicalJson, ZoneError } from "@zone/shared";
import { sha256Hex } from "../cache/cache-key.ts";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "../db/queries.ts";

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The edit's cache key, so a replay with Accept: image/* finds the result (null: older record). */
  cacheKey: string | null;
}

/**
 * The payload a key is bound to: the image's hash (computed once, in edit-request.ts) and the form
 * fields as sent, the instruction cleaned. Its spelling is pinned by a test: records live 24 h,
 * and a change would turn the replays of records made before a deploy into 422s.
 */
export async function requestFingerprint(
  imageSha256: string,
  fields: Record<string, unknown>,
): Promise<string> {
  return sha256Hex(canonicalJson({ image: imageSha256, fields }));
}

/**
 * Runs `handle` at most once per (account, key) and stores what it returns. Returns that with
 * `replayed` false, or the stored response of an earlier run with `replayed` true.
 */
export async function withIdempotency<T extends StoredResponse>(
  db: D1Database,
  accountId: string,
  key: string,
  fingerprint: string,
  handle: () => Promise<T>,
): Promise<(T & { replayed: false }) | (StoredResponse & { replayed: true })> {
  if (key.length < 1 || key.length > 255)
    throw new ZoneError("invalid_argument", "Idempotency-Key must be 1 to 255 characters");
  const existing = await claimIdempotencyKey(db, accountId, key, fingerprint, Date.now());
  if (existing) {
    if (existing.request_hash !== fingerprint) {
      throw new ZoneError("idempotency_mismatch", "this Idempotency-Key was used with a different request");
    }
    if (existing.state === "in_flight") {
      throw new ZoneError("idempotency_in_flight", "a request with this Idempotency-Key is still running", {
        retryAfterSeconds: 2,
      });
    }
    return {
      status: existing.status ?? 200,
      headers: JSON.parse(existing.headers ?? "{}"),
      body: existing.body ?? "",
      cacheKey: existing.cache_key,
      replayed: true,
    };
  }
  try {
    const response = await handle();
    await completeIdempotencyKey(db, accountId, key, response);
    return { ...response, replayed: false };
  } catch (error) {
    await releaseIdempotencyKey(db, accountId, key);
    throw error;
  }
}
