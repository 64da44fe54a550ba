import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanInstruction } from "./text.ts";

// Expected values are what CLIP's basic_clean + whitespace_clean + lower() give (without ftfy)
// in Python 3 with the `regex` module, except where a row says the project's rule differs
// (controls removed; escaping removed to a fixed point).
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ["lower-cases", "A Photo OF a Cat", "a photo of a cat"],
  ["collapses spaces and tabs, trims", "  multiple   spaces\tand\ttabs  ", "multiple spaces and tabs"],
  ["line breaks are whitespace", "line\nbreak\r\nend", "line break end"],
  ["Unicode spaces are whitespace", "nbsp\u00a0and\u3000ideographic", "nbsp and ideographic"],
  ["a zero-width space is not whitespace", "\u200bzero width", "\u200bzero width"],
  ["NFC composes accents", "e\u0301t\u00e9", "\u00e9t\u00e9"],
  ["unescapes a named reference", "Tom &amp; Jerry", "tom & jerry"],
  ["unescapes twice", "&amp;lt;b&amp;gt;", "<b>"],
  ["unescapes to a fixed point (CLIP stops after two: &amp;)", "&amp;amp;amp;", "&"],
  ["the issue's case settles at once", "&amp;amp;lt;3", "<3"],
  ["accented named reference", "caf&eacute;", "caf\u00e9"],
  ["decimal reference", "it&#39;s", "it's"],
  ["hex reference", "&#x27;quoted&#x27;", "'quoted'"],
  ["a bare ampersand stays", "AT&T", "at&t"],
  ["legacy name without semicolon, longest prefix", "&notit;", "\u00acit;"],
  ["a control-character reference is dropped", "x&#1;y", "xy"],
  ["a NUL reference becomes U+FFFD", "x&#0;y", "x\ufffdy"],
  ["0x80..0x9F references are windows-1252", "&#150;", "\u2013"],
  ["U+001C..U+001F are removed", "\u001c edge \u001f", "edge"],
  ["U+001C inside is removed", "a\u001cb", "ab"],
  ["NUL and ANSI escapes are removed", "make\u0000 it \u001b[31mred\u001b[0m", "make it [31mred[0m"],
  ["C1 controls are removed, NEL is whitespace", "a\u0085b\u009bc\u007f", "a bc"],
  ["only controls is empty", "\u0001\u0002\u0003", ""],
  ["Greek final sigma", "\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2"],
  ["curly quotes are kept (ftfy would straighten them)", "it\u2019s", "it\u2019s"],
  ["empty", "", ""],
  ["only spaces", "   ", ""],
];

describe("cleanInstruction", () => {
  it.each(CASES)("%s", (_, input, expected) => {
    expect(cleanInstruction(input)).toBe(expected);
  });

  // Fragments that interact: references that build references, controls, case, combining marks.
  const fragment = fc.constantFrom(
    "&",
    "amp;",
    "&amp;",
    "lt;",
    "&#",
    "x",
    "3",
    "2",
    ";",
    " ",
    "\t",
    "A",
    "\u0301",
    "e",
    "\u0000",
    "\u001b",
    "\u0085",
    "\u00a0",
    "\u0130",
    "\u03a3",
    "&eacute",
    "&notin",
  );
  const text = fc.oneof(
    fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join("")),
    fc.string(),
  );

  it("is idempotent: clean(clean(x)) === clean(x)", () => {
    fc.assert(
      fc.property(text, (x) => {
        const once = cleanInstruction(x);
        expect(cleanInstruction(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves no control characters and no edge spaces", () => {
    fc.assert(
      fc.property(text, (x) => {
        const cleaned = cleanInstruction(x);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: checking they are gone
        expect(cleaned).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/u);
        expect(cleaned).toBe(cleaned.trim());
      }),
      { numRuns: 1000 },
    );
  });
});
