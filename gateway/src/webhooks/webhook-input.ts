// What POST /v1/webhooks takes and the listing limits: read by the route and the OpenAPI document.
import { WEBHOOK_EVENTS, type WebhookEvent } from "@zone/shared";
import { z } from "zod";

/** The most deliveries GET /v1/webhooks/{id}/deliveries lists (newest first). */
export const DELIVERY_LIST_LIMIT = 100;
/** Endpoints per account. */
export const MAX_WEBHOOKS = 20;

export const webhookInputSchema = z.strictObject({
  url: z.string().max(2048),
  events: z
    .array(z.enum(WEBHOOK_EVENTS as [WebhookEvent, ...WebhookEvent[]]))
    .min(1)
    .optional(),
});
