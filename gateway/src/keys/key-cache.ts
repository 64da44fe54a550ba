// A short-lived, per-isolate memory of authenticated keys, so a busy client's requests do not each
// read D1. Entries live KEY_CACHE_TTL_MS (a revoked key keeps working in an isolate that has just
// seen it for at most that long); revocations through this isolate drop the entry at once.
// Also throttles last_used_at writes to one a minute per key.
import type { Caller } from "../env.ts";

export const KEY_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;
const TOUCH_INTERVAL_MS = 60_000;

const callers = new Map<string, { caller: Caller; expires: number }>();
const touched = new Map<string, number>();

export function cachedCaller(keyHash: string, now: number): Caller | null {
  const hit = callers.get(keyHash);
  if (!hit) return null;
  if (hit.expires <= now) {
    callers.delete(keyHash);
    return null;
  }
  return hit.caller;
}

export function rememberCaller(keyHash: string, caller: Caller, now: number): void {
  if (callers.size >= MAX_ENTRIES) callers.clear();
  callers.set(keyHash, { caller, expires: now + KEY_CACHE_TTL_MS });
}

export function forgetKey(keyId: string): void {
  for (const [hash, entry] of callers) if (entry.caller.keyId === keyId) callers.delete(hash);
}

/** True when last_used_at should be written now (at most once a minute per key and isolate). */
export function shouldTouch(keyId: string, now: number): boolean {
  const last = touched.get(keyId);
  if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return false;
  if (touched.size >= MAX_ENTRIES) touched.clear();
  touched.set(keyId, now);
  return true;
}
