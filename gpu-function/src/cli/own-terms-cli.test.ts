// `zone compose` and `zone edit` (fixture models) on files that are not 8-bit sRGB: the result
// keeps the input's depth, alpha and profile, every pixel where mask-edit.png is 0 is the input's
// own, --format / --quality / --metadata choose the file, and CMYK is refused with its code.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { builtInProfile, cmykJpeg, ownPixels, sceneFile } from "../../test/input-files.ts";
import { embedInJpeg } from "../image/container-metadata.ts";
import { GPS_IFD_TAG, ifd0Tags, ORIENTATION_TAG } from "../image/exif.ts";
import { main } from "./main.ts";

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

async function tempFile(name: string, bytes: Uint8Array): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), "zone-own-"));
  await writeFile(join(dir, name), bytes);
  return { dir, path: join(dir, name) };
}

describe("zone edit --models fixtures in the input's own terms", () => {
  it("16-bit Display P3 RGBA: every pixel with layer alpha 0 is identical, alpha everywhere, profile byte for byte", async () => {
    const p3 = await builtInProfile("p3");
    const file = await sceneFile({ width: 64, height: 48, depth: 16, alpha: true, icc: p3 });
    const { dir, path } = await tempFile("in.png", file.bytes);
    const out = join(dir, "out");
    const r = await run(
      "edit",
      path,
      "make the ball blue",
      "--models",
      "fixtures",
      "--steps",
      "2",
      "--sam",
      "off",
      "--out",
      out,
    );
    expect(r.stderr).not.toMatch(/zone:/);
    expect(r.code).toBe(0);
    const meta = JSON.parse(await readFile(join(out, "meta.json"), "utf8"));
    expect(meta.resultFile).toEqual({
      name: "result.png",
      format: "png",
      metadata: "strip",
      depth: 16,
      alpha: true,
      icc: true,
    });
    const back = await ownPixels(await readFile(join(out, "result.png")));
    expect(back).toMatchObject({ depth: 16, channels: 4 });
    expect(Buffer.from(back.icc ?? [])).toEqual(Buffer.from(p3));
    const mask = await sharp(await readFile(join(out, "mask-edit.png")))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(mask.info).toMatchObject({ width: 64, height: 48 });
    let outside = 0;
    for (let i = 0; i < 64 * 48; i++) {
      expect(back.pixels[i * 4 + 3]).toBe(file.pixels[i * 4 + 3]);
      if (mask.data[i * mask.info.channels] !== 0) continue;
      outside++;
      for (let c = 0; c < 3; c++) expect(back.pixels[i * 4 + c]).toBe(file.pixels[i * 4 + c]);
    }
    expect(outside).toBeGreaterThan(0);
    expect(meta.changedPixels).toBeGreaterThan(0);
  }, 30_000);
});

describe("zone compose: formats, metadata, refusals", () => {
  it("--format webp and jpeg write result.webp / result.jpg with the profile; --quality needs jpeg", async () => {
    const p3 = await builtInProfile("p3");
    const file = await sceneFile({ width: 40, height: 30, depth: 8, alpha: false, icc: p3 });
    const { dir, path } = await tempFile("in.png", file.bytes);
    for (const [args, name, format] of [
      [["--format", "webp"], "result.webp", "webp"],
      [["--format", "jpeg", "--quality", "75"], "result.jpg", "jpeg"],
    ] as const) {
      const out = join(dir, format);
      const r = await run("compose", "--original", path, "--edited", path, "--out", out, "--json", ...args);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.files[0]).toBe(name);
      const bytes = await readFile(join(out, name));
      expect((await sharp(bytes).metadata()).format).toBe(format);
      const back = await ownPixels(bytes);
      expect(Buffer.from(back.icc ?? [])).toEqual(Buffer.from(p3));
      if (format === "webp") expect(back.pixels).toEqual(file.pixels);
    }
    const bad = await run("compose", "--original", path, "--edited", path, "--out", dir, "--quality", "75");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--quality needs --format jpeg/);
  });

  it("a 16-bit input as WebP is refused (unsupported_output); CMYK is refused (unsupported_colour_space)", async () => {
    const file = await sceneFile({ width: 20, height: 10, depth: 16, alpha: false, icc: null });
    const { dir, path } = await tempFile("in16.png", file.bytes);
    const webp = await run("compose", "--original", path, "--edited", path, "--out", dir, "--format", "webp");
    expect(webp.code).toBe(1);
    expect(webp.stderr).toMatch(/WebP holds 8 bits/);
    const cmyk = await tempFile("cmyk.jpg", await cmykJpeg());
    const r = await run("compose", "--original", cmyk.path, "--edited", cmyk.path, "--out", cmyk.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CMYK: the result could not be returned in the file's own colour space/);
  });

  it("--metadata: strip by default, keep drops GPS and resets orientation, keep-gps keeps GPS", async () => {
    // A rotated JPEG with GPS: EXIF written by sharp, then read back as the TIFF block.
    const rotated = await sharp({ create: { width: 24, height: 16, channels: 3, background: "#208040" } })
      .jpeg()
      .withExif({
        IFD0: { Copyright: "zone test" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(rotated).metadata()).orientation).toBe(6);
    const { dir, path } = await tempFile("in.jpg", rotated);
    const exifOf = async (out: string) => {
      const m = await sharp(await readFile(join(out, "result.png"))).metadata();
      // libvips may hand the PNG's eXIf back with or without the "Exif\0\0" prefix.
      const tiff =
        m.exif && m.exif.subarray(0, 4).toString("latin1") === "Exif" ? m.exif.subarray(6) : m.exif;
      return { m, tags: tiff ? ifd0Tags(new Uint8Array(tiff)) : null };
    };
    for (const [choice, expectGps] of [
      ["strip", null],
      ["keep", false],
      ["keep-gps", true],
    ] as const) {
      const out = join(dir, choice);
      const r = await run(
        "compose",
        "--original",
        path,
        "--edited",
        path,
        "--out",
        out,
        "--metadata",
        choice,
      );
      expect(r.code).toBe(0);
      const { m, tags } = await exifOf(out);
      expect({ width: m.width, height: m.height }).toEqual({ width: 16, height: 24 }); // upright
      if (expectGps === null) {
        expect(m.exif).toBeUndefined();
        continue;
      }
      expect(tags?.get(ORIENTATION_TAG)).toBe(1);
      expect(tags?.has(GPS_IFD_TAG)).toBe(expectGps);
      expect(m.exif?.includes("zone test")).toBe(true);
    }
  });

  it("splices a multi-segment ICC profile into a JPEG that reads back byte for byte", async () => {
    const big = new Uint8Array(150_000).map((_, i) => (i * 31) % 251);
    const p3 = await builtInProfile("p3");
    big.set(p3.subarray(0, 128)); // a valid header, so the decoder reads it as RGB
    const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#102030" } })
      .jpeg()
      .toBuffer();
    const tagged = embedInJpeg(plain, { icc: big, exif: null, xmp: null });
    expect(Buffer.from((await sharp(tagged).metadata()).icc ?? [])).toEqual(Buffer.from(big));
  });
});
