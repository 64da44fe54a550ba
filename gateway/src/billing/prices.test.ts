import { describe, expect, it } from "vitest";
import {
  DEFAULT_PRICES,
  DEFAULT_TEST_EDITS_PER_DAY,
  priceFor,
  pricesFrom,
  testEditsPerDay,
} from "./prices.ts";

describe("prices", () => {
  it("defaults to 10 credits an edit, 5 a fast edit and 2 a compose (no diffusion: the cheapest)", () => {
    expect(pricesFrom({})).toEqual({ edit: 10, fast_edit: 5, compose: 2 });
    expect(DEFAULT_PRICES).toEqual({ edit: 10, fast_edit: 5, compose: 2 });
    expect(DEFAULT_PRICES.compose).toBeLessThan(DEFAULT_PRICES.fast_edit);
  });

  it("takes PRICES as JSON, each operation overridable alone", () => {
    expect(pricesFrom({ PRICES: '{"edit":12}' })).toEqual({ edit: 12, fast_edit: 5, compose: 2 });
    expect(pricesFrom({ PRICES: '{"edit":12,"fast_edit":0}' })).toEqual({
      edit: 12,
      fast_edit: 0,
      compose: 2,
    });
    expect(pricesFrom({ PRICES: '{"compose":1}' })).toEqual({ edit: 10, fast_edit: 5, compose: 1 });
  });

  it("refuses a malformed PRICES rather than billing at a guess", () => {
    for (const bad of ["edit=10", '{"edit":-1}', '{"edit":1.5}', '{"render":1}', '{"edit":"10"}'])
      expect(() => pricesFrom({ PRICES: bad }), bad).toThrow(/PRICES/);
  });

  it("prices by mode, and test keys pay nothing", () => {
    const prices = { edit: 10, fast_edit: 4, compose: 2 };
    expect(priceFor(prices, { environment: "live" }, { mode: "default" })).toEqual({
      operation: "edit",
      units: 10,
    });
    expect(priceFor(prices, { environment: "live" }, { mode: "fast" })).toEqual({
      operation: "fast_edit",
      units: 4,
    });
    expect(priceFor(prices, { environment: "test" }, { mode: "default" })).toEqual({
      operation: "edit",
      units: 0,
    });
    const withCompose = { ...prices, compose: 3 };
    expect(priceFor(withCompose, { environment: "live" }, { operation: "compose" })).toEqual({
      operation: "compose",
      units: 3,
    });
    expect(priceFor(withCompose, { environment: "test" }, { operation: "compose" })).toEqual({
      operation: "compose",
      units: 0,
    });
  });

  it("gives test keys 100 edits a day unless configured", () => {
    expect(testEditsPerDay({})).toBe(DEFAULT_TEST_EDITS_PER_DAY);
    expect(DEFAULT_TEST_EDITS_PER_DAY).toBe(100);
    expect(testEditsPerDay({ TEST_EDITS_PER_DAY: "0" })).toBe(0);
    expect(() => testEditsPerDay({ TEST_EDITS_PER_DAY: "-1" })).toThrow(/TEST_EDITS_PER_DAY/);
  });
});
