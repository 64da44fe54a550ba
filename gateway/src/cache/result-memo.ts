// Per-isolate memory of which cache keys have a stored result (and its meta), so a repeated
// request skips the R2 read. Results never change for a key; a deletion through this isolate
// drops the entry at once, one through another isolate is seen within RESULT_MEMO_TTL_MS.
import type { GpuEditMeta, GpuResultMeta } from "@zone/shared";

export const RESULT_MEMO_TTL_MS = 60_000;
const MAX_ENTRIES = 5_000;
const memo = new Map<string, { meta: GpuResultMeta; expires: number }>();

/** The meta memoized for a key, as `M` (a cache key's derivation fixes its kind: edit or compose). */
export function memoizedMeta<M extends GpuResultMeta>(cacheKey: string, now: number): M | null {
  const hit = memo.get(cacheKey);
  if (!hit || hit.expires <= now) {
    memo.delete(cacheKey);
    return null;
  }
  return hit.meta as M;
}

/** An edit's meta. */
export function memoizedResult(cacheKey: string, now: number): GpuEditMeta | null {
  return memoizedMeta<GpuEditMeta>(cacheKey, now);
}

export function memoizeResult(cacheKey: string, meta: GpuResultMeta, now: number): void {
  if (memo.size >= MAX_ENTRIES) memo.clear();
  memo.set(cacheKey, { meta, expires: now + RESULT_MEMO_TTL_MS });
}

export function forgetResult(cacheKey: string): void {
  memo.delete(cacheKey);
}
