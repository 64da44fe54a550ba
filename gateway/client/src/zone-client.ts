// The typed client: openapi-fetch over the generated paths (api-types.ts), with the API key, an
// Idempotency-Key on every POST unless the caller gives one, retries of 429/503 honouring
// Retry-After (retrying-fetch.ts), refusals thrown as ZoneApiError, and artifact downloads.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./api-types.ts";
import { ZoneApiError } from "./problem-error.ts";
import { type ClientRetryOptions, retryingFetch } from "./retrying-fetch.ts";

export type Edit = components["schemas"]["Edit"];
/** What GET /v1/edits/{id} answers: an edit, a compose (an id POST /v1/compose answered) or an async job (an ej_ id). */
export type EditLookup = Edit | components["schemas"]["Compose"] | components["schemas"]["EditJob"];
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

export interface EditAnswer {
  edit: Edit;
  /** X-Cache: MISS (billed), HIT or COALESCED (free). */
  cache: Edit["cache"];
  /** This request's Server-Timing header. */
  serverTiming: string;
  /** true when the answer is the stored one of an earlier request with the same Idempotency-Key. */
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
  const api = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
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

  const editId = (edit: Edit | string) => (typeof edit === "string" ? edit : edit.id);

  return {
    /** The openapi-fetch client itself, for any operation of the document. */
    api,

    async createEdit(input: CreateEditInput): Promise<EditAnswer> {
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
          ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
        },
      });
      const edit = unwrap(result) as Edit;
      const headers = result.response.headers;
      return {
        edit,
        cache: (headers.get("x-cache") as Edit["cache"] | null) ?? edit.cache,
        serverTiming: headers.get("server-timing") ?? "",
        replayed: headers.get("idempotent-replayed") === "true",
        requestId: headers.get("x-request-id"),
      };
    },

    async getEdit(edit: Edit | string): Promise<EditLookup> {
      return unwrap(await api.GET("/v1/edits/{id}", { params: { path: { id: editId(edit) } } }));
    },

    async deleteEdit(edit: Edit | string): Promise<void> {
      unwrap(await api.DELETE("/v1/edits/{id}", { params: { path: { id: editId(edit) } } }));
    },

    /** An artifact's bytes and type (result: its format; layer and mask: PNG). */
    async downloadArtifact(edit: Edit | string, artifact: ArtifactName): Promise<Artifact> {
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
