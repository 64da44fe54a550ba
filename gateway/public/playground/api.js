// The playground's calls to this gateway (same origin): the API key from this browser's storage,
// problem details turned into PlaygroundProblem, artifacts fetched with the key as blobs. Links in
// answers are absolute (the gateway's public origin); the page calls their paths on its own origin.
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

/** A link of an answer as a path on this origin. */
export const pathOf = (url) => {
  const parsed = new URL(url, location.origin);
  return `${parsed.pathname}${parsed.search}`;
};

/** fetch with the key; a problem answer (4xx/5xx) or a network failure throws PlaygroundProblem. */
export async function call(path, init = {}) {
  const headers = new Headers(init.headers);
  const key = apiKey.get();
  if (key) headers.set("authorization", `Bearer ${key}`);
  let response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    if (error.name === "AbortError") throw error;
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

/** An answer of POST /v1/edits or /v1/compose: its status, JSON and the headers the page shows. */
async function answerOf(response) {
  return {
    status: response.status,
    body: await response.json(),
    cache: response.headers.get("x-cache"),
    serverTiming: response.headers.get("server-timing") ?? "",
  };
}

/**
 * POST /v1/edits, by default as a job (Prefer: respond-async): 202 with the job while it is queued
 * or running, 201 with the edit when it is done at once (a cache hit), 200 with a job that already
 * ended. With { job: false }, in one request: 201 with the edit.
 */
export async function submitEdit(form, { job = true } = {}) {
  const headers = { accept: "application/json", "idempotency-key": crypto.randomUUID() };
  if (job) headers.prefer = "respond-async";
  return answerOf(await call("/v1/edits", { method: "POST", body: form, headers }));
}

/** POST /v1/compose: an original and another editor's output of it (and a rough mask) made local. */
export async function submitCompose(form) {
  const response = await call("/v1/compose", {
    method: "POST",
    body: form,
    headers: { accept: "application/json", "idempotency-key": crypto.randomUUID() },
  });
  return answerOf(response);
}

/** GET of a resource by its link (a job, an edit): its JSON. */
export async function resource(url) {
  return (await call(pathOf(url), { headers: { accept: "application/json" } })).json();
}

/** POST /v1/edits/{id}/cancel by the job's cancel link: the job as it is then. */
export async function cancelJob(url) {
  return (await call(pathOf(url), { method: "POST" })).json();
}

/** GET /v1/edits/{id}/stack: the chain from the upload to this edit. */
export async function editStack(id) {
  return (await call(`/v1/edits/${encodeURIComponent(id)}/stack`)).json();
}

/** POST /v1/edits/{id}/render: the chain's layers less `without` over the original (free, CPU only). */
export async function renderChain(id, without) {
  const response = await call(`/v1/edits/${encodeURIComponent(id)}/render`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ without }),
  });
  return { blob: await response.blob(), turns: response.headers.get("x-render-turns") ?? "" };
}

/** An artifact (result, layer, mask, attention, canvas, a chain's original) by its link, as a blob. */
export async function artifact(url) {
  return (await call(pathOf(url))).blob();
}

/** The embedded demo scene (`zone demo`'s landscape), built into the Worker's assets. */
export async function demoScene() {
  const blob = await (await call("/build/demo-scene.png")).blob();
  return new File([blob], "demo-scene.png", { type: "image/png" });
}
