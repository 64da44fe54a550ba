import { EDIT_ACTIONS, type EditAction } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { LABELLED_INSTRUCTIONS } from "./labelled-instructions.ts";

describe("LABELLED_INSTRUCTIONS", () => {
  it("has at least 80 distinct, labelled instructions", () => {
    expect(LABELLED_INSTRUCTIONS.length).toBeGreaterThanOrEqual(80);
    const texts = LABELLED_INSTRUCTIONS.map((item) => item.text.toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
    for (const item of LABELLED_INSTRUCTIONS) expect(EDIT_ACTIONS).toContain(item.action);
  });

  it("is roughly 40% change, 35% add, 25% remove", () => {
    const share = (action: EditAction) =>
      LABELLED_INSTRUCTIONS.filter((item) => item.action === action).length / LABELLED_INSTRUCTIONS.length;
    expect(share("change")).toBeCloseTo(0.4, 1);
    expect(share("add")).toBeCloseTo(0.35, 1);
    expect(share("remove")).toBeCloseTo(0.25, 1);
  });

  it.each([
    ["Turn the bicycle into a motorcycle", "change"],
    ["Put a frisbee next to the cat", "add"],
    ["Remove the horse", "remove"],
    ["make his tie blue", "change"],
    ["remove the dog", "remove"],
    ["give him glasses", "add"],
    ["make the cat black", "change"],
    ["remove the saucer", "remove"],
    ["give her sunglasses", "add"],
  ] as const)("includes the example %s as %s", (text, action) => {
    expect(LABELLED_INSTRUCTIONS).toContainEqual({ text, action });
  });
});
