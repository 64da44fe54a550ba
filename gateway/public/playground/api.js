// The playground's calls to this gateway (same origin): the API key from this browser's storage,
// problem details turned into PlaygroundProblem, artifacts fetched with the key as blobs.
const KEY_STORAGE = "zone-edit.apiKey";

export const apiKey = {
  get: () => localStorage.getItem(KEY_STORAGE) ?? "",
  set: (key) => localStorage.setItem(KEY_STORAGE, key),
  forget: () => localStorage.removeItem(KEY_STORAGE),
};

/** An RFC 9457 answer (or a transport failure, with code "network"). */
export class PlaygroundProblem extends Error {
  constructor(status, body) {
    super(body.detail ?? body.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = body.code ?? "unknown";
    this.title = body.title ?? `HTTP ${status}`;
  }
}

async function call(path, init = {}) {
  const headers = new Headers(init.headers);
  const key = apiKey.get();
  if (key) headers.set("authorization", `Bearer ${key}`);
  let response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    throw new PlaygroundProblem(0, { code: "network", title: "Network error", detail: error.message });
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new PlaygroundProblem(response.status, body);
  }
  return response;
}

/** The gateway's health: { status, bundleVersion, fixtures }. */
export async function health() {
  return (await call("/healthz")).json();
}

/** This gateway's OpenAPI document: its paths (the playground offers only what is there) and defaults. */
export async function apiDocument() {
  return (await call("/openapi.json")).json();
}

/** POST /v1/edits: the edit, and this request's headers (X-Cache, Server-Timing). */
export async function createEdit(form) {
  const response = await call("/v1/edits", {
    method: "POST",
    body: form,
    headers: { accept: "application/json", "idempotency-key": crypto.randomUUID() },
  });
  return {
    edit: await response.json(),
    cache: response.headers.get("x-cache"),
    serverTiming: response.headers.get("server-timing") ?? "",
    requestId: response.headers.get("x-request-id"),
  };
}

/** An artifact (result, layer, mask, and later ones) by its link, as a blob. */
export async function artifact(url) {
  return (await call(new URL(url).pathname)).blob();
}

/** The embedded demo scene (`zone demo`'s landscape), built into the Worker's assets. */
export async function demoScene() {
  const blob = await (await call("/build/demo-scene.png")).blob();
  return new File([blob], "demo-scene.png", { type: "image/png" });
}
