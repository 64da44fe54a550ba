import { mkdir, mkdtemp, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { sha256File } from "./file-hash.ts";
import { defaultRecordPath, RecordedDigests, readRecord, writeRecord } from "./verified-record.ts";

const KEY = "a-service-secret-of-enough-length";
let dir: string;
let recordPath: string;
let hashed: string[];
const hashFile = async (path: string) => {
  hashed.push(path);
  return sha256File(path);
};

/** One verification pass over the bundle's two files, from the record at `recordPath` if usable;
 * writes the record again when it hashed anything, as the cold start does. */
async function pass(key = KEY) {
  const recorded = await readRecord(recordPath, key, dir);
  const digests = new RecordedDigests(dir, recorded.files, hashFile);
  const sums = [
    await digests.sha256(join(dir, "manifest.json")),
    await digests.sha256(join(dir, "unet.onnx.data")),
  ];
  if (digests.hashed > 0) await writeRecord(recordPath, key, dir, digests.stamps);
  return { reason: recorded.reason, hashed: digests.hashed, reused: digests.reused, sums };
}

beforeEach(async () => {
  const root = await mkdtemp(join(tmpdir(), "zone-record-"));
  dir = join(root, "current");
  await mkdir(dir);
  recordPath = defaultRecordPath(dir);
  await writeFile(join(dir, "manifest.json"), '{"id":"b1"}');
  await writeFile(join(dir, "unet.onnx.data"), "weights-0001");
  hashed = [];
});

describe("the verification record", () => {
  it("lives beside the bundle, not in it (SHA256SUMS lists every file in it)", () => {
    expect(defaultRecordPath("/models/current")).toBe("/models/.zone-verified/current.json");
  });

  it("lets a second start reuse every digest of unchanged files, and gives the same digests", async () => {
    const first = await pass();
    expect(first).toMatchObject({ reason: "no record yet", hashed: 2, reused: 0 });
    hashed = [];
    const second = await pass();
    expect(second).toMatchObject({ reason: "record", hashed: 0, reused: 2 });
    expect(second.sums).toEqual(first.sums);
    expect(hashed).toEqual([]);
  });

  it("hashes a file again when it changed, even with its size and mtime put back", async () => {
    const path = join(dir, "unet.onnx.data");
    const SECONDS = 1_700_000_000; // a whole second, so that utimes can put it back exactly
    await utimes(path, SECONDS, SECONDS);
    await pass();
    await writeFile(path, "weights-0002"); // same size
    await utimes(path, SECONDS, SECONDS); // same mtime: only ctime tells
    expect((await stat(path)).mtimeMs).toBe(SECONDS * 1000);
    hashed = [];
    const after = await pass();
    expect(after.hashed).toBe(1);
    expect(hashed).toEqual([path]);
    expect(after.sums[1]).toBe(await sha256File(path));
  });

  it("is ignored when signed with another key, edited, or the manifest changed", async () => {
    await pass();
    expect((await pass("another-secret-of-enough-length")).reason).toMatch(/signature does not match/);

    await pass();
    const record = JSON.parse(await readFile(recordPath, "utf8"));
    record.files["unet.onnx.data"].sha256 = "0".repeat(64);
    await writeFile(recordPath, JSON.stringify(record));
    const edited = await pass();
    expect(edited.reason).toMatch(/signature does not match/);
    expect(edited.sums[1]).toBe(await sha256File(join(dir, "unet.onnx.data")));

    await pass();
    await writeFile(join(dir, "manifest.json"), '{"id":"b2"}');
    expect((await pass()).reason).toBe("the manifest changed since the record");
  });

  it("does not record a file that changed while it was hashed", async () => {
    const path = join(dir, "unet.onnx.data");
    const digests = new RecordedDigests(dir, null, async (p) => {
      const digest = await sha256File(p);
      await writeFile(p, "weights-0003");
      return digest;
    });
    await digests.sha256(path);
    expect(digests.stamps["unet.onnx.data"]).toBeUndefined();
  });
});
