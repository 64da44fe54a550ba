// Per-isolate memory of which cache keys have a stored result (and its meta), so a repeated
// request skips the R2 read. Results never change for a key; a deletion through this isolate
// drops the entry at once, one through another isolate is seen within RESULT_MEMO_TTL_MS.
import type { GpuEditMeta } from "@zone/shared";

export const RESULT_MEMO_TTL_MS = 60_000;
const MAX_ENTRIES = 5_000;
const memo = new Map<string, { meta: GpuEditMeta; expires: number }>();

export function memoizedResult(cacheKey: string, now: number): GpuEditMeta | null {
  const hit = memo.get(cacheKey);
  if (!hit || hit.expires <= now) {
    memo.delete(cacheKey);
    return null;
  }
  return hit.meta;
}

export function memoizeResult(cacheKey: string, meta: GpuEditMeta, now: number): void {
  if (memo.size >= MAX_ENTRIES) memo.clear();
  memo.set(cacheKey, { meta, expires: now + RESULT_MEMO_TTL_MS });
}

export function forgetResult(cacheKey: string): void {
  memo.delete(cacheKey);
}
