// Retries: 429 and 503 again after Retry-After (seconds or a date), else backoff; the same request
// (body and Idempotency-Key) each time; other statuses and the last try answered as they are.
import { describe, expect, it } from "vitest";
import { retryAfterMs } from "./problem-error.ts";
import { CLIENT_RETRY_DEFAULTS, retryingFetch } from "./retrying-fetch.ts";

function scripted(statuses: Array<[number, Record<string, string>?]>) {
  const seen: Array<{ key: string | null; body: string }> = [];
  const fetchImpl = async (request: Request) => {
    seen.push({ key: request.headers.get("idempotency-key"), body: await request.text() });
    const [status, headers] = statuses[Math.min(seen.length - 1, statuses.length - 1)];
    return new Response(status === 204 ? null : "{}", { status, headers });
  };
  return { fetchImpl, seen };
}

const post = () =>
  new Request("http://gateway.test/v1/edits", {
    method: "POST",
    body: "the form",
    headers: { "idempotency-key": "key-1" },
  });

describe("retryingFetch", () => {
  it("retries a 503 after its Retry-After and a 429 after its own, resending the same request", async () => {
    const { fetchImpl, seen } = scripted([
      [503, { "retry-after": "2" }],
      [429, { "retry-after": "1" }],
      [201],
    ]);
    const waits: number[] = [];
    const fetchWithRetries = retryingFetch(fetchImpl, { sleep: async (ms) => void waits.push(ms) });
    const response = await fetchWithRetries(post());
    expect(response.status).toBe(201);
    expect(waits).toEqual([2000, 1000]);
    expect(seen).toEqual(Array(3).fill({ key: "key-1", body: "the form" }));
  });

  it("stops after `attempts` tries (3 by default) and answers the last refusal", async () => {
    const { fetchImpl, seen } = scripted([[503, { "retry-after": "1" }]]);
    const response = await retryingFetch(fetchImpl, { sleep: async () => {} })(post());
    expect(response.status).toBe(503);
    expect(seen).toHaveLength(CLIENT_RETRY_DEFAULTS.attempts);
    expect(CLIENT_RETRY_DEFAULTS.attempts).toBe(3);
  });

  it("backs off exponentially without Retry-After, and does not wait longer than maxDelayMs", async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    await retryingFetch(scripted([[503]]).fetchImpl, { sleep, attempts: 3, baseDelayMs: 100 })(post());
    expect(waits).toEqual([100, 200]);
    const long = scripted([[429, { "retry-after": "3600" }], [201]]);
    const answer = await retryingFetch(long.fetchImpl, { sleep, maxDelayMs: 60_000 })(post());
    expect(answer.status).toBe(429);
    expect(long.seen).toHaveLength(1);
  });

  it("answers other statuses at once", async () => {
    for (const status of [400, 401, 404, 500, 502, 504]) {
      const { fetchImpl, seen } = scripted([[status], [201]]);
      expect((await retryingFetch(fetchImpl, { sleep: async () => {} })(post())).status).toBe(status);
      expect(seen).toHaveLength(1);
    }
  });

  it("retries a connection that failed before any answer, then gives up with its error", async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new TypeError("fetch failed");
    };
    await expect(retryingFetch(failing, { sleep: async () => {} })(post())).rejects.toThrow("fetch failed");
    expect(calls).toBe(3);
  });
});

describe("retryAfterMs", () => {
  it("reads delay-seconds and HTTP dates; absent or invalid is 0", () => {
    const now = Date.parse("2026-04-20T10:00:00Z");
    expect(retryAfterMs("5", now)).toBe(5000);
    expect(retryAfterMs("Mon, 20 Apr 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Mon, 20 Apr 2026 09:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs(null, now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBe(0);
  });
});
