// Calls the GPU function's POST /v1/edit: explicit timeout per attempt, retries with backoff and
// jitter on connection errors and 502/503/504 (honouring Retry-After), the shared bearer secret,
// Modal's proxy-auth headers and the caller's request id. The answer is checked against the
// contract, pipeline version included: a result computed by another pipeline than this gateway's
// cache keys name is refused, so it is neither stored nor billed. Upstream failures become
// 502/503/504 ZoneErrors.
import {
  CALLER_IMAGE_ERRORS,
  type CallerImageError,
  EDIT_ARTIFACTS,
  EDIT_REQUEST_FIELDS,
  EDIT_RESPONSE_META_FIELD,
  type EditArtifact,
  type EditOutput,
  GPU_PROGRESS_STREAM_TYPE,
  type GpuEditMeta,
  type GpuEditParamsInput,
  type GpuProgressLine,
  gpuEditMetaSchema,
  HINT_MASK_FIELD,
  PIPELINE_VERSION,
  readProgressStream,
  ZoneError,
} from "@zone/shared";
import {
  backoffDelay,
  parseRetryAfter,
  RETRY_DEFAULTS,
  RETRYABLE_STATUS,
  type RetryOptions,
} from "./retry-policy.ts";

export interface GpuClientConfig {
  url: string;
  sharedSecret: string;
  modalKey?: string;
  modalSecret?: string;
  timeoutMs: number;
  retry: RetryOptions;
}

