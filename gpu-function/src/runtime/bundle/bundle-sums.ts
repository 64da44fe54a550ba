// The bundle's SHA256SUMS (written by infra/export, the format `sha256sum -c` reads): the digests
// of the files the manifest cannot name, above all a large model's external weight data
// (ip2pUnet.onnx.data holds 3.4 GB of a full-size UNet; its .onnx is only the graph).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ZoneError } from "@zone/shared";

export const SUMS_FILE = "SHA256SUMS";

/** path (relative, POSIX) -> sha256; null when the bundle has no SHA256SUMS. */
export async function readBundleSums(dir: string): Promise<Map<string, string> | null> {
  let text: string;
  try {
    text = await readFile(join(dir, SUMS_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return parseSums(text);
}

export function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match === null)
      throw new ZoneError("model_bundle_invalid", `${SUMS_FILE} line ${index + 1} is not "<sha256>  <path>"`);
    sums.set(match[2], match[1]);
  });
  return sums;
}
