import { describe, expect, it } from "vitest";
import { prefersImage } from "./accept.ts";

describe("prefersImage", () => {
  it.each([
    ["image/png", true],
    ["image/*", true],
    ["image/webp", true],
    ["IMAGE/PNG", true],
    ["image/png, */*", true],
    ["application/json;q=0.5, image/png", true],
    ["text/html,application/xhtml+xml,image/avif,image/webp,*/*;q=0.8", true],
    [undefined, false],
    ["", false],
    ["*/*", false],
    ["application/json", false],
    ["application/json, image/png;q=0.9", false],
    ["image/png;q=0", false],
  ])("%s -> %s", (accept, expected) => {
    expect(prefersImage(accept)).toBe(expected);
  });
});