export interface GpuClientDeps {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_DEPS: GpuClientDeps = {
  fetch: (input, init) => fetch(input, init),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export interface GpuEditJob {
  image: Blob;
  /** A mask hint's file, sent as the HINT_MASK_FIELD part. */
  hintMask?: Blob | null;
  /** Everything but `outputs`: the client asks for every output. */
  params: Omit<GpuEditParamsInput, "outputs">;
  /** Sent as x-request-id, so both sides' logs name the same request. */
  requestId?: string;
  /**
   * Aborted when nobody waits for the edit any more (every job on it canceled): the request is
   * closed, which the GPU function sees as its client gone and stops at its next denoising step.
   */
  signal?: AbortSignal;
  /**
   * When given, the GPU function is asked for its progress stream (@zone/shared
   * gpu-progress-stream.ts) and each line before the end comes here as it arrives.
   */
  onProgress?: (line: GpuProgressLine) => void;
}

/** A GPU function's answer: its meta, the three image parts, its Server-Timing. */
export interface GpuAnswer<M, P extends EditArtifact = EditOutput> {
  meta: M;
  parts: Record<P, ArrayBuffer>;
  serverTiming: string | null;
  attempts: number;
}

export type GpuEditResult = GpuAnswer<GpuEditMeta, EditArtifact>;

export function gpuHeaders(config: GpuClientConfig, requestId: string | undefined): Record<string, string> {
  const h: Record<string, string> = { authorization: `Bearer ${config.sharedSecret}` };
  if (requestId) h["x-request-id"] = requestId;
  if (config.modalKey && config.modalSecret) {
    h["modal-key"] = config.modalKey;
    h["modal-secret"] = config.modalSecret;
  }
  return h;
}

/** What a GPU answer's meta must satisfy: its contract, with the pipeline version to check. */
type MetaSchema<M> = { safeParse(json: unknown): { success: true; data: M } | { success: false } };

async function parseResponse<M extends { pipelineVersion: string }, P extends EditArtifact>(
  response: Response,
  attempts: number,
  metaSchema: MetaSchema<M>,
  names: ReadonlyArray<P>,
): Promise<GpuAnswer<M, P>> {
  let form: FormData;
  try {
    form = await response.formData();
  } catch (cause) {
    throw new ZoneError("upstream_error", "the GPU function sent an unreadable response", { cause });
  }
  const metaPart = form.get(EDIT_RESPONSE_META_FIELD);
  const metaText = typeof metaPart === "string" ? metaPart : metaPart ? await metaPart.text() : null;
  let json: unknown = null;
  try {
    json = metaText === null ? null : JSON.parse(metaText);
  } catch {
    // reported below as a contract failure
  }
  const meta = metaSchema.safeParse(json);
  if (!meta.success)
    throw new ZoneError("upstream_error", "the GPU function's meta did not match the contract");
  if (meta.data.pipelineVersion !== PIPELINE_VERSION)
    throw new ZoneError(
      "upstream_error",
      `the GPU function runs pipeline ${meta.data.pipelineVersion}; this gateway expects ${PIPELINE_VERSION} (deploy both from the same commit)`,
    );
  const parts = {} as Record<P, ArrayBuffer>;
  for (const name of names) {
    const part = form.get(name);
    if (part === null || typeof part === "string")
      throw new ZoneError("upstream_error", `the GPU function sent no ${name}`);
    parts[name] = await part.arrayBuffer();
  }
  return { meta: meta.data, parts, serverTiming: response.headers.get("server-timing"), attempts };
}

/** How many 303s in a row one attempt follows (Modal redirects again while the call still runs). */
export const MAX_SEE_OTHER = 20;

/**
 * Modal web endpoints answer a request still running after 150 s with 303 See Other to a result
 * URL, which answers when the call is done (or redirects again). It is followed here by hand,
 * with GET and the same headers, the bearer secret and Modal's proxy-auth headers included (the
 * platform's own redirect handling would drop Authorization on another origin, and the proxy
 * refuses a request without its headers). Only to the GPU function's own origin: a redirect
 * elsewhere would hand the secrets to another host, so it is a contract failure.
 */
async function followSeeOther(
  response: Response,
  endpoint: string,
  requestHeaders: Record<string, string>,
  signal: AbortSignal,
  deps: GpuClientDeps,
): Promise<Response> {
  let current = response;
  let url = new URL(endpoint);
  for (let hop = 0; current.status === 303 && hop < MAX_SEE_OTHER; hop++) {
    const location = current.headers.get("location");
    await current.body?.cancel();
    if (location === null)
      throw new ZoneError("upstream_error", "the GPU function sent a 303 without a Location");
    const next = new URL(location, url);
    if (next.origin !== url.origin)
      throw new ZoneError("upstream_error", `the GPU function redirected to another origin (${next.origin})`);
    url = next;
    current = await deps.fetch(url.toString(), {
      method: "GET",
      headers: requestHeaders,
      redirect: "manual",
      signal,
    });
  }
  if (current.status === 303)
    throw new ZoneError("upstream_timeout", `the GPU function redirected ${MAX_SEE_OTHER} times`);
  return current;
}

/**
 * A non-retryable GPU answer as the caller's error: a problem about the caller's image keeps its
 * code (CALLER_IMAGE_ERRORS); anything else is 502. The GPU function's own detail is logged, never
 * sent on (it is the internal contract's text).
 */
export async function gpuRefusal(response: Response): Promise<ZoneError> {
  const body = await response.text().catch(() => "");
  let code: unknown = null;
  try {
    code = (JSON.parse(body) as { code?: unknown }).code;
  } catch {
    // not problem+json
  }
  if (
    response.status >= 400 &&
    response.status < 500 &&
    typeof code === "string" &&
    code in CALLER_IMAGE_ERRORS
  ) {
    return new ZoneError(code as CallerImageError, CALLER_IMAGE_ERRORS[code as CallerImageError]);
  }
  console.error(`GPU function answered ${response.status}`, body.slice(0, 200));
  return new ZoneError("upstream_error", `the GPU function refused the edit (${response.status})`);
}

/** One GPU function route: where, the multipart body (built afresh per attempt), the meta's contract. */
export interface GpuCall<M, P extends EditArtifact> {
  path: string;
  body: () => FormData;
  metaSchema: MetaSchema<M>;
  /** The image parts asked for and required in the answer. */
  parts: ReadonlyArray<P>;
  requestId?: string;
  /** Aborted when nobody waits any more: the request is closed (GpuEditJob.signal). */
  signal?: AbortSignal;
  /** Asks for the progress stream and takes its lines (GpuEditJob.onProgress). */
  onProgress?: (line: GpuProgressLine) => void;
}

/** POSTs to the GPU function with the timeout, retry and error rules above; the one caller of fetch. */
export async function postToGpuFunction<M extends { pipelineVersion: string }, P extends EditArtifact>(
  config: GpuClientConfig,
  call: GpuCall<M, P>,
  deps: GpuClientDeps = DEFAULT_DEPS,
): Promise<GpuAnswer<M, P>> {
  const endpoint = new URL(call.path, config.url).toString();
  let lastError: ZoneError | null = null;
  for (let attempt = 1; attempt <= config.retry.attempts; attempt++) {
    if (call.signal?.aborted) throw new ZoneError("edit_canceled", "the edit was canceled");
    let retryAfter: number | null = null;
    try {
      const requestHeaders = gpuHeaders(config, call.requestId);
      if (call.onProgress) requestHeaders.accept = GPU_PROGRESS_STREAM_TYPE;
      const signal =
        call.signal === undefined
          ? AbortSignal.timeout(config.timeoutMs)
          : AbortSignal.any([AbortSignal.timeout(config.timeoutMs), call.signal]);
      let response = await deps.fetch(endpoint, {
        method: "POST",
        body: call.body(),
        headers: requestHeaders,
        redirect: "manual",
        signal,
      });
      response = await followSeeOther(response, endpoint, requestHeaders, signal, deps);
      if (
        response.ok &&
        call.onProgress &&
        response.headers.get("content-type") === GPU_PROGRESS_STREAM_TYPE
      ) {
        if (response.body === null)
          throw new ZoneError("upstream_error", "the GPU function sent an empty stream");
        const { end, rest } = await readProgressStream(response.body, call.onProgress);
        if (end.type === "result")
          return await parseResponse(
            new Response(rest, { headers: { "content-type": end.contentType } }),
            attempt,
            call.metaSchema,
            call.parts,
          );
        // The error it would have answered with, handled as if it had.
        response = new Response(JSON.stringify(end.problem), {
          status: end.status,
          headers: end.retryAfterSeconds === null ? {} : { "retry-after": String(end.retryAfterSeconds) },
        });
      }
      if (response.ok) return await parseResponse(response, attempt, call.metaSchema, call.parts);
      if (!RETRYABLE_STATUS.has(response.status)) throw await gpuRefusal(response);
      retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      lastError = new ZoneError(
        response.status === 504 ? "upstream_timeout" : "upstream_unavailable",
        `the GPU function answered ${response.status}`,
        {
          retryAfterSeconds: retryAfter === null ? 5 : Math.ceil(retryAfter / 1000),
        },
      );
    } catch (error) {
      if (error instanceof ZoneError) throw error;
      if (call.signal?.aborted) throw new ZoneError("edit_canceled", "the edit was canceled");
      const timedOut = (error as Error).name === "TimeoutError";
      lastError = timedOut
        ? new ZoneError("upstream_timeout", `the GPU function did not answer within ${config.timeoutMs} ms`)
        : new ZoneError(
            "upstream_unavailable",
            `the GPU function could not be reached (${(error as Error).message})`,
            { retryAfterSeconds: 5 },
          );
      if (timedOut) throw lastError; // the edit may still be running; retrying would start it twice
    }
    if (attempt < config.retry.attempts && !call.signal?.aborted)
      await deps.sleep(backoffDelay(attempt, config.retry, deps.random(), retryAfter));
  }
  throw lastError ?? new ZoneError("upstream_unavailable", "the GPU function could not be reached");
}

export async function callGpuFunction(
  config: GpuClientConfig,
  job: GpuEditJob,
  deps: GpuClientDeps = DEFAULT_DEPS,
): Promise<GpuEditResult> {
  return postToGpuFunction(
    config,
    {
      path: "/v1/edit",
      body: () => {
        const body = new FormData();
        body.append(EDIT_REQUEST_FIELDS.image, job.image, "image");
        if (job.hintMask) body.append(HINT_MASK_FIELD, job.hintMask, HINT_MASK_FIELD);
        body.append(EDIT_REQUEST_FIELDS.params, JSON.stringify({ ...job.params, outputs: EDIT_ARTIFACTS }));
        return body;
      },
      metaSchema: gpuEditMetaSchema,
      parts: EDIT_ARTIFACTS,
      requestId: job.requestId,
      signal: job.signal,
      onProgress: job.onProgress,
    },
    deps,
  );
}

export function gpuClientConfig(env: {
  GPU_FUNCTION_URL: string;
  GPU_SHARED_SECRET: string;
  MODAL_PROXY_KEY?: string;
  MODAL_PROXY_SECRET?: string;
  GPU_TIMEOUT_MS?: string;
}): GpuClientConfig {
  return {
    url: env.GPU_FUNCTION_URL,
    sharedSecret: env.GPU_SHARED_SECRET,
    modalKey: env.MODAL_PROXY_KEY,
    modalSecret: env.MODAL_PROXY_SECRET,
    timeoutMs: Number(env.GPU_TIMEOUT_MS ?? 120_000),
    retry: RETRY_DEFAULTS,
  };
}

/** Margin past the GPU calls for storing the result. */
const EDIT_DEADLINE_MARGIN_MS = 30_000;

/**
 * The longest one edit can take: every attempt's timeout plus a margin for storing the result
 * (the coordinator's watchdog, and when an unsettled credit hold is resolved).
 */
export function editDeadlineMs(config: GpuClientConfig): number {
  return config.timeoutMs * config.retry.attempts + EDIT_DEADLINE_MARGIN_MS;
}
