import { describe, expect, it } from "vitest";
import { cacheKey, canonicalJson, sha256Hex } from "./cache-key.ts";

const base = {
  imageSha256: "a".repeat(64),
  instruction: "make the cat black",
  params: { seed: 42, steps: 20, mode: "default" },
  bundleVersion: "b1",
};

describe("cacheKey", () => {
  it("is SHA-256 (reference vector) over canonical JSON", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, e: "x" }] })).toBe(
      '{"a":[{"d":2,"e":"x"}],"b":1}',
    );
  });

  it("ignores key order and spelling the tokenizer ignores", async () => {
    const a = await cacheKey(base);
    expect(await cacheKey({ ...base, params: { mode: "default", steps: 20, seed: 42 } })).toBe(a);
    expect(await cacheKey({ ...base, instruction: "  Make   the CAT black " })).toBe(a);
    expect(await cacheKey({ ...base, instruction: "make the cat &amp;black" })).not.toBe(a);
  });

  it("changes with anything that changes the output", async () => {
    const a = await cacheKey(base);
    const variants = [
      { ...base, imageSha256: "b".repeat(64) },
      { ...base, instruction: "make the cat white" },
      { ...base, params: { ...base.params, seed: 43 } },
      { ...base, params: { ...base.params, steps: 21 } },
      { ...base, bundleVersion: "b2" },
    ];
    const keys = await Promise.all(variants.map(cacheKey));
    expect(new Set([a, ...keys]).size).toBe(variants.length + 1);
  });
});
