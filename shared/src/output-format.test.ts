import { describe, expect, it } from "vitest";
import { ZoneError } from "./errors.ts";
import { CONTENT_TYPES, LOSSLESS_FORMATS, OUTPUT_DEFAULTS, outputChoice } from "./output-format.ts";

describe("output choices", () => {
  it("defaults: PNG, ICC only, the working-size mask, JPEG quality 90 when JPEG is asked without one", () => {
    expect(OUTPUT_DEFAULTS).toEqual({
      format: "png",
      metadata: "strip",
      maskSize: "working",
      jpegQuality: 90,
    });
    expect(outputChoice()).toEqual({ format: "png", quality: null, metadata: "strip" });
    expect(outputChoice({ format: "jpeg" })).toEqual({ format: "jpeg", quality: 90, metadata: "strip" });
    expect(outputChoice({ format: "jpeg", quality: 55, metadata: "keep" })).toEqual({
      format: "jpeg",
      quality: 55,
      metadata: "keep",
    });
  });

  it("refuses a quality for a lossless format", () => {
    expect(() => outputChoice({ format: "webp", quality: 80 })).toThrow(ZoneError);
  });

  it("only PNG and WebP are lossless; each format has its content type", () => {
    expect(LOSSLESS_FORMATS).toEqual(["png", "webp"]);
    expect(CONTENT_TYPES).toEqual({ png: "image/png", webp: "image/webp", jpeg: "image/jpeg" });
  });
});
