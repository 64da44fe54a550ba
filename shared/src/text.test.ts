import { describe, expect, it } from "vitest";
import { cleanInstruction } from "./text.ts";

// Expected values are what CLIP's basic_clean + whitespace_clean + lower() give (without ftfy)
// in Python 3 with the `regex` module.
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ["lower-cases", "A Photo OF a Cat", "a photo of a cat"],
  ["collapses spaces and tabs, trims", "  multiple   spaces\tand\ttabs  ", "multiple spaces and tabs"],
  ["line breaks are whitespace", "line\nbreak\r\nend", "line break end"],
  ["Unicode spaces are whitespace", "nbsp\u00a0and\u3000ideographic", "nbsp and ideographic"],
  ["a zero-width space is not whitespace", "\u200bzero width", "\u200bzero width"],
  ["NFC composes accents", "e\u0301t\u00e9", "\u00e9t\u00e9"],
  ["unescapes a named reference", "Tom &amp; Jerry", "tom & jerry"],
  ["unescapes twice", "&amp;lt;b&amp;gt;", "<b>"],
  ["but not three times", "&amp;amp;amp;", "&amp;"],
  ["accented named reference", "caf&eacute;", "caf\u00e9"],
  ["decimal reference", "it&#39;s", "it's"],
  ["hex reference", "&#x27;quoted&#x27;", "'quoted'"],
  ["a bare ampersand stays", "AT&T", "at&t"],
  ["legacy name without semicolon, longest prefix", "&notit;", "\u00acit;"],
  ["a control-character reference is dropped", "x&#1;y", "xy"],
  ["a NUL reference becomes U+FFFD", "x&#0;y", "x\ufffdy"],
  ["0x80..0x9F references are windows-1252", "&#150;", "\u2013"],
  ["U+001C..U+001F are trimmed at the ends only", "\u001c edge \u001f", "edge"],
  ["U+001C inside is kept", "a\u001cb", "a\u001cb"],
  ["Greek final sigma", "\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2"],
  ["curly quotes are kept (ftfy would straighten them)", "it\u2019s", "it\u2019s"],
  ["empty", "", ""],
  ["only spaces", "   ", ""],
];

describe("cleanInstruction", () => {
  it.each(CASES)("%s", (_, input, expected) => {
    expect(cleanInstruction(input)).toBe(expected);
  });

  it("is idempotent on cleaned text without references", () => {
    for (const [, , expected] of CASES) {
      if (!expected.includes("&")) expect(cleanInstruction(expected)).toBe(expected);
    }
  });
});
