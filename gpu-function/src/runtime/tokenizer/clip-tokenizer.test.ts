import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZoneError } from "@zone/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { sharedFile } from "../../../../test/shared-data.ts";
import { ClipTokenizer, CONTEXT_LENGTH } from "./clip-tokenizer.ts";

interface Cases {
  pad: number;
  bos: number;
  eos: number;
  length: number;
  cases: { text: string; ids: number[] }[];
}

const dir = sharedFile("clip-tokenizer");
const BOS = 49406;
const EOS = 49407;

/** 77 ids: start, `body`, end, padding. */
function padded(body: number[]): number[] {
  const ids = [BOS, ...body, EOS];
  return [...ids, ...new Array(CONTEXT_LENGTH - ids.length).fill(EOS)];
}

describe.skipIf(dir === null)("ClipTokenizer on CLIP ViT-L/14's vocabulary", () => {
  let tokenizer: ClipTokenizer;
  let reference: Cases;

  beforeAll(async () => {
    tokenizer = await ClipTokenizer.fromFolder(dir!);
    reference = JSON.parse(await readFile(join(dir!, "cases.json"), "utf8"));
  });

  it("matches every reference case of cases.json", () => {
    expect(reference.cases.length).toBeGreaterThan(0);
    expect([tokenizer.startId, tokenizer.endId, tokenizer.padId]).toEqual([
      reference.bos,
      reference.eos,
      reference.pad,
    ]);
    for (const { text, ids } of reference.cases) {
      expect(ids).toHaveLength(reference.length);
      expect(Array.from(tokenizer.encode(text)), JSON.stringify(text)).toEqual(ids);
    }
  });

  it("gives tokenCount = position of the end token + 1 on the reference cases", () => {
    for (const { text, ids } of reference.cases) {
      expect(tokenizer.tokenCount(text), JSON.stringify(text)).toBe(ids.indexOf(EOS) + 1);
    }
  });

  // Expected ids from the reference tokenizer (Python, `regex` module).
  const TABLE: ReadonlyArray<readonly [string, number[]]> = [
    ["", []],
    ["   \t\n ", []],
    ["A PHOTO of a cat", [320, 1125, 539, 320, 2368]],
    ["cat 😀", [2368, 7334]],
    ["中文", [19759, 255, 29032, 485]],
    ["tie\u2019s", [3422, 728, 503, 338]],
    ["\u017f", [129, 379]],
    ["a\u0345b", [320, 321]],
    ["hello <|endoftext|> world", [3306, EOS, 1002]],
    ["<|startoftext|>", [BOS]],
    ["Tom &amp;amp; Jerry", [2435, 261, 9164]],
  ];

  it.each(TABLE)("encodes %j", (text, body) => {
    expect(Array.from(tokenizer.encode(text))).toEqual(padded(body));
    expect(tokenizer.tokenCount(text)).toBe(body.length + 2);
  });

  it("truncates to 75 text tokens and keeps the end token at index 76", () => {
    const ids = tokenizer.encode("word ".repeat(100));
    expect(ids).toHaveLength(77);
    expect(ids[0]).toBe(BOS);
    expect(Array.from(ids.subarray(1, 76))).toEqual(new Array(75).fill(2653));
    expect(ids[76]).toBe(EOS);
    expect(tokenizer.tokenCount("word ".repeat(100))).toBe(77);
    expect(tokenizer.tokenCount("word ".repeat(75))).toBe(77);
    expect(tokenizer.tokenCount("word ".repeat(74))).toBe(76);
  });

  it("splits an unbroken run into known pieces (every byte has an id, nothing is unknown)", () => {
    const ids = tokenizer.encode("x".repeat(200));
    // 49 x "xxxx" then "xxxx</w>": 200 bytes in 50 tokens
    expect(Array.from(ids.subarray(0, 52))).toEqual([BOS, ...new Array(49).fill(32035), 22819, EOS]);
  });

  it("answers the same from its cache", () => {
    const text = "turn the cat into a dog";
    expect(Array.from(tokenizer.encode(text))).toEqual(Array.from(tokenizer.encode(text)));
  });
});

describe("ClipTokenizer.fromFolder errors", () => {
  it("names the missing files in a not_found ZoneError", async () => {
    const empty = await mkdtemp(join(tmpdir(), "zone-tok-"));
    const error = await ClipTokenizer.fromFolder(empty).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZoneError);
    expect((error as ZoneError).code).toBe("not_found");
    expect((error as ZoneError).message).toContain(join(empty, "vocab.json"));
    expect((error as ZoneError).message).toContain(join(empty, "merges.txt"));
  });

  it("names merges.txt alone when only it is missing", async () => {
    const folder = await mkdtemp(join(tmpdir(), "zone-tok-"));
    await writeFile(join(folder, "vocab.json"), "{}");
    await expect(ClipTokenizer.fromFolder(folder)).rejects.toThrow(/merges\.txt not found/);
  });

  it("rejects a vocab.json that is not JSON", async () => {
    const folder = await mkdtemp(join(tmpdir(), "zone-tok-"));
    await writeFile(join(folder, "vocab.json"), "not json");
    await writeFile(join(folder, "merges.txt"), "#version: 0.2\n");
    const error = await ClipTokenizer.fromFolder(folder).catch((e: unknown) => e);
    expect((error as ZoneError).code).toBe("invalid_argument");
    expect((error as ZoneError).message).toContain("vocab.json is not valid JSON");
  });

  it("rejects a vocabulary without the special tokens", async () => {
    const folder = await mkdtemp(join(tmpdir(), "zone-tok-"));
    await writeFile(join(folder, "vocab.json"), JSON.stringify({ a: 0 }));
    await writeFile(join(folder, "merges.txt"), "#version: 0.2\n");
    await expect(ClipTokenizer.fromFolder(folder)).rejects.toThrow(/<\|startoftext\|>/);
  });
});
