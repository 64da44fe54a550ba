// The D1 statements of webhooks (migration 0004): endpoints, deliveries and their attempts.
import type { WebhookEvent } from "@zone/shared";

export interface WebhookRow {
  id: string;
  account_id: string;
  url: string;
  events: string;
  secret: string;
  created_at: number;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event: WebhookEvent;
  job_id: string;
  body: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  created_at: number;
  retry_from: number;
  delivered_at: number | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export async function insertWebhook(db: D1Database, row: WebhookRow): Promise<void> {
  await db
    .prepare(
      "INSERT INTO webhooks (id, account_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(row.id, row.account_id, row.url, row.events, row.secret, row.created_at)
    .run();
}

export async function listWebhooks(db: D1Database, accountId: string): Promise<WebhookRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM webhooks WHERE account_id = ? AND deleted_at IS NULL ORDER BY created_at")
    .bind(accountId)
    .all<WebhookRow>();
  return results;
}

export async function findWebhook(db: D1Database, accountId: string, id: string): Promise<WebhookRow | null> {
  return db
    .prepare("SELECT * FROM webhooks WHERE id = ? AND account_id = ? AND deleted_at IS NULL")
    .bind(id, accountId)
    .first<WebhookRow>();
}

export async function deleteWebhook(
  db: D1Database,
  accountId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .prepare("UPDATE webhooks SET deleted_at = ? WHERE id = ? AND account_id = ? AND deleted_at IS NULL")
    .bind(now, id, accountId)
    .run();
  return result.meta.changes > 0;
}

/** A delivery per endpoint, once per (endpoint, event, job) however often the event is emitted. */
export async function insertDelivery(
  db: D1Database,
  row: Pick<DeliveryRow, "id" | "webhook_id" | "event" | "job_id" | "body" | "created_at">,
): Promise<boolean> {
  const result = await db
    .prepare(
      "INSERT OR IGNORE INTO webhook_deliveries (id, webhook_id, event, job_id, body, status, created_at, retry_from) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
    )
    .bind(row.id, row.webhook_id, row.event, row.job_id, row.body, row.created_at, row.created_at)
    .run();
  return result.meta.changes > 0;
}

/** The delivery and its endpoint (deleted endpoints included: their deliveries stop). */
export async function deliveryWithWebhook(
  db: D1Database,
  id: string,
): Promise<(DeliveryRow & { url: string; secret: string; deleted_at: number | null }) | null> {
  return db
    .prepare(
      "SELECT d.*, w.url, w.secret, w.deleted_at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?",
    )
    .bind(id)
    .first();
}

/**
 * Claims a pending delivery for one attempt (a queue message may arrive twice, even at once):
 * the attempt's number, or null when it is not pending or another consumer holds it.
 */
export async function claimDelivery(
  db: D1Database,
  id: string,
  now: number,
  leaseMs: number,
): Promise<number | null> {
  const row = await db
    .prepare(
      "UPDATE webhook_deliveries SET attempts = attempts + 1, claimed_until = ? WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?) RETURNING attempts",
    )
    .bind(now + leaseMs, id, now)
    .first<{ attempts: number }>();
  return row?.attempts ?? null;
}

/** Records an attempt and where the delivery stands after it, in one batch. */
export async function recordAttempt(
  db: D1Database,
  attempt: AttemptRow,
  status: DeliveryRow["status"],
): Promise<void> {
  await db.batch([
    db
      .prepare(
        "INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .bind(
        attempt.delivery_id,
        attempt.attempt,
        attempt.at,
        attempt.status_code,
        attempt.error,
        attempt.duration_ms,
      ),
    db
      .prepare(
        "UPDATE webhook_deliveries SET status = ?, claimed_until = NULL, delivered_at = CASE WHEN ? = 'succeeded' THEN ? ELSE delivered_at END WHERE id = ?",
      )
      .bind(status, status, attempt.at, attempt.delivery_id),
  ]);
}

export async function markDeliveryFailed(db: D1Database, id: string): Promise<void> {
  await db
    .prepare(
      "UPDATE webhook_deliveries SET status = 'failed', claimed_until = NULL WHERE id = ? AND status = 'pending'",
    )
    .bind(id)
    .run();
}

/** Manual redelivery: pending again, with a new day of retries; false when there is no such delivery. */
export async function resetDelivery(
  db: D1Database,
  webhookId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      "UPDATE webhook_deliveries SET status = 'pending', claimed_until = NULL, retry_from = ? WHERE id = ? AND webhook_id = ?",
    )
    .bind(now, id, webhookId)
    .run();
  return result.meta.changes > 0;
}

/** An endpoint's latest deliveries with every attempt, newest first. */
export async function listDeliveries(
  db: D1Database,
  webhookId: string,
  limit: number,
): Promise<Array<DeliveryRow & { attemptRows: AttemptRow[] }>> {
  const { results } = await db
    .prepare("SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, id LIMIT ?")
    .bind(webhookId, limit)
    .all<DeliveryRow>();
  if (results.length === 0) return [];
  const { results: attempts } = await db
    .prepare(
      `SELECT * FROM webhook_attempts WHERE delivery_id IN (${results.map(() => "?").join(", ")}) ORDER BY attempt`,
    )
    .bind(...results.map((r) => r.id))
    .all<AttemptRow>();
  return results.map((row) => ({ ...row, attemptRows: attempts.filter((a) => a.delivery_id === row.id) }));
}
