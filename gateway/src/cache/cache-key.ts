// The cache key of an edit: SHA-256 over the image bytes' hash, the cleaned instruction (cleaned
// once, in edit-request.ts: "Make  the cat BLACK" and "make the cat black" share a result), the
// GPU parameters exactly as sent (the shared schema's defaults filled in, keys sorted, seed
// included; so the output format, JPEG quality, metadata choice and mask size too), the model bundle version and the pipeline version (code and method defaults, so a
// deploy that changes a default misses the old results). Anything that can change the output is
// in it, and so is the cache's scope: by default each account (and, within it, its test keys)
// has its own results, so a hit never tells one customer what another sent; CACHE_SCOPE=shared
// opts a deployment into one cache across accounts. Coalescing (one coordinator per key) and the
// stored artifacts (R2, by key) follow the key, so they are scoped the same way. An edit of another
// edit's result (a chain's turn, `parent`) also hashes the parent's cache key, which hashes its own
// parent's: the key covers the whole chain. Keys of edits of uploads are as they were.
import { type CleanInstruction, canonicalJson, type GpuEditParams } from "@zone/shared";

export const CACHE_SCOPES = ["account", "shared"] as const;

/** Whose results a request may be answered from: its account's, or everyone's when shared. */
export function cacheScope(
  env: { CACHE_SCOPE?: string },
  caller: { accountId: string; environment: "live" | "test" },
): string {
  const setting = env.CACHE_SCOPE ?? "account";
  if (!(CACHE_SCOPES as ReadonlyArray<string>).includes(setting))
    throw new Error(`CACHE_SCOPE must be one of ${CACHE_SCOPES.join(", ")}, not "${setting}"`);
  // Test keys never share results with live ones: a free test edit must not make a live hit.
  const owner = setting === "shared" ? "shared" : `account:${caller.accountId}`;
  return `${owner}:${caller.environment}`;
}

export async function sha256Hex(data: Uint8Array | ArrayBuffer | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The parameters the GPU function receives: the shared schema's output, less `outputs`. */
export type GatewayEditParams = Omit<GpuEditParams, "outputs" | "instruction"> & {
  instruction: CleanInstruction;
};

export interface CacheKeyInput {
  imageSha256: string;
  params: GatewayEditParams;
  /** cacheScope's answer for the caller. */
  scope: string;
  bundleVersion: string;
  /** PIPELINE_VERSION of this deploy (an input so tests can vary it). */
  pipelineVersion: string;
  /** A chain's turn: the parent edit's cache key (its result is the image hashed above). */
  parentKey?: string;
  /** A mask hint's file hash (a point or box hint is in `params`). */
  hintMaskSha256?: string | null;
}

export async function cacheKey(input: CacheKeyInput): Promise<string> {
  const { instruction, ...params } = input.params;
  return sha256Hex(
    canonicalJson({
      v: 3,
      scope: input.scope,
      image: input.imageSha256,
      instruction,
      params,
      bundle: input.bundleVersion,
      pipeline: input.pipelineVersion,
      ...(input.parentKey === undefined ? {} : { parent: input.parentKey }),
      // Only with a mask hint: every other key stays as it was.
      ...(input.hintMaskSha256 ? { hintMask: input.hintMaskSha256 } : {}),
    }),
  );
}
