// The typed client: openapi-fetch over the generated paths (api-types.ts), with the API key, an
// Idempotency-Key on every POST unless the caller gives one, retries of 429/503 honouring
// Retry-After (retrying-fetch.ts), refusals thrown as ZoneApiError, artifact downloads, and async
// edits: createEdit's Prefer (respond-async, wait=N) and Cancel-After, waitForEdit (polling,
// wait-for-edit.ts) and cancelEdit.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./api-types.ts";
import { type AsyncEditOptions, asyncEditHeaders } from "./async-edit.ts";
import type { EditLookup, FinishedEdit } from "./job-outcome.ts";
import { type Job, retryAfterMs, ZoneApiError } from "./problem-error.ts";
import { type ClientRetryOptions, retryingFetch } from "./retrying-fetch.ts";
import { followJob, type WaitForEditOptions } from "./wait-for-edit.ts";

export type Edit = components["schemas"]["Edit"];
export type UsageReport = components["schemas"]["Usage"];
export type ArtifactName = keyof Omit<Edit["links"], "self">;
type EditFields = NonNullable<paths["/v1/edits"]["post"]["requestBody"]>["content"]["multipart/form-data"];

export interface ZoneClientOptions {
  /** The gateway's origin, e.g. https://api.example.com or http://127.0.0.1:8787. */
  baseUrl: string;
  /** ze_live_... or ze_test_... */
  apiKey: string;
  retry?: ClientRetryOptions;
  fetch?: (request: Request) => Promise<Response>;
  /** Makes the Idempotency-Key of a POST that has none (default crypto.randomUUID). */
  idempotencyKey?: () => string;
}

/** What POST /v1/edits takes: the image as bytes or a Blob, the other fields typed by the document. */
export type CreateEditInput = Omit<EditFields, "image" | "seed" | "steps" | "quality"> & {
  image: Blob | Uint8Array;
  filename?: string;
  seed?: number;
  steps?: number;
  quality?: number;
  /** This request's Idempotency-Key (default: a fresh one, kept across the client's retries). */
  idempotencyKey?: string;
};

/** The synchronous answer (201): the edit itself. */
export interface EditAnswer {
  kind: "edit";
  edit: Edit;
  /** X-Cache: MISS (billed), HIT or COALESCED (free). */
  cache: Edit["cache"];
  /** This request's Server-Timing header. */
  serverTiming: string;
  /** true when the answer is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
  requestId: string | null;
}

/** An async answer (202, or 200 when its own Cancel-After ended it first): the job and where to poll it. */
export interface JobAnswer {
  kind: "job";
  job: Job;
  /** The job's absolute URL (the answer's Location). */
  location: string;
  /** When to poll first (the answer's Retry-After), or null. */
  retryAfterSeconds: number | null;
  /** The Prefer values the gateway honoured, e.g. "wait=60" when it capped a longer wait. */
  preferenceApplied: string | null;
  replayed: boolean;
  requestId: string | null;
}

export interface Artifact {
  bytes: Uint8Array;
  contentType: string;
}

function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok) throw new ZoneApiError(result.response, result.error);
  return result.data as T;
}

