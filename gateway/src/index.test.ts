import { describe, expect, it } from "vitest";
import { app } from "./index.ts";

describe("gateway skeleton", () => {
  it("answers /healthz", async () => {
    const res = await app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("answers unknown routes with a 404 problem+json", async () => {
    const res = await app.request("/v1/edit", { method: "POST" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({
      status: 404,
      code: "not_found",
      detail: "no route for POST /v1/edit",
    });
  });
});
