// `zone edit --parent-dir DIR`: a turn of a multi-turn chain on the CLI (method section 6). The
// input is DIR's result file, which must be lossless (PNG, or WebP of an opaque image: a JPEG
// parent, or WebP's dropped colour under alpha 0, would make the next turn's input differ from
// what the chain's layers over the original give). Every output folder gets a stack.json: the
// chain's original and its turns in order, each with its folder, instruction, result, layer,
// mask and changed box; a folder written before stack.json existed is read as a one-turn chain
// from its meta.json.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { BoundingBox } from "../image/types.ts";
import { CliUsageError } from "./io.ts";

export interface StackFileTurn {
  /** The turn's output folder (absolute). */
  dir: string;
  instruction: string;
  action: string;
  /** File names inside `dir`. */
  result: string;
  layer: string;
  mask: string;
  changedPixels: number;
  changedBox: BoundingBox | null;
}

export interface StackFile {
  /** The first turn's input image (absolute). */
  original: string;
  turns: StackFileTurn[];
}

export const STACK_FILE = "stack.json";

/** What of an output folder's meta.json a stack needs. */
interface TurnMeta {
  image: string;
  instruction: string;
  action: string;
  changedPixels: number;
  changedBox: BoundingBox | null;
  resultFile: { name: string; format: string; alpha: boolean };
}

async function readJson<T>(path: string, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new CliUsageError(
      `edit: --parent-dir: ${what} ${path} cannot be read (is it a zone edit output folder?)`,
    );
  }
  return JSON.parse(text) as T;
}

export function stackTurn(dir: string, meta: Omit<TurnMeta, "image">): StackFileTurn {
  return {
    dir: resolve(dir),
    instruction: meta.instruction,
    action: meta.action,
    result: meta.resultFile.name,
    layer: "layer.png",
    mask: "mask-edit.png",
    changedPixels: meta.changedPixels,
    changedBox: meta.changedBox,
  };
}

/** The parent folder's result file (the next input) and its stack. */
export async function readParentDir(dir: string): Promise<{ input: string; stack: StackFile }> {
  const meta = await readJson<TurnMeta>(join(dir, "meta.json"), "meta");
  const { format, alpha, name } = meta.resultFile;
  if (format === "jpeg" || (format === "webp" && alpha))
    throw new CliUsageError(
      `edit: --parent-dir: ${join(dir, name)} is ${format === "jpeg" ? "JPEG (lossy)" : "WebP with alpha (its hidden colour under alpha 0 is dropped)"}: a chain continues only from a lossless result; edit the parent again with --format png`,
    );
  let stack: StackFile;
  try {
    stack = JSON.parse(await readFile(join(dir, STACK_FILE), "utf8")) as StackFile;
  } catch {
    stack = { original: resolve(meta.image), turns: [stackTurn(dir, meta)] };
  }
  return { input: join(dir, name), stack };
}
