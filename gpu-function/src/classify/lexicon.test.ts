import { EDIT_ACTIONS } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { HELD_OUT_ROUND_1, HELD_OUT_ROUND_2 } from "../../test/held-out-instructions.ts";
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
    // Word classes: throwing a new thing in adds it, dropping a present one removes it.
    ["drop a coin in the fountain", "add", "add:throw/drop a"],
    ["drop the umbrella", "remove", "remove:removing verb"],
    ["make the shirt striped", "change", "change:make"],
    ["there should be no people", "remove", "remove:there should be no"],
    ["he must not wear a tie", "remove", "remove:not have"],
    ["make him beardless", "remove", "remove:-less"],
    ["make the glass colorless", "change", "change:make"],
    ["tear the poster down", "remove", "remove:verb + away/off/down"],
    ["glue a badge to the bag", "add", "add:putting verb + a"],
    ["plant roses along the fence", "add", "add:putting verb + things + place"],
    ["top the cake with cherries", "add", "add:furnish ... with"],
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

// The figures measured when each set was done (the report of issue 13); they may only rise.
// Round 1 was measured at 0.9043 before its misses led to more word classes; round 2 is held out.
const ROUNDS = [
  ["round 1 (development since)", HELD_OUT_ROUND_1, 0.99],
  ["round 2 (held out)", HELD_OUT_ROUND_2, 0.98],
] as const;

describe("classifyByLexicon on instructions written after the rules", () => {
  it.each(ROUNDS)("%s", (_, set, floor) => {
    const misses = set.filter((item) => classifyByLexicon(item.text).action !== item.action);
    const accuracy = (set.length - misses.length) / set.length;
    console.log(`lexicon ${_}: ${accuracy.toFixed(4)} (${set.length - misses.length}/${set.length})`);
    for (const m of misses) {
      const got = classifyByLexicon(m.text);
      console.log(`  miss: "${m.text}" labelled ${m.action}, got ${got.action} (${got.cue})`);
    }
    expect(accuracy).toBeGreaterThanOrEqual(floor);
  });
});
