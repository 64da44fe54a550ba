// The per-key rate limit through Miniflare's simulation of the Workers rate-limit binding, as
// wrangler.toml configures it (60 a minute per API key): the 61st POST in a minute is a 429 with
// Retry-After, counted per key. Miniflare counts in fixed windows of the period (aligned to the
// clock's minutes), so the test starts well inside one.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createKey, editForm, postEdit } from "../test/worker-helpers.ts";

const LIMIT = 60;
const notAnImage = new TextEncoder().encode("not an image, rejected after the rate limit");

async function awayFromWindowEdge(): Promise<void> {
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 100));
}

describe("rate limit", () => {
  it("lets 60 requests a minute through per key, then answers 429 with Retry-After", async () => {
    expect(env.RATE_LIMITER).toBeDefined();
    const noisy = await createKey("noisy");
    const quiet = await createKey("quiet");
    await awayFromWindowEdge();
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await postEdit(noisy, editForm({}, notAnImage))).status);
    expect(statuses).toEqual(Array(LIMIT).fill(415));
    const limited = await postEdit(noisy, editForm({}, notAnImage));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    expect(((await limited.json()) as { code: string }).code).toBe("rate_limited");
    expect((await postEdit(quiet, editForm({}, notAnImage))).status).toBe(415);
  });
});
