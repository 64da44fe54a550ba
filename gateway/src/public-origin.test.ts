import { describe, expect, it } from "vitest";
import { publicOrigin } from "./public-origin.ts";

describe("publicOrigin", () => {
  it("is the configured base URL whatever the request's Host says", () => {
    expect(publicOrigin({ PUBLIC_BASE_URL: "https://api.zone-edit.dev" }, "http://evil.test/v1/edits")).toBe(
      "https://api.zone-edit.dev",
    );
    expect(
      publicOrigin({ PUBLIC_BASE_URL: "https://example.com/zone/" }, "http://127.0.0.1:8787/v1/edits"),
    ).toBe("https://example.com/zone");
  });

  it("follows the request only when unset (local development)", () => {
    expect(publicOrigin({}, "http://127.0.0.1:8787/v1/edits?x=1")).toBe("http://127.0.0.1:8787");
    expect(publicOrigin({ PUBLIC_BASE_URL: " " }, "http://localhost:8787/v1/edits")).toBe(
      "http://localhost:8787",
    );
  });

  it("refuses a malformed setting instead of building broken links", () => {
    expect(() => publicOrigin({ PUBLIC_BASE_URL: "api.zone-edit.dev" }, "http://x.test/")).toThrow(
      /absolute/,
    );
    expect(() => publicOrigin({ PUBLIC_BASE_URL: "https://a.test/?v=1" }, "http://x.test/")).toThrow(/query/);
  });
});
