// The pipeline version: which code and which defaults computed an edit. It is part of every cache
// key, the GPU function reports it in /readyz and in each edit's meta, and the gateway refuses to
// store a result computed by another version. It changes when any value of ZONE_DEFAULTS changes
// (derived below) or when PIPELINE_REVISION is bumped: do that whenever pipeline code changes what
// an edit returns. The golden-output test fails when outputs change while the revision stays.
import { canonicalJson } from "./canonical-json.ts";
import { ZONE_DEFAULTS } from "./zone-defaults.ts";

/** Bump when the pipeline's code changes its output for the same inputs and defaults. */
export const PIPELINE_REVISION = 4;

/**
 * 32-bit FNV-1a over the UTF-16 code units, as 8 hex digits: synchronous and identical in the
 * Worker and in Node (WebCrypto's digest is async; a version needs no collision resistance).
 */
export function fnv1a32(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

export function pipelineVersion(revision: number, defaults: unknown): string {
  return `zone-r${revision}-${fnv1a32(canonicalJson(defaults))}`;
}

export const PIPELINE_VERSION = pipelineVersion(PIPELINE_REVISION, ZONE_DEFAULTS);
