// The webhook queue's consumer: one attempt per message. It claims the delivery (a message may
// arrive twice: a delivery that succeeded, or that another consumer is sending, is not sent
// again), checks the URL again (webhook-url.ts), POSTs the body with fresh Standard Webhooks
// headers (the same webhook-id every time, a new timestamp and signature), records the attempt,
// and acks on a 2xx; otherwise it retries the message after the backoff (retry-schedule.ts) until
// the day of retries is over, then marks the delivery failed. Redirects are not followed (a 3xx
// is a failed attempt). Messages that exhaust the queue's own max_retries land in the dead
// letter queue, whose consumer marks their deliveries failed.
import { webhookHeaders } from "@zone/shared";
import type { Env } from "../env.ts";
import type { WebhookQueueMessage } from "./emit.ts";
import { retryBaseSeconds, retryDelaySeconds, shouldRetry } from "./retry-schedule.ts";
import { claimDelivery, deliveryWithWebhook, markDeliveryFailed, recordAttempt } from "./webhook-queries.ts";
import { allowsLoopback, checkWebhookUrl } from "./webhook-url.ts";

/** How long one attempt may take (the receiver should answer at once and work later). */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A claim outlives the attempt's timeout, so a crashed consumer's delivery is free again after it. */
const CLAIM_MS = DELIVERY_TIMEOUT_MS + 5_000;

export type AttemptOutcome = { kind: "done" } | { kind: "retry"; delaySeconds: number };

export async function attemptDelivery(
  env: Env,
  id: string,
  deps: { fetch: typeof fetch; now: () => number } = { fetch: (i, init) => fetch(i, init), now: Date.now },
): Promise<AttemptOutcome> {
  const delivery = await deliveryWithWebhook(env.DB, id);
  if (delivery === null || delivery.status !== "pending") return { kind: "done" };
  if (delivery.deleted_at !== null) {
    await markDeliveryFailed(env.DB, id);
    return { kind: "done" };
  }
  const started = deps.now();
  const attempt = await claimDelivery(env.DB, id, started, CLAIM_MS);
  if (attempt === null) return { kind: "done" };
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const url = await checkWebhookUrl(delivery.url, { allowLoopback: allowsLoopback(env) });
    const headers = await webhookHeaders(delivery.secret, {
      id,
      timestamp: Math.floor(started / 1000),
      body: delivery.body,
    });
    const response = await deps.fetch(url, {
      method: "POST",
      body: delivery.body,
      headers: { ...headers, "content-type": "application/json", "user-agent": "zone-edit-webhooks/1" },
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    statusCode = response.status;
    await response.body?.cancel();
  } catch (cause) {
    error = (cause as Error).message.slice(0, 200);
  }
  const now = deps.now();
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const delaySeconds = retryDelaySeconds(attempt, retryBaseSeconds(env));
  const retry = !ok && shouldRetry(delivery.retry_from, now, delaySeconds);
  await recordAttempt(
    env.DB,
    { delivery_id: id, attempt, at: started, status_code: statusCode, error, duration_ms: now - started },
    ok ? "succeeded" : retry ? "pending" : "failed",
  );
  return retry ? { kind: "retry", delaySeconds } : { kind: "done" };
}

/** The queue handler: the webhook queue's messages are attempted, the dead letter queue's failed. */
export async function deliverBatch(batch: MessageBatch<WebhookQueueMessage>, env: Env): Promise<void> {
  const dead = batch.queue.endsWith("-dlq");
  for (const message of batch.messages) {
    try {
      if (dead) {
        await markDeliveryFailed(env.DB, message.body.deliveryId);
        message.ack();
        continue;
      }
      const outcome = await attemptDelivery(env, message.body.deliveryId);
      if (outcome.kind === "retry") message.retry({ delaySeconds: outcome.delaySeconds });
      else message.ack();
    } catch (error) {
      console.error(`webhook delivery ${message.body.deliveryId}`, (error as Error).message);
      message.retry({ delaySeconds: retryBaseSeconds(env) });
    }
  }
}
