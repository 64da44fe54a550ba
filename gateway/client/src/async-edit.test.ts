// The headers of createEdit's async options, and the values refused before any request.
import { describe, expect, it } from "vitest";
import { asyncEditHeaders } from "./async-edit.ts";

describe("asyncEditHeaders", () => {
  it("writes Prefer (RFC 7240) and Cancel-After", () => {
    expect(asyncEditHeaders({})).toEqual({});
    expect(asyncEditHeaders({ respondAsync: true })).toEqual({ prefer: "respond-async" });
    expect(asyncEditHeaders({ wait: 0 })).toEqual({ prefer: "wait=0" });
    expect(asyncEditHeaders({ respondAsync: true, wait: 5, cancelAfterSeconds: 90 })).toEqual({
      prefer: "respond-async, wait=5",
      "cancel-after": "90",
    });
    expect(asyncEditHeaders({ cancelAfterSeconds: 1 })).toEqual({ "cancel-after": "1" });
  });

  it("refuses a wait or Cancel-After that is not whole seconds", () => {
    expect(() => asyncEditHeaders({ wait: 1.5 })).toThrow(RangeError);
    expect(() => asyncEditHeaders({ wait: -1 })).toThrow(RangeError);
    expect(() => asyncEditHeaders({ cancelAfterSeconds: 0 })).toThrow(RangeError);
    expect(() => asyncEditHeaders({ cancelAfterSeconds: 2.5 })).toThrow(RangeError);
  });
});
