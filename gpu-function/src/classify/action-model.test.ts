import { describe, expect, it } from "vitest";
import { ensureFixtureBundle } from "../fixtures/fixture-bundle.ts";
import { openBundle } from "../runtime/bundle/bundle.ts";
import { actionFromLogits, actionFromTokenLogits, loadActionModel } from "./action-model.ts";

describe("actionFromLogits", () => {
  it.each([
    [[3, 1, 2], "change"],
    [[0, 5, 1], "add"],
    [[-1, -2, 0.5], "remove"],
    [[1, 1, 0], "change"],
  ] as const)("%j -> %s", (logits, action) => {
    expect(actionFromLogits(Float32Array.from(logits))).toBe(action);
  });
});

describe("actionFromTokenLogits (the release's reduction)", () => {
  // Rows are tokens, columns change / add / remove.
  const rows = (...r: number[][]) => Float32Array.from(r.flat());
  it("takes per class the token of its peak, and the class whose peak is latest", () => {
    // change peaks at token 0, add at token 2, remove at token 1: add wins although its logits
    // are never the largest of a row.
    expect(actionFromTokenLogits(rows([9, 0, 0], [0, 0, 5], [0, 1, 0]), 3)).toBe("add");
    // Plain argmax of the last row would say remove; the latest peak is change's (token 2).
    expect(actionFromTokenLogits(rows([0, 3, 0], [0, 0, 2], [4, 0, 3]), 3)).toBe("change");
  });

  it("takes the first token of equal maxima per class, and the first class of equal peaks", () => {
    // Every class peaks first at token 0 (ties later do not count): change, the first class.
    expect(actionFromTokenLogits(rows([1, 1, 1], [1, 1, 1]), 2)).toBe("change");
    expect(actionFromTokenLogits(rows([1, 0, 0], [0, 0, 1], [0, 0, 1]), 3)).toBe("remove");
    expect(() => actionFromTokenLogits(rows([1, 0]), 1)).toThrow(RangeError);
  });
});

describe("loadActionModel", () => {
  it("gives no model for the fixture bundle: its untrained MLP must not overrule the lexicon", async () => {
    expect(await loadActionModel(await openBundle(await ensureFixtureBundle(), true))).toBeNull();
  });

  it.each(["latest-peak", "pooled"] as const)(
    "%s: classifies through the fixture text encoder and MLP (untrained: on), deterministically",
    async (reduction) => {
      const bundle = await openBundle(await ensureFixtureBundle(), true);
      const loaded = await loadActionModel(bundle, { untrained: true, reduction });
      expect(loaded).not.toBeNull();
      const a = await loaded!.model("remove the dog");
      const b = await loaded!.model("remove the dog");
      expect(["change", "add", "remove"]).toContain(a);
      expect(b).toBe(a);
      await loaded!.release();
    },
  );
});