export function createZoneClient(options: ZoneClientOptions) {
  const makeKey = options.idempotencyKey ?? (() => crypto.randomUUID());
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const api = createClient<paths>({
    baseUrl,
    headers: { authorization: `Bearer ${options.apiKey}` },
    fetch: retryingFetch(options.fetch ?? ((request) => fetch(request)), options.retry),
  });
  const idempotency: Middleware = {
    onRequest({ request }) {
      if (request.method === "POST" && !request.headers.has("idempotency-key"))
        request.headers.set("idempotency-key", makeKey());
      return request;
    },
  };
  api.use(idempotency);

  const editId = (edit: { id: string } | string) => (typeof edit === "string" ? edit : edit.id);

  /** POST /v1/edits. Without `async` the answer is the edit (201); with it, the edit or its job. */
  function createEdit(input: CreateEditInput): Promise<EditAnswer>;
  function createEdit(input: CreateEditInput, async: AsyncEditOptions): Promise<EditAnswer | JobAnswer>;
  async function createEdit(
    input: CreateEditInput,
    async?: AsyncEditOptions,
  ): Promise<EditAnswer | JobAnswer> {
    const { image, filename, idempotencyKey, ...fields } = input;
    const form = new FormData();
    form.append(
      "image",
      image instanceof Blob ? image : new Blob([image as Uint8Array<ArrayBuffer>]),
      filename ?? "image",
    );
    for (const [name, value] of Object.entries(fields))
      if (value !== undefined) form.append(name, String(value));
    const result = await api.POST("/v1/edits", {
      // The form is built here (openapi-fetch sends FormData as it is).
      body: form as unknown as EditFields,
      bodySerializer: (body) => body,
      headers: {
        accept: "application/json",
        ...(async ? asyncEditHeaders(async) : {}),
        ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
      },
    });
    const body = unwrap(result);
    const headers = result.response.headers;
    const replayed = headers.get("idempotent-replayed") === "true";
    const requestId = headers.get("x-request-id");
    if (result.response.status === 201) {
      const edit = body as Edit;
      return {
        kind: "edit",
        edit,
        cache: (headers.get("x-cache") as Edit["cache"] | null) ?? edit.cache,
        serverTiming: headers.get("server-timing") ?? "",
        replayed,
        requestId,
      };
    }
    // 202 (open) or 200 (ended by its own Cancel-After within the wait): the job.
    if (async === undefined) throw new ZoneApiError(result.response, null);
    const job = body as Job;
    const location = headers.get("location");
    const retryAfter = retryAfterMs(headers.get("retry-after"), Date.now());
    return {
      kind: "job",
      job,
      location: location === null ? job.links.self : new URL(location, baseUrl).href,
      retryAfterSeconds: retryAfter > 0 ? retryAfter / 1000 : null,
      preferenceApplied: headers.get("preference-applied"),
      replayed,
      requestId,
    };
  }

  return {
    /** The openapi-fetch client itself, for any operation of the document. */
    api,

    createEdit,

    /** GET /v1/edits/{id}: an edit, a compose or a job (whatever state it is in). */
    async getEdit(edit: { id: string } | string): Promise<EditLookup> {
      return unwrap(await api.GET("/v1/edits/{id}", { params: { path: { id: editId(edit) } } }));
    },

    /**
     * Follows a job (its id, or the job a JobAnswer carries) until it ends, polling GET
     * /v1/edits/{id} as each answer's Retry-After says: the finished edit, or a ZoneApiError with
     * the job's problem (and `job`) when it failed or was canceled. Also takes an edit's id (done).
     */
    waitForEdit(job: EditLookup | string, wait: WaitForEditOptions = {}): Promise<FinishedEdit> {
      return followJob(
        async (id, signal) => {
          const result = await api.GET("/v1/edits/{id}", { params: { path: { id } }, signal });
          return {
            job: unwrap(result),
            retryAfterMs: retryAfterMs(result.response.headers.get("retry-after"), Date.now()),
          };
        },
        job,
        wait,
      );
    },

    /** POST /v1/edits/{id}/cancel: cancels a job that has not ended (nothing is billed); the job then. */
    async cancelEdit(job: { id: string } | string): Promise<Job> {
      const result = await api.POST("/v1/edits/{id}/cancel", { params: { path: { id: editId(job) } } });
      // openapi-fetch's Readable<> drops the succeeded variant's null-typed members; the body is a Job.
      return unwrap(result) as Job;
    },

    async deleteEdit(edit: { id: string } | string): Promise<void> {
      unwrap(await api.DELETE("/v1/edits/{id}", { params: { path: { id: editId(edit) } } }));
    },

    /** An artifact's bytes and type (result: its format; layer and mask: PNG). */
    async downloadArtifact(edit: { id: string } | string, artifact: ArtifactName): Promise<Artifact> {
      const result = await api.GET("/v1/edits/{id}/{artifact}", {
        params: { path: { id: editId(edit), artifact } },
        parseAs: "arrayBuffer",
      });
      const bytes = unwrap(result) as ArrayBuffer;
      return {
        bytes: new Uint8Array(bytes),
        contentType: result.response.headers.get("content-type") ?? "application/octet-stream",
      };
    },

    async usage(period: { from?: string; to?: string } = {}): Promise<UsageReport> {
      return unwrap(await api.GET("/v1/usage", { params: { query: period } }));
    },
  };
}

export type ZoneClient = ReturnType<typeof createZoneClient>;
