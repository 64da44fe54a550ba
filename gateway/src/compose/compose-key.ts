// The cache key of a compose: SHA-256 over both images' hashes (the original's and the edited
// one's bytes), the rough mask's hash (or none), the GPU parameters exactly as sent (the shared
// schema's defaults filled in, keys sorted), the cache scope (cache-key.ts: per account unless
// shared), the bundle and the pipeline version. `op: "compose"` keeps it apart from every edit's
// key, so an edit and a compose never share a result.
import { canonicalJson, type GpuComposeParams } from "@zone/shared";
import { sha256Hex } from "../cache/cache-key.ts";

/** The parameters the GPU function receives: the shared schema's output, less `outputs`. */
export type GatewayComposeParams = Omit<GpuComposeParams, "outputs">;

export interface ComposeKeyInput {
  imageSha256: string;
  editedSha256: string;
  roughSha256: string | null;
  params: GatewayComposeParams;
  scope: string;
  bundleVersion: string;
  pipelineVersion: string;
}

export async function composeCacheKey(input: ComposeKeyInput): Promise<string> {
  return sha256Hex(
    canonicalJson({
      v: 1,
      op: "compose",
      scope: input.scope,
      image: input.imageSha256,
      edited: input.editedSha256,
      rough: input.roughSha256,
      params: input.params,
      bundle: input.bundleVersion,
      pipeline: input.pipelineVersion,
    }),
  );
}
