import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WARMUP_INSTRUCTION, WARMUP_SIZE, warmupImage } from "./warmup-edit.ts";

const pixel = (image: ReturnType<typeof warmupImage>, x: number, y: number) =>
  Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));

describe("warmupImage", () => {
  it("is a 512x512 RGB picture by default, the same on every call", () => {
    const image = warmupImage();
    expect([image.width, image.height, image.data.length]).toEqual([512, 512, 512 * 512 * 3]);
    expect(WARMUP_SIZE).toBe(512);
    expect(Buffer.from(warmupImage().data).equals(image.data)).toBe(true);
  });

  it("paints the ball the instruction names, on grass, under the sky", () => {
    const image = warmupImage(100, 100);
    expect(WARMUP_INSTRUCTION).toBe("make the ball blue");
    expect(pixel(image, 32, 78)).toEqual([200, 40, 40]); // the ball's centre
    expect(pixel(image, 90, 90)).toEqual([70, 104, 50]); // grass
    expect(pixel(image, 50, 0)).toEqual([120, 170, 235]); // the top of the sky
  });
});

describe("the service's modules", () => {
  it("import nothing from demo/ (the warm-up input is warmupImage)", () => {
    const dir = import.meta.dirname;
    const sources = readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
      .map((name) => [name, readFileSync(join(dir, name), "utf8")] as const);
    expect(sources.map(([name]) => name)).toContain("cold-load.ts");
    expect(sources.filter(([, text]) => /from "(\.\.\/)+demo\//.test(text)).map(([name]) => name)).toEqual(
      [],
    );
  });
});
