import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { API_KEY_CHALLENGE } from "./app.ts";

describe("401 answers", () => {
  it.each([
    ["/v1/usage", undefined],
    ["/v1/usage", "Bearer ze_live_nope"],
    ["/admin/keys", "Bearer wrong-admin-token"],
  ])("%s with %s carry the Bearer challenge (RFC 9110 11.6.1)", async (path, authorization) => {
    const res = await SELF.fetch(`https://api.test${path}`, {
      headers: authorization ? { authorization } : {},
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(API_KEY_CHALLENGE);
    expect(API_KEY_CHALLENGE).toBe('Bearer realm="zone-edit"');
  });

  it("other problems carry none", async () => {
    const res = await SELF.fetch("https://api.test/nowhere");
    expect(res.status).toBe(404);
    expect(res.headers.get("www-authenticate")).toBeNull();
  });
});
