// A signed record of what a cold start verified, so the next cold start on the same volume does not
// hash gigabytes again. Each file is recorded with its size, mtime and ctime and the SHA-256 it had;
// a later start reuses a recorded digest only while all three are unchanged, and hashes the file
// otherwise. ctime cannot be set from user space (writing, truncating, renaming over or `touch -d`
// all move it), so a changed file is hashed even when its size and mtime were made to look the
// same: the record never vouches for different bytes. The record is bound to the manifest's own
// SHA-256 and signed (HMAC-SHA256 with the service's GPU_SHARED_SECRET): a record from another
// bundle, another key or edited by hand is ignored, and everything is hashed. Verification checks
// are the same either way (verify-bundle.ts); only where a digest comes from differs.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { canonicalJson } from "@zone/shared";
import { sha256File } from "./file-hash.ts";

export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  sha256: string;
}

interface RecordBody {
  version: 1;
  bundleDir: string;
  manifestSha256: string;
  files: Record<string, FileStamp>;
}

interface SignedRecord extends RecordBody {
  mac: string;
}

/** Where a bundle's record lives unless told: beside the bundle, not in it (SHA256SUMS lists
 * every file in it), e.g. /models/.zone-verified/current.json for /models/current. */
export function defaultRecordPath(bundleDir: string): string {
  return join(dirname(bundleDir), ".zone-verified", `${basename(bundleDir)}.json`);
}

const mac = (key: string, body: RecordBody) =>
  createHmac("sha256", key).update(canonicalJson(body)).digest("hex");

export async function manifestDigest(bundleDir: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(join(bundleDir, "manifest.json")))
    .digest("hex");
}

/** The recorded stamps, or null when there is no usable record (missing, unreadable, another
 * bundle or manifest, a bad signature), with the reason. */
export async function readRecord(
  path: string,
  key: string,
  bundleDir: string,
): Promise<{ files: Record<string, FileStamp> | null; reason: string }> {
  let record: SignedRecord;
  try {
    record = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      files: null,
      reason: code === "ENOENT" ? "no record yet" : `unreadable record (${code ?? "JSON"})`,
    };
  }
  const { mac: signature, ...body } = record;
  const expected = Buffer.from(mac(key, body as RecordBody), "hex");
  const given = Buffer.from(typeof signature === "string" ? signature : "", "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { files: null, reason: "the record's signature does not match (another key, or edited)" };
  if (body.version !== 1 || body.bundleDir !== bundleDir)
    return { files: null, reason: "a record of another bundle" };
  if (body.manifestSha256 !== (await manifestDigest(bundleDir)))
    return { files: null, reason: "the manifest changed since the record" };
  return { files: body.files, reason: "record" };
}

export async function writeRecord(
  path: string,
  key: string,
  bundleDir: string,
  files: Record<string, FileStamp>,
): Promise<void> {
  const body: RecordBody = { version: 1, bundleDir, manifestSha256: await manifestDigest(bundleDir), files };
  await mkdir(dirname(path), { recursive: true });
  const scratch = `${path}.${process.pid}.tmp`;
  await writeFile(scratch, `${JSON.stringify({ ...body, mac: mac(key, body) }, null, 2)}\n`);
  await rename(scratch, path);
}

const sameStamp = (a: FileStamp, size: number, mtimeMs: number, ctimeMs: number) =>
  a.size === size && a.mtimeMs === mtimeMs && a.ctimeMs === ctimeMs;

/** A digest source for verifyBundle: a recorded digest for an unchanged file, else a fresh hash;
 * it collects the stamps of what it saw for the next record. */
export class RecordedDigests {
  readonly stamps: Record<string, FileStamp> = {};
  hashed = 0;
  reused = 0;

  readonly #bundleDir: string;
  readonly #recorded: Record<string, FileStamp> | null;
  readonly #hashFile: (path: string) => Promise<string>;

  constructor(
    bundleDir: string,
    recorded: Record<string, FileStamp> | null,
    hashFile: (path: string) => Promise<string> = sha256File,
  ) {
    this.#bundleDir = bundleDir;
    this.#recorded = recorded;
    this.#hashFile = hashFile;
  }

  readonly sha256 = async (path: string): Promise<string> => {
    const name = relative(this.#bundleDir, path);
    const before = await stat(path);
    const known = this.#recorded?.[name];
    if (known && sameStamp(known, before.size, before.mtimeMs, before.ctimeMs)) {
      this.reused++;
      this.stamps[name] = known;
      return known.sha256;
    }
    const sha256 = await this.#hashFile(path);
    this.hashed++;
    const after = await stat(path);
    // Changed while it was read: its digest is not recorded, so the next start hashes it again.
    if (
      sameStamp(
        { size: before.size, mtimeMs: before.mtimeMs, ctimeMs: before.ctimeMs, sha256 },
        after.size,
        after.mtimeMs,
        after.ctimeMs,
      )
    )
      this.stamps[name] = { size: after.size, mtimeMs: after.mtimeMs, ctimeMs: after.ctimeMs, sha256 };
    return sha256;
  };
}
