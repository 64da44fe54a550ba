// D1 queries of multi-turn chains (migration 0005): an edit's live children, which keep it from
// being deleted.

/** Live edits of the account made from `editId`'s result. */
export async function liveChildrenOf(db: D1Database, accountId: string, editId: string): Promise<number> {
  const row = await db
    .prepare("SELECT COUNT(*) AS n FROM edits WHERE parent_id = ? AND account_id = ? AND deleted_at IS NULL")
    .bind(editId, accountId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
