// Calls the GPU function's CPU-only POST /v1/render (shared gpu-render-api.ts) with a chain's
// original, its kept layers and the reference result: one attempt per retry-policy step on
// connection errors and 502/503/504 (a render has no side effect, so a retry is always safe), the
// same headers and refusal mapping as the edit call (gpu-client.ts). Answers the image's bytes.
import { RENDER_REQUEST_FIELDS as F, type GpuRenderParamsInput, ZoneError } from "@zone/shared";
import {
  DEFAULT_DEPS,
  type GpuClientConfig,
  type GpuClientDeps,
  gpuHeaders,
  gpuRefusal,
} from "./gpu-client.ts";
import { backoffDelay, parseRetryAfter, RETRYABLE_STATUS } from "./retry-policy.ts";

export interface GpuRenderJob {
  original: Blob;
  layers: Blob[];
  reference: Blob | null;
  params: GpuRenderParamsInput;
  requestId?: string;
}

export async function callGpuRender(
  config: GpuClientConfig,
  job: GpuRenderJob,
  deps: GpuClientDeps = DEFAULT_DEPS,
): Promise<{ bytes: ArrayBuffer; contentType: string }> {
  const endpoint = new URL("/v1/render", config.url).toString();
  let lastError: ZoneError | null = null;
  for (let attempt = 1; attempt <= config.retry.attempts; attempt++) {
    const body = new FormData();
    body.append(F.original, job.original, "original");
    for (const layer of job.layers) body.append(F.layer, layer, "layer.png");
    if (job.reference !== null) body.append(F.reference, job.reference, "reference");
    body.append(F.params, JSON.stringify(job.params));
    let retryAfter: number | null = null;
    try {
      const response = await deps.fetch(endpoint, {
        method: "POST",
        body,
        headers: gpuHeaders(config, job.requestId),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      if (response.ok)
        return {
          bytes: await response.arrayBuffer(),
          contentType: response.headers.get("content-type") ?? "application/octet-stream",
        };
      if (!RETRYABLE_STATUS.has(response.status)) throw await gpuRefusal(response);
      retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      lastError = new ZoneError(
        response.status === 504 ? "upstream_timeout" : "upstream_unavailable",
        `the GPU function answered ${response.status}`,
        { retryAfterSeconds: retryAfter === null ? 5 : Math.ceil(retryAfter / 1000) },
      );
    } catch (error) {
      if (error instanceof ZoneError) throw error;
      lastError =
        (error as Error).name === "TimeoutError"
          ? new ZoneError("upstream_timeout", `the GPU function did not render within ${config.timeoutMs} ms`)
          : new ZoneError(
              "upstream_unavailable",
              `the GPU function could not be reached (${(error as Error).message})`,
              {
                retryAfterSeconds: 5,
              },
            );
    }
    if (attempt < config.retry.attempts)
      await deps.sleep(backoffDelay(attempt, config.retry, deps.random(), retryAfter));
  }
  throw lastError ?? new ZoneError("upstream_unavailable", "the GPU function could not be reached");
}
