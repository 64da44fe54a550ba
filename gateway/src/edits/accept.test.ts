import { describe, expect, it } from "vitest";
import { acceptedImageFormat, prefersImage } from "./accept.ts";

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

describe("acceptedImageFormat", () => {
  it.each([
    ["image/png", "png"],
    ["image/*", "png"],
    ["image/webp", "webp"],
    ["image/jpeg", "jpeg"],
    ["image/jpg", "jpeg"],
    ["image/webp, image/png", "png"],
    ["image/png;q=0.5, image/webp", "webp"],
    ["text/html,application/xhtml+xml,image/avif,image/webp,*/*;q=0.8", "webp"],
    ["image/avif", null],
    ["image/webp;q=0, image/*;q=0.1", "png"],
    ["application/json", null],
    [undefined, null],
  ])("%s -> %s", (accept, expected) => {
    expect(acceptedImageFormat(accept)).toBe(expected);
  });
});
