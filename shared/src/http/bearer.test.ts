import { describe, expect, it } from "vitest";
import { bearerToken, isBearerToken, timingSafeEqualText } from "./bearer.ts";

describe("bearerToken", () => {
  it.each([
    // The scheme is case-insensitive.
    ["Bearer abc", "abc"],
    ["bearer abc", "abc"],
    ["BEARER abc", "abc"],
    ["BeArEr abc", "abc"],
    // One or more spaces after the scheme; whitespace around the whole value is not part of it.
    ["Bearer   abc", "abc"],
    ["  Bearer abc \t", "abc"],
    // Every b64token character, and "=" padding at the end only.
    ["Bearer AZaz09-._~+/", "AZaz09-._~+/"],
    ["Bearer YWJj==", "YWJj=="],
    ["Bearer ze_live_0123456789abcdefghijABCDEFGHIJ012345", "ze_live_0123456789abcdefghijABCDEFGHIJ012345"],
    // Not a bearer token.
    ["Bearer ab=c", null],
    ["Bearer ==", null],
    ["Bearer a b", null],
    ["Bearer\tabc", null],
    ["Bearer", null],
    ["Bearer ", null],
    ["Bearerabc", null],
    ["Basic YWJj", null],
    ['Bearer "abc"', null],
    ["Bearer ab,c", null],
    ["Bearer äbc", null],
    ["Bearer abc, Basic x", null],
    ["", null],
    [null, null],
    [undefined, null],
  ])("%j -> %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe("isBearerToken", () => {
  it.each([
    ["0123456789abcdef", true],
    ["YWJj==", true],
    ["", false],
    ["has space", false],
    ["pa$$word", false],
    ["a=b", false],
  ])("%j -> %s", (value, want) => {
    expect(isBearerToken(value)).toBe(want);
  });
});

describe("timingSafeEqualText", () => {
  it.each([
    ["s3cret-s3cret-s3cret", "s3cret-s3cret-s3cret", true],
    ["s3cret-s3cret-s3cre", "s3cret-s3cret-s3cret", false],
    ["s3cret-s3cret-s3cret-and-more", "s3cret-s3cret-s3cret", false],
    ["", "s3cret-s3cret-s3cret", false],
    ["", "", true],
    ["S3CRET-S3CRET-S3CRET", "s3cret-s3cret-s3cret", false],
    ["äöü-secret", "äöü-secret", true],
  ])("%j against %j -> %s (any lengths, no throw)", async (given, expected, want) => {
    expect(await timingSafeEqualText(given, expected)).toBe(want);
  });
});
