import { describe, expect, it } from "vitest";
import { ERROR_CODES, toProblem, ZoneError } from "./errors.ts";

describe("toProblem", () => {
  it("maps a ZoneError to its status, title and a stable type URI", () => {
    const problem = toProblem(new ZoneError("image_too_large", "40 MP is over the 16 MP limit"), "/v1/edit");
    expect(problem).toEqual({
      type: "https://zone-edit.dev/problems/image-too-large",
      title: "Image too large",
      status: 413,
      detail: "40 MP is over the 16 MP limit",
      code: "image_too_large",
      instance: "/v1/edit",
    });
  });

  it("hides the message of unknown errors behind `internal`", () => {
    const problem = toProblem(new Error("secret path /home/x/key"));
    expect(problem.status).toBe(500);
    expect(problem.code).toBe("internal");
    expect(problem.detail).not.toContain("secret");
  });

  it("gives every code a 4xx or 5xx status", () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });
});

describe("problem extensions", () => {
  it("adds a ZoneError's extension members to its problem body", () => {
    const error = new ZoneError("insufficient_credits", "the balance is 3; an edit costs 10", {
      extensions: { balance: 3, price: 10 },
    });
    expect(toProblem(error)).toMatchObject({
      status: 402,
      code: "insufficient_credits",
      balance: 3,
      price: 10,
    });
  });

  it("refuses an extension that would replace a standard member", () => {
    expect(() => new ZoneError("internal", "x", { extensions: { status: 200 } })).toThrow(/status/);
  });
});
