import { describe, expect, it } from "vitest";
import { ensureFixtureBundle } from "../fixtures/fixture-bundle.ts";
import { openBundle } from "../runtime/bundle/bundle.ts";
import { actionFromLogits, loadActionModel } from "./action-model.ts";

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

describe("loadActionModel", () => {
  it("classifies through the fixture text encoder and MLP, deterministically", async () => {
    const loaded = await loadActionModel(await openBundle(await ensureFixtureBundle(), true));
    expect(loaded).not.toBeNull();
    const a = await loaded!.model("remove the dog");
    const b = await loaded!.model("remove the dog");
    expect(["change", "add", "remove"]).toContain(a);
    expect(b).toBe(a);
    await loaded!.release();
  });
});
