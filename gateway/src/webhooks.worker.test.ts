// Webhooks in workerd, through the real queue and its consumer: registration (the secret shown
// once, URLs refused), a receiver that fails the first three deliveries (the fourth succeeds, the
// same webhook-id every time, valid signatures, every attempt listed, nothing after the success),
// manual redelivery with the same id, deletion, and another account's endpoints.
import { SELF } from "cloudflare:test";
import { verifyWebhook, webhookPayloadSchema } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { WEBHOOK_RECEIVER_ORIGIN } from "../test/webhook-receiver.ts";
import { API, createKey, editForm, eventually, postEdit } from "../test/worker-helpers.ts";

const json = (key: string, body: unknown) => ({
  method: "POST",
  headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  body: JSON.stringify(body),
});
const get = (key: string, url: string) => SELF.fetch(url, { headers: { authorization: `Bearer ${key}` } });

async function received(path: string) {
  const res = await fetch(`${WEBHOOK_RECEIVER_ORIGIN}/__received?path=${encodeURIComponent(path)}`);
  return (await res.json()) as Array<{ headers: Record<string, string>; body: string; status: number }>;
}

describe("webhooks", () => {
  it("registers an endpoint, showing its secret once, and refuses bad input and private URLs", async () => {
    const key = await createKey();
    const res = await SELF.fetch(`${API}/v1/webhooks`, json(key, { url: `${WEBHOOK_RECEIVER_ORIGIN}/a` }));
    expect(res.status).toBe(201);
    const hook = (await res.json()) as { id: string; secret: string; events: string[] };
    expect(hook.secret).toMatch(/^whsec_/);
    expect(hook.events).toEqual([
      "edit.queued",
      "edit.running",
      "edit.succeeded",
      "edit.failed",
      "edit.canceled",
    ]);
    const list = (await (await get(key, `${API}/v1/webhooks`)).json()) as {
      webhooks: Array<Record<string, unknown>>;
    };
    expect(list.webhooks.map((w) => w.id)).toEqual([hook.id]);
    expect(list.webhooks[0]).not.toHaveProperty("secret");
    for (const body of [
      { url: "http://10.0.0.1/hook" },
      { url: "https://169.254.169.254/" },
      { url: "not a url" },
      { url: `${WEBHOOK_RECEIVER_ORIGIN}/a`, events: ["edit.progress"] },
      { url: `${WEBHOOK_RECEIVER_ORIGIN}/a`, extra: 1 },
    ]) {
      const refused = await SELF.fetch(`${API}/v1/webhooks`, json(key, body));
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    expect((await get(await createKey(), `${API}/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    const del = await SELF.fetch(`${API}/v1/webhooks/${hook.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(del.status).toBe(204);
    expect(
      ((await (await get(key, `${API}/v1/webhooks`)).json()) as { webhooks: unknown[] }).webhooks,
    ).toEqual([]);
  });

  it("retries a failing receiver: the fourth attempt succeeds, same webhook-id, valid signatures, then redelivers on request", async () => {
    const key = await createKey();
    const path = "/hooks/flaky";
    await fetch(`${WEBHOOK_RECEIVER_ORIGIN}/__fail?path=${path}&n=3`, { method: "POST" });
    const created = await SELF.fetch(
      `${API}/v1/webhooks`,
      json(key, { url: `${WEBHOOK_RECEIVER_ORIGIN}${path}`, events: ["edit.succeeded"] }),
    );
    const hook = (await created.json()) as { id: string; secret: string };
    const res = await postEdit(key, editForm({ instruction: "webhooks: add a flag" }), {
      prefer: "respond-async",
    });
    const job = (await res.json()) as { id: string };
    const deliveries = await eventually(
      () => received(path),
      (list) => list.length >= 4,
      20_000,
    );
    expect(deliveries.map((d) => d.status)).toEqual([500, 500, 500, 204]);
    const ids = new Set(deliveries.map((d) => d.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    for (const d of deliveries) {
      const check = await verifyWebhook(hook.secret, d.headers, d.body);
      expect(check.ok).toBe(true);
      // The body is what webhookPayloadSchema (and the OpenAPI document's WebhookPayload) says.
      expect(webhookPayloadSchema.parse(JSON.parse(d.body))).toMatchObject({
        type: "edit.succeeded",
        data: { id: job.id, status: "succeeded" },
      });
    }
    const listed = (await (await get(key, `${API}/v1/webhooks/${hook.id}/deliveries`)).json()) as {
      deliveries: Array<{
        id: string;
        status: string;
        jobId: string;
        attempts: Array<{ attempt: number; statusCode: number }>;
      }>;
    };
    expect(listed.deliveries).toHaveLength(1);
    const [delivery] = listed.deliveries;
    expect(delivery).toMatchObject({ id: [...ids][0], status: "succeeded", jobId: job.id });
    expect(delivery.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 204],
    ]);
    // Nothing more after the success.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await received(path)).toHaveLength(4);
    const again = await SELF.fetch(`${API}/v1/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(again.status).toBe(202);
    const after = await eventually(
      () => received(path),
      (list) => list.length >= 5,
      10_000,
    );
    expect(after[4].headers["webhook-id"]).toBe(delivery.id);
    expect(after[4].status).toBe(204);
  });
});
