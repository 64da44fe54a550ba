// The cache key of an edit: SHA-256 over the image bytes' hash, the instruction cleaned exactly
// as the tokenizer cleans it (so "Make  the cat BLACK" and "make the cat black" share a result),
// the canonical parameters (defaults filled in, keys sorted, seed included) and the model bundle
// version. Anything that can change the output is in it; nothing else is.
import { cleanInstruction } from "@zone/shared";

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** JSON with object keys sorted at every level: one spelling per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export interface CacheKeyInput {
  imageSha256: string;
  instruction: string;
  /** Every parameter that changes the output, with defaults already applied. */
  params: Record<string, unknown>;
  bundleVersion: string;
}

export async function cacheKey(input: CacheKeyInput): Promise<string> {
  return sha256Hex(
    canonicalJson({
      v: 1,
      image: input.imageSha256,
      instruction: cleanInstruction(input.instruction),
      params: input.params,
      bundle: input.bundleVersion,
    }),
  );
}
