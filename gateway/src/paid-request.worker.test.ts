// What POST /v1/edits and POST /v1/compose share before their own work (routes/paid-request.ts):
// a body that is not multipart/form-data is a 400 problem naming what the body must hold, and
// nothing is held, called or billed.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { API, createKey, settledUsage } from "../test/worker-helpers.ts";

describe("a body that is not multipart/form-data", () => {
  it.each([
    ["/v1/edits", /multipart\/form-data with an `image` file or a `parent`$/],
    ["/v1/compose", /multipart\/form-data with `image` and `edited` files$/],
  ])("%s: 400 naming what it must hold, nothing billed", async (path, detail) => {
    const key = await createKey();
    const res = await SELF.fetch(`${API}${path}`, {
      method: "POST",
      body: JSON.stringify({ instruction: "make it blue" }),
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe("invalid_argument");
    expect(problem.detail).toMatch(detail);
    expect(await settledUsage(key)).toMatchObject({ billedEdits: 0, creditsSpent: 0 });
  });
});
