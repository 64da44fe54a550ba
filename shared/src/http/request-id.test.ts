import { describe, expect, it } from "vitest";
import { REQUEST_ID_HEADER, REQUEST_ID_MAX_LENGTH, REQUEST_ID_OPTIONS } from "./request-id.ts";

describe("REQUEST_ID_OPTIONS", () => {
  it("pins the header and the longest id kept, which both services pass to hono's requestId", () => {
    expect(REQUEST_ID_HEADER).toBe("X-Request-Id");
    expect(REQUEST_ID_MAX_LENGTH).toBe(128);
    expect(REQUEST_ID_OPTIONS).toEqual({ headerName: "X-Request-Id", limitLength: 128 });
  });
});
