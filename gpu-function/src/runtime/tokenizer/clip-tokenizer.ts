// CLIP's byte-level BPE tokenizer (openai/CLIP simple_tokenizer.py, as Stable Diffusion 1.5 and
// InstructPix2Pix pipelines call it), id for id: the prompt ids of the text encoder and the token
// count `n` that the localization stage reads the end token's attention map at.
//
// encode: cleanInstruction (HTML unescape, whitespace, lower case) -> CLIP's pre-tokenisation
// regex -> UTF-8 bytes as byte-level symbols, `</w>` on the last -> BPE by merge rank -> ids;
// then <|startoftext|> first, at most 75 text ids, <|endoftext|> last, padded with <|endoftext|>
// to 77 positions (`padding="max_length", truncation=True`).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { cleanInstruction, ZoneError } from "@zone/shared";
import { bpeMerge, pairKey } from "./bpe-merge.ts";
import { BYTE_TO_CHAR, byteSymbols } from "./byte-level.ts";

/** Positions of CLIP's text encoder. */
export const CONTEXT_LENGTH = 77;
export const START_TOKEN = "<|startoftext|>";
export const END_TOKEN = "<|endoftext|>";
const END_OF_WORD = "</w>";

// The reference pattern (Python `regex`, IGNORECASE). The special tokens match whole, so a
// literal "<|endoftext|>" in the text becomes the end id, as in the reference.
const PRE_TOKEN =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\p{White_Space}\p{L}\p{N}]+/giu;
// U+0345 (combining ypogegrammeni) case-folds to "ι": here the case-insensitive `[\p{L}]` takes
// it in, while in the reference (Python `regex`) no alternative matches it, so it only separates
// tokens. A space does exactly that. Every other code point was checked to split alike.
const UNMATCHED_BY_REFERENCE = /\u0345/g;

// Distinct pre-tokens remembered; the cache is emptied when full (prompts reuse few words).
const CACHE_LIMIT = 20_000;

export class ClipTokenizer {
  readonly startId: number;
  readonly endId: number;
  readonly padId: number;
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly ranks: ReadonlyMap<string, number>;
  private readonly cache = new Map<string, readonly number[]>();

  /** @param vocab symbol -> id (vocab.json); @param ranks BPE pair key -> rank (merges.txt) */
  constructor(vocab: ReadonlyMap<string, number>, ranks: ReadonlyMap<string, number>) {
    this.vocab = vocab;
    this.ranks = ranks;
    this.startId = requireId(vocab, START_TOKEN);
    this.endId = requireId(vocab, END_TOKEN);
    this.padId = this.endId;
    for (const char of BYTE_TO_CHAR) {
      requireId(vocab, char);
      requireId(vocab, char + END_OF_WORD);
    }
  }

  /** Reads a Hugging Face tokenizer folder: vocab.json and merges.txt. */
  static async fromFolder(dir: string): Promise<ClipTokenizer> {
    const [vocabText, mergesText] = await readTokenizerFiles(dir, ["vocab.json", "merges.txt"]);
    const vocab = parseVocab(vocabText, join(dir, "vocab.json"));
    const ranks = parseMerges(mergesText, join(dir, "merges.txt"), vocab);
    return new ClipTokenizer(vocab, ranks);
  }

  /** The 77 input ids of CLIP's text encoder for an instruction. */
  encode(text: string): Int32Array {
    const ids = new Int32Array(CONTEXT_LENGTH).fill(this.padId);
    const body = this.textIds(text);
    const kept = Math.min(body.length, CONTEXT_LENGTH - 2);
    ids[0] = this.startId;
    for (let i = 0; i < kept; i++) ids[i + 1] = body[i];
    ids[kept + 1] = this.endId;
    return ids;
  }

  /** Tokens including the start and end tokens, at most 77: the index of the end token + 1. */
  tokenCount(text: string): number {
    return Math.min(this.textIds(text).length + 2, CONTEXT_LENGTH);
  }

  /** BPE ids of the cleaned text, without start and end tokens or truncation. */
  textIds(text: string): number[] {
    const ids: number[] = [];
    const cleaned = cleanInstruction(text).replace(UNMATCHED_BY_REFERENCE, " ");
    for (const match of cleaned.matchAll(PRE_TOKEN)) {
      for (const id of this.preTokenIds(match[0])) ids.push(id);
    }
    return ids;
  }

  private preTokenIds(token: string): readonly number[] {
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;
    let ids: readonly number[];
    if (token === START_TOKEN || token === END_TOKEN) {
      ids = [this.vocab.get(token)!];
    } else {
      const symbols = byteSymbols(token);
      symbols[symbols.length - 1] += END_OF_WORD;
      // Every merge product and every byte symbol was checked against the vocab at load time.
      ids = bpeMerge(symbols, this.ranks).map((symbol) => this.vocab.get(symbol)!);
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(token, ids);
    return ids;
  }
}

function requireId(vocab: ReadonlyMap<string, number>, symbol: string): number {
  const id = vocab.get(symbol);
  if (id === undefined) {
    throw new ZoneError("invalid_argument", `CLIP tokenizer: vocab.json has no ${JSON.stringify(symbol)}`);
  }
  return id;
}

async function readTokenizerFiles(dir: string, names: readonly string[]): Promise<string[]> {
  const results = await Promise.allSettled(names.map((name) => readFile(join(dir, name), "utf8")));
  const missing = names.filter((_, i) => {
    const result = results[i];
    return result.status === "rejected" && (result.reason as NodeJS.ErrnoException)?.code === "ENOENT";
  });
  if (missing.length > 0) {
    throw new ZoneError(
      "not_found",
      `CLIP tokenizer: ${missing.map((name) => join(dir, name)).join(" and ")} not found (a tokenizer folder holds vocab.json and merges.txt)`,
    );
  }
  return results.map((result) => {
    if (result.status === "rejected") throw result.reason;
    return result.value;
  });
}

function parseVocab(text: string, path: string): Map<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ZoneError("invalid_argument", `CLIP tokenizer: ${path} is not valid JSON`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ZoneError("invalid_argument", `CLIP tokenizer: ${path} must be an object of symbol -> id`);
  }
  const vocab = new Map<string, number>();
  for (const [symbol, id] of Object.entries(parsed)) {
    if (!Number.isInteger(id) || id < 0) {
      throw new ZoneError(
        "invalid_argument",
        `CLIP tokenizer: ${path}: ${JSON.stringify(symbol)} has id ${id}`,
      );
    }
    vocab.set(symbol, id);
  }
  return vocab;
}

// merges.txt: an optional "#version" line, then "first second" per line, most frequent first.
function parseMerges(text: string, path: string, vocab: ReadonlyMap<string, number>): Map<string, number> {
  const ranks = new Map<string, number>();
  let rank = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "" || (i === 0 && line.startsWith("#version"))) continue;
    const parts = line.split(" ");
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
      throw new ZoneError("invalid_argument", `CLIP tokenizer: ${path} line ${i + 1} is not "first second"`);
    }
    if (!vocab.has(parts[0] + parts[1])) {
      throw new ZoneError(
        "invalid_argument",
        `CLIP tokenizer: ${path} line ${i + 1} makes ${JSON.stringify(parts[0] + parts[1])}, which vocab.json lacks`,
      );
    }
    ranks.set(pairKey(parts[0], parts[1]), rank++);
  }
  return ranks;
}
