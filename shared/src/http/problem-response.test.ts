import { describe, expect, it } from "vitest";
import { ZoneError } from "../errors.ts";
import { PROBLEM_CONTENT_TYPE, problemResponse } from "./problem-response.ts";
import { REQUEST_ID_HEADER } from "./request-id.ts";

describe("problemResponse", () => {
  it("answers a ZoneError with its status and RFC 9457 body, the request id and the instance", async () => {
    const res = problemResponse(new ZoneError("not_found", "no route for GET /x"), {
      instance: "/x",
      requestId: "req-1",
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
    expect(PROBLEM_CONTENT_TYPE).toBe("application/problem+json");
    expect(res.headers.get(REQUEST_ID_HEADER)).toBe("req-1");
    expect(res.headers.get("retry-after")).toBeNull();
    expect(await res.json()).toEqual({
      type: "https://zone-edit.dev/problems/not-found",
      title: "Not found",
      status: 404,
      detail: "no route for GET /x",
      code: "not_found",
      instance: "/x",
    });
  });

  it("sends Retry-After from the error", () => {
    const res = problemResponse(new ZoneError("overloaded", "busy", { retryAfterSeconds: 7 }));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("7");
  });

  it("sends Retry-After 0 (a value, not a missing one)", () => {
    const res = problemResponse(new ZoneError("overloaded", "busy", { retryAfterSeconds: 0 }));
    expect(res.headers.get("retry-after")).toBe("0");
  });

  it("hides unknown errors behind a 500 internal problem", async () => {
    const res = problemResponse(new Error("secret path /home/x/key"), { instance: "/v1/edit" });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe("internal");
    expect(body.detail).not.toContain("secret");
  });

  it("sends the WWW-Authenticate challenge with a 401 only", () => {
    const challenge = 'Bearer realm="test"';
    const unauthorized = problemResponse(new ZoneError("unauthorized", "no token"), {
      wwwAuthenticate: challenge,
    });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("www-authenticate")).toBe(challenge);
    const badRequest = problemResponse(new ZoneError("bad_request", "no"), { wwwAuthenticate: challenge });
    expect(badRequest.headers.get("www-authenticate")).toBeNull();
    expect(problemResponse(new ZoneError("unauthorized", "no token")).headers.has("www-authenticate")).toBe(
      false,
    );
  });

  it("adds further headers, but never lets them replace its own", () => {
    const res = problemResponse(new ZoneError("payload_too_large", "too big"), {
      requestId: "req-2",
      headers: { connection: "close", "content-type": "text/plain", [REQUEST_ID_HEADER]: "other" },
    });
    expect(res.headers.get("connection")).toBe("close");
    expect(res.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
    expect(res.headers.get(REQUEST_ID_HEADER)).toBe("req-2");
  });

  it("leaves out X-Request-Id and instance when not given", async () => {
    const res = problemResponse(new ZoneError("bad_request", "no"));
    expect(res.headers.has(REQUEST_ID_HEADER)).toBe(false);
    expect(await res.json()).not.toHaveProperty("instance");
  });
});
