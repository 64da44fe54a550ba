// Calls the GPU function's POST /v1/compose: the original, the editor's output and the optional
// rough mask as file parts, the params as JSON, every output asked for; same transport rules as
// an edit (gpu-client.ts: timeout, retries, contract and pipeline-version check).
import {
  COMPOSE_REQUEST_FIELDS,
  EDIT_OUTPUTS,
  type GpuComposeMeta,
  type GpuComposeParamsInput,
  gpuComposeMetaSchema,
} from "@zone/shared";
import {
  DEFAULT_DEPS,
  type GpuAnswer,
  type GpuClientConfig,
  type GpuClientDeps,
  postToGpuFunction,
} from "./gpu-client.ts";

export interface GpuComposeJob {
  image: Blob;
  edited: Blob;
  rough: Blob | null;
  params: Omit<GpuComposeParamsInput, "outputs">;
  requestId?: string;
}

export function callGpuCompose(
  config: GpuClientConfig,
  job: GpuComposeJob,
  deps: GpuClientDeps = DEFAULT_DEPS,
): Promise<GpuAnswer<GpuComposeMeta>> {
  const F = COMPOSE_REQUEST_FIELDS;
  return postToGpuFunction(
    config,
    {
      path: "/v1/compose",
      body: () => {
        const body = new FormData();
        body.append(F.image, job.image, F.image);
        body.append(F.edited, job.edited, F.edited);
        if (job.rough) body.append(F.rough, job.rough, F.rough);
        body.append(F.params, JSON.stringify({ ...job.params, outputs: EDIT_OUTPUTS }));
        return body;
      },
      metaSchema: gpuComposeMetaSchema,
      parts: EDIT_OUTPUTS,
      requestId: job.requestId,
    },
    deps,
  );
}
