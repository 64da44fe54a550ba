// /healthz names the bundle and says whether it is the fixture bundle (the playground's notice).
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "./app.ts";
import type { Env } from "./env.ts";

describe("GET /healthz", () => {
  it("names the bundle; a real one is not fixtures", async () => {
    const response = await SELF.fetch("https://api.test/healthz");
    expect(await response.json()).toEqual({ status: "ok", bundleVersion: "test-bundle", fixtures: false });
  });

  it.each([
    ["fixtures-v3-0123456789ab", true],
    ["fixtures", true],
    ["zone-sd15-ip2p-2026.04", false],
  ])("BUNDLE_VERSION %s: fixtures %s", async (bundle, fixtures) => {
    const response = await app.request(
      "https://api.test/healthz",
      {},
      { ...(env as unknown as Env), BUNDLE_VERSION: bundle },
    );
    expect(await response.json()).toMatchObject({ bundleVersion: bundle, fixtures });
  });
});
