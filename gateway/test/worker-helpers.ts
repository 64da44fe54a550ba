// Helpers of the Worker tests (they run inside workerd, with `cloudflare:test`): API keys, the
// multipart edit form, the GPU mock's per-instruction controls, usage and the expected cache key.
import { env, SELF } from "cloudflare:test";
import { cleanInstruction, gpuEditParamsSchema, PIPELINE_VERSION } from "@zone/shared";
import { expect } from "vitest";
import { cacheKey, type EditParams, sha256Hex } from "../src/cache/cache-key.ts";

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

export async function createKey(name = "tester"): Promise<string> {
  const res = await SELF.fetch(`${API}/admin/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ name, environment: "test" }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
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

/** Usage as it is now: no waiting, every answered edit is already recorded. */
export async function usageOf(key: string): Promise<Record<string, number>> {
  return (await (await getWith(key, `${API}/v1/usage`)).json()) as Record<string, number>;
}

/** What the GPU mock saw for one (cleaned) instruction. */
export async function gpuCalls(instruction: string): Promise<{ calls: number; requestIds: string[] }> {
  const url = `http://gpu.test/__calls?instruction=${encodeURIComponent(instruction)}`;
  return (await (await fetch(url)).json()) as { calls: number; requestIds: string[] };
}

export async function scriptGpu(
  control: "fail" | "hang" | "pipeline",
  instruction: string,
  query: Record<string, string>,
): Promise<void> {
  const search = new URLSearchParams({ instruction, ...query });
  await fetch(`http://gpu.test/__${control}?${search}`, { method: "POST" });
}

/** The cache key the gateway must compute for this image and these form fields. */
export async function expectedCacheKey(
  image: Uint8Array,
  fields: { instruction: string; seed?: number; steps?: number; mode?: "default" | "fast" },
): Promise<string> {
  const instruction = cleanInstruction(fields.instruction);
  const { outputs: _, ...params } = gpuEditParamsSchema.parse({ ...fields, instruction });
  return cacheKey({
    imageSha256: await sha256Hex(image),
    params: { ...params, instruction } satisfies EditParams,
    bundleVersion: env.BUNDLE_VERSION,
    pipelineVersion: PIPELINE_VERSION,
  });
}

/** Every R2 object under a prefix. */
export async function storedKeys(prefix: string): Promise<string[]> {
  return (await env.ARTIFACTS.list({ prefix })).objects.map((o) => o.key);
}
