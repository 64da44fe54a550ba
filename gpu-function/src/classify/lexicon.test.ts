import { EDIT_ACTIONS } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { LABELLED_INSTRUCTIONS } from "../../test/labelled-instructions.ts";
import { classifyByLexicon, LEXICON_RULES, normaliseInstruction } from "./lexicon.ts";

describe("classifyByLexicon on the labelled instructions", () => {
  it("reaches an accuracy of at least 0.95", () => {
    const misses = LABELLED_INSTRUCTIONS.map((item) => ({
      ...item,
      got: classifyByLexicon(item.text),
    })).filter((item) => item.got.action !== item.action);
    const total = LABELLED_INSTRUCTIONS.length;
    const accuracy = (total - misses.length) / total;
    console.log(`lexicon accuracy: ${accuracy.toFixed(4)} (${total - misses.length}/${total})`);
    for (const m of misses) {
      console.log(`  misclassified: "${m.text}" labelled ${m.action}, got ${m.got.action} (${m.got.cue})`);
    }
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe("classifyByLexicon on ambiguous phrasings", () => {
  it.each([
    ["replace the dog with a cat", "change", "change:replace"],
    ["swap the cup for a glass", "change", "change:replace"],
    ["put on a hat", "add", "add:put"],
    ["take off his hat", "remove", "remove:take away/out/off"],
    ["make the sky blue", "change", "change:make"],
    ["give him glasses", "add", "add:give"],
    // Removing an attribute keeps the object in both images: a change, not a removal.
    ["remove the color", "change", "change:attribute"],
    ["give the photo a vintage look", "change", "change:attribute"],
    ["add some blur to the background", "change", "change:attribute"],
    // A swap written as two steps is a change.
    ["remove the hat and put on a crown", "change", "change:remove and add"],
    ["replace the hat with nothing", "remove", "remove:with nothing"],
    ["make the dog disappear", "remove", "remove:disappear"],
    ["make the dog disappear into the fog", "remove", "remove:disappear"],
    ["make the dog wear a hat", "add", "add:wear"],
    ["make the shirt he is wearing red", "change", "change:make"],
    ["turn the dog into a cat", "change", "change:turn into"],
    ["paint the wall red", "change", "change:paint"],
    ["paint a mural on the wall", "add", "add:paint a"],
    ["put out the candle", "remove", "remove:cut/wipe out"],
    ["add an empty glass", "add", "add:add"],
    ["make the room empty", "remove", "remove:empty"],
    ["make the plant green", "change", "change:make"],
    ["a dog without a collar", "remove", "remove:without"],
    ["the man with a hat on", "add", "add:with a ... on"],
  ] as const)("%s -> %s", (text, action, cue) => {
    expect(classifyByLexicon(text)).toEqual({ action, cue });
  });

  it("defaults to change with a null cue when no rule matches", () => {
    expect(classifyByLexicon("the dog should be a wolf")).toEqual({ action: "change", cue: null });
    expect(classifyByLexicon("")).toEqual({ action: "change", cue: null });
  });
});

describe("normalisation and determinism", () => {
  it("ignores case, spacing, punctuation, curly quotes and leading politeness", () => {
    expect(normaliseInstruction("  Please,  REMOVE\tthe dog!! ")).toBe("remove the dog");
    expect(normaliseInstruction("Turn the cat\u2019s fur white.")).toBe("turn the cat's fur white");
    expect(normaliseInstruction("make it car-free")).toBe("make it car-free");
    const variants = ["Get rid of the dog", "  get   RID of the dog. ", "Could you get rid of the dog?"];
    for (const text of variants) {
      expect(classifyByLexicon(text)).toEqual({ action: "remove", cue: "remove:get rid of" });
    }
  });

  it("gives the same answer every time (global regexes would not)", () => {
    for (const { text } of LABELLED_INSTRUCTIONS) {
      const first = classifyByLexicon(text);
      expect(classifyByLexicon(text)).toEqual(first);
      expect(classifyByLexicon(text)).toEqual(first);
    }
  });

  it("keeps the rules as well-formed data", () => {
    for (const r of LEXICON_RULES) {
      expect(EDIT_ACTIONS).toContain(r.action);
      expect(r.cue.startsWith(`${r.action}:`)).toBe(true);
      expect(r.pattern.global || r.pattern.sticky).toBe(false);
    }
    expect(new Set(LEXICON_RULES.map((r) => r.cue)).size).toBe(LEXICON_RULES.length);
  });
});
