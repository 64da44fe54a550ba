import { describe, expect, it } from "vitest";
import { unescapeHtml } from "./html-unescape.ts";

// Expected values are Python 3's html.unescape.
const CASES: ReadonlyArray<readonly [string, string]> = [
  ["no references", "no references"],
  ["&amp;", "&"],
  ["&AMP;", "&"],
  ["&amp", "&"],
  ["&ampfoo", "&foo"],
  ["&notin;", "\u2209"],
  ["&notit;", "\u00acit;"],
  ["&unknown;", "&unknown;"],
  ["&#65;&#x42;&#X43", "ABC"],
  ["&#0;", "\ufffd"],
  ["&#13;", "\r"],
  ["&#1;&#x8;&#11;&#x1F;&#127;", ""],
  ["&#128;&#x81;&#x9F;", "\u20ac\x81\u0178"],
  ["&#xD800;&#x110000;&#99999999999999999999;", "\ufffd\ufffd\ufffd"],
  ["&#xFDD0;&#xFFFE;&#x10FFFF;", ""],
  ["&#x1F600;", "\u{1F600}"],
  ["&;&#;&#x;&", "&;&#;&#x;&"],
  ["&amp;amp;", "&amp;"],
];

describe("unescapeHtml", () => {
  it.each(CASES)("%j", (input, expected) => {
    expect(unescapeHtml(input)).toBe(expected);
  });
});
