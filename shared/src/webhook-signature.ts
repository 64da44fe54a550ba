// Webhook signatures, the Standard Webhooks way (https://www.standardwebhooks.com, v1 symmetric):
// headers `webhook-id` (the same on every retry of one message), `webhook-timestamp` (Unix
// seconds of this attempt) and `webhook-signature` = "v1," + base64(HMAC-SHA256(key,
// "<id>.<timestamp>.<body>")), where key = base64-decode(the secret after its `whsec_` prefix).
// The header may carry several space-separated signatures (key rotation): one match is enough.
// WebCrypto only, so the gateway (Workers), Node and browsers share this one implementation; the
// gateway signs with it and the typed client re-exports verifyWebhook.

export const WEBHOOK_SECRET_PREFIX = "whsec_";
export const WEBHOOK_HEADERS = {
  id: "webhook-id",
  timestamp: "webhook-timestamp",
  signature: "webhook-signature",
} as const;
/** How far a timestamp may be from now (seconds) before verifyWebhook refuses it (replays). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** A new secret: `whsec_` + base64 of 24 random bytes. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(24)));
}

function keyOf(secret: string) {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? secret.slice(WEBHOOK_SECRET_PREFIX.length)
    : secret;
  let raw: Uint8Array;
  try {
    raw = fromBase64(encoded);
  } catch {
    throw new Error("a webhook secret is whsec_ followed by base64");
  }
  return crypto.subtle.importKey(
    "raw",
    raw as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

export interface WebhookMessage {
  id: string;
  /** Unix seconds. */
  timestamp: number;
  /** The exact body bytes sent, as text. */
  body: string;
}

/** The `webhook-signature` value of a message: "v1,<base64>". */
export async function signWebhook(secret: string, message: WebhookMessage): Promise<string> {
  const signed = encoder.encode(`${message.id}.${message.timestamp}.${message.body}`);
  const mac = await crypto.subtle.sign("HMAC", await keyOf(secret), signed);
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The three headers of one delivery attempt. */
export async function webhookHeaders(
  secret: string,
  message: WebhookMessage,
): Promise<Record<string, string>> {
  return {
    [WEBHOOK_HEADERS.id]: message.id,
    [WEBHOOK_HEADERS.timestamp]: String(message.timestamp),
    [WEBHOOK_HEADERS.signature]: await signWebhook(secret, message),
  };
}

function equalTimingSafe(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: "missing_headers" | "bad_timestamp" | "stale_timestamp" | "bad_signature" };

/**
 * Checks a received webhook: its headers (a Headers or a plain object with lower-case names),
 * the raw body text, the endpoint's secret. `now` in Unix seconds (default: the clock).
 */
export async function verifyWebhook(
  secret: string,
  headers: Headers | Record<string, string | undefined>,
  body: string,
  options: { now?: number; toleranceSeconds?: number } = {},
): Promise<WebhookVerification> {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]) ?? null;
  const id = get(WEBHOOK_HEADERS.id);
  const stamp = get(WEBHOOK_HEADERS.timestamp);
  const signatures = get(WEBHOOK_HEADERS.signature);
  if (id === null || stamp === null || signatures === null) return { ok: false, reason: "missing_headers" };
  if (!/^\d+$/.test(stamp)) return { ok: false, reason: "bad_timestamp" };
  const timestamp = Number(stamp);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS))
    return { ok: false, reason: "stale_timestamp" };
  const expected = await signWebhook(secret, { id, timestamp, body });
  const match = signatures.split(" ").some((candidate) => equalTimingSafe(candidate, expected));
  return match ? { ok: true, id, timestamp } : { ok: false, reason: "bad_signature" };
}
