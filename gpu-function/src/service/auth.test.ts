import { describe, expect, it } from "vitest";
import { bearerToken, secretsMatch } from "./auth.ts";

describe("secretsMatch", () => {
  it.each([
    ["s3cret-s3cret-s3cret", "s3cret-s3cret-s3cret", true],
    ["s3cret-s3cret-s3cre", "s3cret-s3cret-s3cret", false],
    ["s3cret-s3cret-s3cret-and-more", "s3cret-s3cret-s3cret", false],
    ["", "s3cret-s3cret-s3cret", false],
    ["S3CRET-S3CRET-S3CRET", "s3cret-s3cret-s3cret", false],
    ["äöü-secret", "äöü-secret", true],
  ])("%j against %j -> %s (any lengths, no throw)", (given, expected, want) => {
    expect(secretsMatch(given, expected)).toBe(want);
  });
});

describe("bearerToken", () => {
  it.each([
    ["Bearer abc.def-123", "abc.def-123"],
    ["bearer abc", "abc"],
    ["BEARER  abc ", "abc"],
    ["Basic abc", null],
    ["Bearer", null],
    ["Bearer a b", null],
    [undefined, null],
  ])("%j -> %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
