// A job's state change, to the account's webhooks that want it: one delivery row per endpoint
// (unique per endpoint, event and job, so an event emitted twice is delivered once), whose id is
// the `webhook-id` of all its attempts, then one queue message per new delivery (deliver.ts
// sends it). The body (webhookPayloadSchema): {"type": "edit.succeeded", "timestamp": ISO time,
// "data": the job}.
import type { EditJob, WebhookEvent, webhookPayloadSchema } from "@zone/shared";
import type { z } from "zod";
import type { Env } from "../env.ts";
import { insertDelivery, listWebhooks } from "./webhook-queries.ts";

/** What a queue message carries: the delivery to attempt. */
export interface WebhookQueueMessage {
  deliveryId: string;
}

export const deliveryId = () => `msg_${crypto.randomUUID().replaceAll("-", "")}`;

export async function emitWebhooks(
  env: Env,
  accountId: string,
  jobId: string,
  event: WebhookEvent,
  data: () => Promise<EditJob>,
): Promise<number> {
  const hooks = (await listWebhooks(env.DB, accountId)).filter((hook) =>
    (JSON.parse(hook.events) as string[]).includes(event),
  );
  if (hooks.length === 0) return 0;
  const now = Date.now();
  const payload = { type: event, timestamp: new Date(now).toISOString(), data: await data() };
  const body = JSON.stringify(payload satisfies z.infer<typeof webhookPayloadSchema>);
  let sent = 0;
  for (const hook of hooks) {
    const id = deliveryId();
    if (
      await insertDelivery(env.DB, { id, webhook_id: hook.id, event, job_id: jobId, body, created_at: now })
    ) {
      await env.WEBHOOK_QUEUE.send({ deliveryId: id } satisfies WebhookQueueMessage);
      sent++;
    }
  }
  return sent;
}
