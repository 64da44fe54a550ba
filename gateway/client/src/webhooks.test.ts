// The client's webhook helpers are the gateway's signature code, not a copy: verifyWebhook is the
// very function shared/src/webhook-signature.ts exports (the gateway signs with its sibling), and
// receiveWebhook verifies a delivery signed the gateway's way and types its body; a changed body,
// a wrong secret, an old timestamp and missing headers are refused.
import * as shared from "@zone/shared/webhook-signature";
import { describe, expect, it } from "vitest";
import * as client from "./index.ts";
import { receiveWebhook, verifyWebhook, type WebhookPayload } from "./webhooks.ts";

const SECRET = shared.generateWebhookSecret();
const NOW = 1_776_000_000;
const PAYLOAD = {
  type: "edit.canceled",
  timestamp: "2026-04-20T09:30:12.418Z",
  data: {
    id: `ej_${"cd".repeat(48)}`,
    createdAt: "2026-04-20T09:30:12.418Z",
    startedAt: null,
    finishedAt: "2026-04-20T09:30:14.000Z",
    deadline: null,
    progress: null,
    status: "canceled",
    error: null,
    canceledBy: "requested",
    links: { self: "s", events: "e", cancel: "c" },
  },
} satisfies WebhookPayload;

async function delivery(body = JSON.stringify(PAYLOAD), timestamp = NOW) {
  const headers = await shared.webhookHeaders(SECRET, { id: "msg_1", timestamp, body });
  return { headers, body };
}

describe("the client's webhook helpers", () => {
  it("re-export the one implementation", () => {
    expect(verifyWebhook).toBe(shared.verifyWebhook);
    expect(client.verifyWebhook).toBe(shared.verifyWebhook);
    expect(client.WEBHOOK_HEADERS).toBe(shared.WEBHOOK_HEADERS);
  });

  it("receive a signed delivery with its typed body", async () => {
    const { headers, body } = await delivery();
    const received = await receiveWebhook(SECRET, new Headers(headers), body, { now: NOW + 5 });
    expect(received).toEqual({ ok: true, id: "msg_1", timestamp: NOW, payload: PAYLOAD });
    if (received.ok && received.payload.data.status === "canceled")
      expect(received.payload.data.canceledBy).toBe("requested");
  });

  it("refuse a changed body, another secret, an old timestamp and missing headers, without parsing", async () => {
    const { headers, body } = await delivery();
    const changed = body.replace("requested", "deadline");
    expect(await receiveWebhook(SECRET, headers, changed, { now: NOW })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(await receiveWebhook(shared.generateWebhookSecret(), headers, body, { now: NOW })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    const old = await delivery(body, NOW - shared.WEBHOOK_TOLERANCE_SECONDS - 1);
    expect(await receiveWebhook(SECRET, old.headers, body, { now: NOW })).toEqual({
      ok: false,
      reason: "stale_timestamp",
    });
    expect(await receiveWebhook(SECRET, {}, "not json", { now: NOW })).toEqual({
      ok: false,
      reason: "missing_headers",
    });
  });
});
