// Receiving webhooks: the Standard Webhooks signature check is the gateway's own
// (shared/src/webhook-signature.ts, which signs every delivery), re-exported here, not copied;
// receiveWebhook adds only the typed body (WebhookPayload, the OpenAPI document's schema of it).
import { verifyWebhook, type WebhookVerification } from "@zone/shared/webhook-signature";
import type { components } from "./api-types.ts";

export {
  verifyWebhook,
  WEBHOOK_HEADERS,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookVerification,
} from "@zone/shared/webhook-signature";

/** A delivery's body: {type: "edit.succeeded" | ..., timestamp, data: the job}. */
export type WebhookPayload = components["schemas"]["WebhookPayload"];

export type ReceivedWebhook =
  | { ok: true; id: string; timestamp: number; payload: WebhookPayload }
  | Extract<WebhookVerification, { ok: false }>;

/**
 * Verifies a delivery (its three headers, the raw body text as received, the endpoint's secret)
 * and, when the signature holds, parses its body. Deduplicate on `id` (the same on every retry).
 */
export async function receiveWebhook(
  secret: string,
  headers: Headers | Record<string, string | undefined>,
  body: string,
  options: { now?: number; toleranceSeconds?: number } = {},
): Promise<ReceivedWebhook> {
  const check = await verifyWebhook(secret, headers, body, options);
  if (!check.ok) return check;
  return { ...check, payload: JSON.parse(body) as WebhookPayload };
}
