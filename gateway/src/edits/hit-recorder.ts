// Free cache hits are recorded in small batches: under load, one D1 batch per HIT_BATCH_MAX hits
// or per HIT_FLUSH_MS instead of one write per hit, which keeps a hit close to a bare Worker.
// A hit's edit row exists at most HIT_FLUSH_MS after the answer that names it. Billed edits never
// come through here: they are written before the answer.
import { type EditRecord, recordEdits } from "../db/queries.ts";

export const HIT_FLUSH_MS = 200;
export const HIT_BATCH_MAX = 25;

let pending: EditRecord[] = [];
let flushing: Promise<void> | null = null;

async function flushAfterDelay(db: D1Database): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, HIT_FLUSH_MS));
  while (pending.length > 0) {
    const batch = pending.splice(0, HIT_BATCH_MAX);
    try {
      await recordEdits(db, batch);
    } catch (error) {
      console.error(`could not record ${batch.length} cache hits`, (error as Error).message);
    }
  }
  flushing = null;
}

/** Queues a hit; the returned promise (for waitUntil) settles when it has been written. */
export function recordHit(db: D1Database, record: EditRecord): Promise<void> {
  pending.push(record);
  flushing ??= flushAfterDelay(db);
  return flushing;
}

/** For tests: drops anything queued. */
export function resetHitRecorder(): void {
  pending = [];
  flushing = null;
}
