import { describe, expect, it } from "vitest";
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from "./webhook-signature.ts";

// The Standard Webhooks specification's published example (its reference libraries test it).
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("webhook signatures", () => {
  it("reproduces the specification's example signature", async () => {
    expect(await signWebhook(VECTOR.secret, VECTOR)).toBe(VECTOR.signature);
    // The prefix is optional, as in the reference libraries.
    expect(await signWebhook(VECTOR.secret.slice("whsec_".length), VECTOR)).toBe(VECTOR.signature);
  });

  it("verifies the example, with a rotated-out signature beside it, inside the tolerance only", async () => {
    const headers = {
      "webhook-id": VECTOR.id,
      "webhook-timestamp": String(VECTOR.timestamp),
      "webhook-signature": `v1,bm9wZQ== ${VECTOR.signature}`,
    };
    expect(await verifyWebhook(VECTOR.secret, headers, VECTOR.body, { now: VECTOR.timestamp + 10 })).toEqual({
      ok: true,
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
    });
    expect(await verifyWebhook(VECTOR.secret, headers, VECTOR.body, { now: VECTOR.timestamp + 301 })).toEqual(
      {
        ok: false,
        reason: "stale_timestamp",
      },
    );
    const tampered = await verifyWebhook(VECTOR.secret, headers, '{"test": 2432232315}', {
      now: VECTOR.timestamp,
    });
    expect(tampered).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verifyWebhook(VECTOR.secret, {}, VECTOR.body)).toEqual({
      ok: false,
      reason: "missing_headers",
    });
  });

  it("signs what it verifies, with a fresh secret, through Headers", async () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const message = { id: "msg_1", timestamp: Math.floor(Date.now() / 1000), body: '{"a":1}' };
    const headers = new Headers(await webhookHeaders(secret, message));
    expect((await verifyWebhook(secret, headers, message.body)).ok).toBe(true);
    expect((await verifyWebhook(generateWebhookSecret(), headers, message.body)).ok).toBe(false);
  });
});
