// CORS: off unless CORS_ORIGINS lists origins; then the listed origins get the CORS headers and
// their preflight is answered before authentication (a preflight carries no key); others get none.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createKey } from "../test/worker-helpers.ts";
import { app } from "./app.ts";
import type { Env } from "./env.ts";
import { CORS_MAX_AGE_S, parseCorsOrigins } from "./middleware/cors.ts";

const ALLOWED = "https://app.example.com";

async function call(path: string, init: RequestInit, corsOrigins?: string): Promise<Response> {
  const ctx = createExecutionContext();
  const bindings = { ...(env as unknown as Env), CORS_ORIGINS: corsOrigins };
  const response = await app.request(`https://api.test${path}`, init, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const preflight = (origin: string) => ({
  method: "OPTIONS",
  headers: {
    origin,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, idempotency-key",
  },
});

describe("CORS", () => {
  it("is off by default: no CORS headers, and a preflight is not answered", async () => {
    expect(env).not.toHaveProperty("CORS_ORIGINS");
    const response = await call("/v1/edits", preflight(ALLOWED));
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.status).toBe(401);
    const health = await call("/healthz", { headers: { origin: ALLOWED } });
    expect(health.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a listed origin's preflight before authentication, with the headers a client sends", async () => {
    const response = await call("/v1/edits", preflight(ALLOWED), `https://other.example, ${ALLOWED}`);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET,POST,DELETE");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("idempotency-key");
    expect(response.headers.get("access-control-max-age")).toBe(String(CORS_MAX_AGE_S));
  });

  it("lets a listed origin read the documented response headers, and gives another origin nothing", async () => {
    const key = await createKey("cors");
    const headers = { origin: ALLOWED, authorization: `Bearer ${key}` };
    const response = await call("/v1/usage", { headers }, ALLOWED);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    const exposed = response.headers.get("access-control-expose-headers")?.split(",") ?? [];
    expect(exposed).toEqual(
      expect.arrayContaining([
        "X-Request-Id",
        "Location",
        "Retry-After",
        "Server-Timing",
        "X-Cache",
        "Idempotent-Replayed",
      ]),
    );
    const other = await call(
      "/v1/usage",
      { headers: { ...headers, origin: "https://evil.example" } },
      ALLOWED,
    );
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const otherPreflight = await call("/v1/edits", preflight("https://evil.example"), ALLOWED);
    expect(otherPreflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reads CORS_ORIGINS as a comma list of origins and refuses anything else", () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins(" https://a.example ,http://localhost:5173,")).toEqual([
      "https://a.example",
      "http://localhost:5173",
    ]);
    expect(() => parseCorsOrigins("https://a.example/app")).toThrow(/not an origin/);
    expect(() => parseCorsOrigins("*")).toThrow(/not an origin/);
  });
});
