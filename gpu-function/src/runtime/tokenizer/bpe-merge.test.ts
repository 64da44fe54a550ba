import { describe, expect, it } from "vitest";
import { bpeMerge, pairKey } from "./bpe-merge.ts";

function ranks(...pairs: [string, string][]): Map<string, number> {
  return new Map(pairs.map(([a, b], rank) => [pairKey(a, b), rank]));
}

describe("bpeMerge", () => {
  it.each([
    ["no merges", ["a", "b</w>"], ranks(), ["a", "b</w>"]],
    ["one symbol", ["a</w>"], ranks(["a", "b"]), ["a</w>"]],
    ["lowest rank first", ["a", "b", "c</w>"], ranks(["b", "c</w>"], ["a", "b"]), ["a", "bc</w>"]],
    ["merges build on merges", ["l", "o", "w</w>"], ranks(["l", "o"], ["lo", "w</w>"]), ["low</w>"]],
    [
      "every occurrence, left to right, no overlap",
      ["a", "a", "a", "a</w>"],
      ranks(["a", "a"]),
      ["aa", "a", "a</w>"],
    ],
    ["odd runs keep the last", ["a", "a", "a"], ranks(["a", "a"], ["aa", "a"]), ["aaa"]],
    ["the end-of-word form is a different symbol", ["a", "a</w>"], ranks(["a", "a"]), ["a", "a</w>"]],
  ] as const)("%s", (_, symbols, table, expected) => {
    expect(bpeMerge(symbols, table)).toEqual(expected);
  });

  it("does not modify its input", () => {
    const symbols = ["a", "b</w>"];
    bpeMerge(symbols, ranks(["a", "b</w>"]));
    expect(symbols).toEqual(["a", "b</w>"]);
  });
});
