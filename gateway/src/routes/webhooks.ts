// /v1/webhooks: an account's webhook endpoints and their deliveries.
//   POST   /v1/webhooks                     {url, events?} -> 201 with the secret (shown once)
//   GET    /v1/webhooks                     the account's endpoints (no secrets)
//   DELETE /v1/webhooks/{id}                204; its pending deliveries stop
//   GET    /v1/webhooks/{id}/deliveries     the latest deliveries, each with every attempt
//   POST   /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver   202: sent again, same webhook-id
import { generateWebhookSecret, WEBHOOK_EVENTS, type WebhookEvent, ZoneError } from "@zone/shared";
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import type { WebhookQueueMessage } from "../webhooks/emit.ts";
import { DELIVERY_LIST_LIMIT, MAX_WEBHOOKS, webhookInputSchema } from "../webhooks/webhook-input.ts";
import {
  deleteWebhook,
  findWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  resetDelivery,
  type WebhookRow,
} from "../webhooks/webhook-queries.ts";
import { allowsLoopback, checkWebhookUrl } from "../webhooks/webhook-url.ts";

export const webhookRoutes = new Hono<AppEnv>();

const view = (row: WebhookRow) => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as WebhookEvent[],
  createdAt: new Date(row.created_at).toISOString(),
});

webhookRoutes.post("/", async (c) => {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch (cause) {
    throw new ZoneError("invalid_argument", "the body must be JSON: {url, events?}", { cause });
  }
  const input = webhookInputSchema.safeParse(json);
  if (!input.success)
    throw new ZoneError(
      "invalid_argument",
      `the webhook is {url, events?} with events among ${WEBHOOK_EVENTS.join(", ")}`,
    );
  const url = await checkWebhookUrl(input.data.url, { allowLoopback: allowsLoopback(c.env) });
  const accountId = c.get("caller").accountId;
  if ((await listWebhooks(c.env.DB, accountId)).length >= MAX_WEBHOOKS)
    throw new ZoneError("invalid_argument", `an account may have at most ${MAX_WEBHOOKS} webhooks`);
  const row: WebhookRow = {
    id: `wh_${crypto.randomUUID().replaceAll("-", "")}`,
    account_id: accountId,
    url: url.href,
    events: JSON.stringify(input.data.events ?? WEBHOOK_EVENTS),
    secret: generateWebhookSecret(),
    created_at: Date.now(),
  };
  await insertWebhook(c.env.DB, row);
  return c.json({ ...view(row), secret: row.secret }, 201, { location: `/v1/webhooks/${row.id}` });
});

webhookRoutes.get("/", async (c) => {
  return c.json({ webhooks: (await listWebhooks(c.env.DB, c.get("caller").accountId)).map(view) });
});

webhookRoutes.delete("/:id", async (c) => {
  if (!(await deleteWebhook(c.env.DB, c.get("caller").accountId, c.req.param("id"), Date.now())))
    throw new ZoneError("not_found", `no webhook ${c.req.param("id")}`);
  return c.body(null, 204);
});

webhookRoutes.get("/:id/deliveries", async (c) => {
  const hook = await findWebhook(c.env.DB, c.get("caller").accountId, c.req.param("id"));
  if (hook === null) throw new ZoneError("not_found", `no webhook ${c.req.param("id")}`);
  const deliveries = await listDeliveries(c.env.DB, hook.id, DELIVERY_LIST_LIMIT);
  return c.json({
    deliveries: deliveries.map((d) => ({
      id: d.id,
      event: d.event,
      jobId: d.job_id,
      status: d.status,
      createdAt: new Date(d.created_at).toISOString(),
      deliveredAt: d.delivered_at === null ? null : new Date(d.delivered_at).toISOString(),
      attempts: d.attemptRows.map((a) => ({
        attempt: a.attempt,
        at: new Date(a.at).toISOString(),
        statusCode: a.status_code,
        error: a.error,
        durationMs: a.duration_ms,
      })),
    })),
  });
});

webhookRoutes.post("/:id/deliveries/:deliveryId/redeliver", async (c) => {
  const hook = await findWebhook(c.env.DB, c.get("caller").accountId, c.req.param("id"));
  const id = c.req.param("deliveryId");
  if (hook === null || !(await resetDelivery(c.env.DB, hook.id, id, Date.now())))
    throw new ZoneError("not_found", `no delivery ${id} of webhook ${c.req.param("id")}`);
  await c.env.WEBHOOK_QUEUE.send({ deliveryId: id } satisfies WebhookQueueMessage);
  return c.json({ id, status: "pending" }, 202);
});
