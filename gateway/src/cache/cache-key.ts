// The cache key of an edit: SHA-256 over the image bytes' hash, the cleaned instruction (cleaned
// once, in edit-request.ts: "Make  the cat BLACK" and "make the cat black" share a result), the
// GPU parameters exactly as sent (the shared schema's defaults filled in, keys sorted, seed
// included; so the output format, JPEG quality, metadata choice and mask size too), the model bundle version and the pipeline version (code and method defaults, so a
// deploy that changes a default misses the old results). Anything that can change the output is
// in it; nothing else is.
import { type CleanInstruction, canonicalJson, type GpuEditParams } from "@zone/shared";

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
  bundleVersion: string;
  /** PIPELINE_VERSION of this deploy (an input so tests can vary it). */
  pipelineVersion: string;
}

export async function cacheKey(input: CacheKeyInput): Promise<string> {
  const { instruction, ...params } = input.params;
  return sha256Hex(
    canonicalJson({
      v: 2,
      image: input.imageSha256,
      instruction,
      params,
      bundle: input.bundleVersion,
      pipeline: input.pipelineVersion,
    }),
  );
}
