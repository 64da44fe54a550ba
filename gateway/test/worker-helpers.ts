// Helpers of the Worker tests (they run inside workerd, with `cloudflare:test`): API keys, the
// multipart edit form, the GPU mock's per-instruction controls, usage (at once, or once this
// isolate's free hits are written), edit rows and the expected cache key. SELF runs in the test's
// isolate, so the hit recorder the tests see (settleHits, holdHitFlushes) is the Worker's.
import { env, SELF } from "cloudflare:test";
import { cleanInstruction, gpuEditParamsSchema, PIPELINE_VERSION } from "@zone/shared";
import { expect } from "vitest";
import { cacheKey, cacheScope, type GatewayEditParams, sha256Hex } from "../src/cache/cache-key.ts";
import { HIT_FLUSH_MS, settleHits } from "../src/edits/hit-recorder.ts";

export const API = "https://api.test";

export const PNG_1x1 = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

/** A PNG of another size (2x1): another photo, as far as the gateway can tell. */
export const PNG_2x1 = (() => {
  const bytes = PNG_1x1.slice();
  bytes[19] = 2; // IHDR width, big-endian
  return bytes;
})();

/** A new key, with its id and account (a new account unless one is named); a test key unless asked. */
export async function createKeyIn(
  name: string,
  accountId?: string,
  environment: "live" | "test" = "test",
): Promise<{ key: string; id: string; accountId: string }> {
  const res = await SELF.fetch(`${API}/admin/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ name, environment, ...(accountId === undefined ? {} : { accountId }) }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { key: string; id: string; accountId: string };
}

export async function createKey(name = "tester"): Promise<string> {
  return (await createKeyIn(name)).key;
}

export function editForm(fields: Record<string, string> = {}, image: Uint8Array = PNG_1x1): FormData {
  const form = new FormData();
  form.append("image", new Blob([image], { type: "image/png" }), "photo.png");
  form.append("instruction", fields.instruction ?? "make the cat black");
  for (const [k, v] of Object.entries(fields)) if (k !== "instruction") form.append(k, v);
  return form;
}

export async function postEdit(key: string, form: FormData, headers: Record<string, string> = {}) {
  return SELF.fetch(`${API}/v1/edits`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
}

export async function getWith(key: string, url: string): Promise<Response> {
  return SELF.fetch(url, { headers: { authorization: `Bearer ${key}` } });
}

/** Usage as it is now: billed edits are recorded before their answer, free hits after it. */
export async function usageOf(key: string): Promise<Record<string, number>> {
  return (await (await getWith(key, `${API}/v1/usage`)).json()) as Record<string, number>;
}

/** Settles when this isolate's queued hits are written; fails after a bound instead of hanging. */
export async function hitsWritten(): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = 20 * HIT_FLUSH_MS;
  await Promise.race([
    settleHits(),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`queued hits not written within ${bound} ms`)), bound);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Usage once the free hits answered so far are written (a wait bounded by hitsWritten). */
export async function settledUsage(key: string): Promise<Record<string, number>> {
  await hitsWritten();
  return usageOf(key);
}

/** An edit's D1 row (deleted or not) and its ledger entry, or null while it is not written. */
export async function editRow(
  id: string,
): Promise<{ cache: string; key_id: string; deleted_at: number | null; kind: string | null } | null> {
  return env.DB.prepare(
    "SELECT e.cache, e.key_id, e.deleted_at, l.kind FROM edits e LEFT JOIN ledger l ON l.edit_id = e.id WHERE e.id = ?",
  )
    .bind(id)
    .first();
}

/** Polls `probe` until `done` holds or `ms` pass; returns the last value (for work in waitUntil). */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 3_000) {
  const deadline = Date.now() + ms;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    value = await probe();
  }
  return value;
}

/** What the GPU mock saw for one (cleaned) instruction. */
export async function gpuCalls(
  instruction: string,
): Promise<{ calls: number; requestIds: string[]; inputs: string[] }> {
  const url = `http://gpu.test/__calls?instruction=${encodeURIComponent(instruction)}`;
  return (await (await fetch(url)).json()) as { calls: number; requestIds: string[]; inputs: string[] };
}

export async function scriptGpu(
  control: "fail" | "hang" | "pipeline",
  instruction: string,
  query: Record<string, string>,
): Promise<void> {
  const search = new URLSearchParams({ instruction, ...query });
  await fetch(`http://gpu.test/__${control}?${search}`, { method: "POST" });
}

/** The cache key the gateway must compute for this image and these form fields, for this account. */
export async function expectedCacheKey(
  image: Uint8Array,
  fields: { instruction: string; seed?: number; steps?: number; mode?: "default" | "fast" },
  owner: { accountId: string; environment?: "live" | "test" },
): Promise<string> {
  const instruction = cleanInstruction(fields.instruction);
  const { outputs: _, ...params } = gpuEditParamsSchema.parse({ ...fields, instruction });
  return cacheKey({
    imageSha256: await sha256Hex(image),
    params: { ...params, instruction } satisfies GatewayEditParams,
    scope: cacheScope(env, {
      accountId: owner.accountId,
      environment: owner.environment ?? "test",
    }),
    bundleVersion: env.BUNDLE_VERSION,
    pipelineVersion: PIPELINE_VERSION,
  });
}

/** Every R2 object under a prefix. */
export async function storedKeys(prefix: string): Promise<string[]> {
  return (await env.ARTIFACTS.list({ prefix })).objects.map((o) => o.key);
}

export const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" };

export async function credits(
  accountId: string,
): Promise<{ balance: number; held: number; testEditsToday: number }> {
  const res = await SELF.fetch(`${API}/admin/accounts/${accountId}/credits`, { headers: admin });
  expect(res.status).toBe(200);
  return (await res.json()) as { balance: number; held: number; testEditsToday: number };
}

/** A live key whose new account holds exactly `balance` credits. */
export async function liveAccount(name: string, balance: number) {
  const owner = await createKeyIn(name, undefined, "live");
  const { balance: start } = await credits(owner.accountId);
  const res = await SELF.fetch(`${API}/admin/accounts/${owner.accountId}/credits`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ units: balance - start }),
  });
  expect(await res.json()).toEqual({ accountId: owner.accountId, balance });
  return owner;
}
