// Free answers (HIT, COALESCED) are recorded after the answer, in batches: HIT_FLUSH_MS after the
// first queued hit, one D1 batch (one transaction, multi-row INSERTs, db/queries.ts) per
// HIT_BATCH_MAX hits, instead of a write per hit before its answer. That keeps a hit close to a
// bare Worker; under wrangler dev, where D1 shares the Worker's cores, few large transactions
// cost the hits around them far less than many small ones. The answer's links do not wait for the
// row: the edit id is a verifiable reference (edit-id.ts). A hit's row and ledger entry land at
// most HIT_FLUSH_MS after its answer, plus the write; that is when /v1/usage counts it. A batch that
// fails is logged and dropped (its hits stay readable by their ids, but uncounted). Billed edits
// never come through here: they are written before their answer.
import { type EditRecord, recordEdits } from "../db/queries.ts";
import { HIT_FLUSH_MS } from "./hit-flush.ts";

export { HIT_FLUSH_MS };
export const HIT_BATCH_MAX = 200;

const pending: EditRecord[] = [];
let flushing: Promise<void> | null = null;
/** Test hook: while set, flushes wait for it (holdHitFlushes). */
let hold: Promise<void> | null = null;

async function flushAfterDelay(db: D1Database): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, HIT_FLUSH_MS));
  while (hold !== null) await hold;
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

/** Settles when every hit queued in this isolate so far has been written (or failed to be). */
export async function settleHits(): Promise<void> {
  // The running flush writes until its queue is empty, so it covers every hit queued before now.
  await flushing;
}

/**
 * For tests: holds every flush of this isolate (rows and ledger entries stay unwritten, as with a
 * slow or unreachable D1) until the returned function is called.
 */
export function holdHitFlushes(): () => void {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  hold = held;
  return () => {
    if (hold === held) hold = null;
    release();
  };
}
