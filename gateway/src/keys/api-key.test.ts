import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32, generateApiKey, hashApiKey, keyHint, parseApiKey } from "./api-key.ts";

describe("api keys", () => {
  it("crc32 matches the standard check value", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32("")).toBe(0);
  });

  it("generates well-formed, distinct keys for both environments", () => {
    const live = generateApiKey("live");
    const test = generateApiKey("test");
    expect(live).toMatch(/^ze_live_[0-9A-Za-z]{36}$/);
    expect(test).toMatch(/^ze_test_[0-9A-Za-z]{36}$/);
    expect(parseApiKey(live)).toEqual({ environment: "live" });
    expect(parseApiKey(test)).toEqual({ environment: "test" });
    expect(new Set(Array.from({ length: 200 }, () => generateApiKey("live"))).size).toBe(200);
  });

  it("rejects any single-character change through the checksum", () => {
    const key = generateApiKey("live");
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: key.length - 1 }),
        fc.constantFrom(..."0123456789abcdefXYZ"),
        (i, c) => {
          fc.pre(key[i] !== c);
          expect(parseApiKey(key.slice(0, i) + c + key.slice(i + 1))).toBeNull();
        },
      ),
    );
  });

  it.each([
    "",
    "ze_live_short",
    "sk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "ze_prod_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  ])("rejects %j", (key) => {
    expect(parseApiKey(key)).toBeNull();
  });

  it("hashes with the pepper (HMAC-SHA256 reference vector)", async () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(await hashApiKey("what do ya want for nothing?", "Jefe")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
    const key = generateApiKey("test");
    expect(await hashApiKey(key, "pepper-a")).not.toBe(await hashApiKey(key, "pepper-b"));
  });

  it("hints show the prefix and the last four characters only", () => {
    expect(keyHint("ze_live_0123456789abcdefghijklmnopqrstuvwxyz")).toBe("ze_live_...wxyz");
  });
});
