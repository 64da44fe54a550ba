// requireBearer on a bare Hono app; the grammar and the comparison are tested in
// shared/src/http/bearer.test.ts, the 401 over HTTP (with WWW-Authenticate) in service.test.ts.
import type { ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { BEARER_CHALLENGE, requireBearer } from "./auth.ts";

function guarded(secret: string | null) {
  const app = new Hono();
  app.use(requireBearer(secret));
  app.get("/", (c) => c.text("in"));
  app.onError((error) => new Response((error as ZoneError).code, { status: (error as ZoneError).status }));
  return (authorization?: string) =>
    app.request("/", { headers: authorization === undefined ? {} : { authorization } });
}

describe("requireBearer", () => {
  const secret = "s3cret-s3cret-s3cret";

  it.each([
    ["the right token", `Bearer ${secret}`, 200],
    ["the right token, scheme in lower case", `bearer ${secret}`, 200],
    ["no header", undefined, 401],
    ["a wrong token", "Bearer s3cret-s3cret-s3cre", 401],
    ["a longer token", `Bearer ${secret}x`, 401],
    ["another scheme", `Basic ${secret}`, 401],
  ])("%s: %j -> %i", async (_, authorization, status) => {
    const res = await guarded(secret)(authorization);
    expect(res.status).toBe(status);
    if (status === 401) expect(await res.text()).toBe("unauthorized");
  });

  it("lets everything through without a secret", async () => {
    expect((await guarded(null)()).status).toBe(200);
  });

  it("challenges for a Bearer token in the zone-gpu realm", () => {
    expect(BEARER_CHALLENGE).toBe('Bearer realm="zone-gpu"');
  });
});
