import { describe, expect, it } from "vitest";
import { BYTE_TO_CHAR, byteSymbols } from "./byte-level.ts";

describe("BYTE_TO_CHAR", () => {
  it("maps the 256 bytes to 256 distinct printable characters", () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    for (const char of BYTE_TO_CHAR) expect(char).not.toMatch(/[\s\p{Cc}]/u);
  });

  it.each([
    [0x21, "!"],
    [0x41, "A"],
    [0x7e, "~"],
    [0xa1, "\u00a1"],
    [0xff, "\u00ff"],
    [0x00, "\u0100"],
    [0x20, "\u0120"],
    [0x7f, "\u0121"],
    [0xad, "\u0143"],
  ])("byte 0x%s", (byte, char) => {
    expect(BYTE_TO_CHAR[byte]).toBe(char);
  });
});

describe("byteSymbols", () => {
  it.each([
    ["cat", ["c", "a", "t"]],
    ["\u00e9", ["\u00c3", "\u00a9"]],
    ["\u{1F600}", ["\u00f0", "\u0141", "\u013a", "\u0122"]],
    ["\ud800", ["\u00ef", "\u00bf", "\u00bd"]],
  ])("%j", (token, symbols) => {
    expect(byteSymbols(token)).toEqual(symbols);
  });
});
