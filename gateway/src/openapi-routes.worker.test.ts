// The document against the Worker itself, generically (it covers every path module, also those
// added later): every route the Hono app serves is documented, every documented operation is
// served, and the statuses the Worker really answers to probes built from the document (no key,
// its examples, an id that does not exist, the id of a real edit) are ones it documents.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { API, createKey, PNG_1x1 } from "../test/worker-helpers.ts";
import { app } from "./app.ts";
import { openApiDocument } from "./openapi/document.ts";

type Parameter = { name: string; in: string; example?: string; schema?: { enum?: string[] } };
type Operation = {
  operationId: string;
  security?: Array<Record<string, unknown>>;
  parameters?: Parameter[];
  requestBody?: {
    content: Record<
      string,
      {
        schema?: {
          required?: string[];
          properties?: Record<string, { format?: string; example?: unknown; enum?: unknown[] }>;
        };
        example?: unknown;
      }
    >;
  };
  responses: Record<string, unknown>;
};
const METHODS = ["get", "post", "put", "delete", "patch"];
const document = openApiDocument();
const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
  ([path, item]) =>
    METHODS.filter((method) => method in item).map((method) => ({
      path,
      method,
      op: item[method] as Operation,
      parameters: [
        ...((item.parameters as Parameter[]) ?? []),
        ...((item[method] as Operation).parameters ?? []),
      ],
    })),
);

/** Hono's `/v1/edits/:id` as OpenAPI's `/v1/edits/{id}`; middleware (`ALL`) is not a route. */
const served = app.routes
  .filter((route) => route.method !== "ALL")
  .map(
    (route) =>
      `${route.method.toLowerCase()} ${route.path.replace(/\/$/, "").replace(/:(\w+)(\{[^/]*\})?/g, "{$1}") || "/"}`,
  );

function url(path: string, parameters: Parameter[], values: Record<string, string>): string {
  return `${API}${path.replace(/\{(\w+)\}/g, (_, name) => {
    const parameter = parameters.find((p) => p.name === name && p.in === "path");
    return encodeURIComponent(values[name] ?? parameter?.example ?? parameter?.schema?.enum?.[0] ?? "x");
  })}`;
}

/** A request body from the operation's document: its example, or its required fields filled. */
function body(op: Operation): { body?: BodyInit; type?: string } {
  const content = op.requestBody?.content ?? {};
  if (content["application/json"])
    return { body: JSON.stringify(content["application/json"].example), type: "application/json" };
  const multipart = content["multipart/form-data"];
  if (!multipart) return {};
  const form = new FormData();
  // The required fields, and the upload: POST /v1/edits needs `image` or `parent`, which a JSON
  // schema of form fields cannot require one of without making the generated client's type unknown.
  const upload = multipart.schema?.properties?.image?.format === "binary" ? ["image"] : [];
  for (const name of [...(multipart.schema?.required ?? []), ...upload]) {
    const field = multipart.schema?.properties?.[name];
    if (field?.format === "binary")
      form.append(name, new Blob([PNG_1x1], { type: "image/png" }), "photo.png");
    else form.append(name, String(field?.example ?? field?.enum?.[0] ?? "x"));
  }
  return { body: form };
}

async function probe(
  entry: (typeof documented)[number],
  auth: string | null,
  values: Record<string, string> = {},
) {
  const { body: requestBody, type } = body(entry.op);
  const headers: Record<string, string> = { accept: "application/json" };
  if (auth) headers.authorization = `Bearer ${auth}`;
  if (type) headers["content-type"] = type;
  const response = await SELF.fetch(url(entry.path, entry.parameters, values), {
    method: entry.method.toUpperCase(),
    headers,
    body: requestBody,
  });
  const contentType = response.headers.get("content-type") ?? "";
  const text = /json|text/.test(contentType)
    ? await response.text()
    : `(${contentType}, ${(await response.arrayBuffer()).byteLength} bytes)`;
  return { status: String(response.status), text };
}

describe("the OpenAPI document against the Worker", () => {
  it("documents every route the Worker serves, and the Worker serves every documented operation", () => {
    const operations = documented.map(({ method, path }) => `${method} ${path}`);
    expect(served.length).toBeGreaterThan(0);
    expect(served.filter((route) => !operations.includes(route))).toEqual([]);
    expect(operations.filter((operation) => !served.includes(operation))).toEqual([]);
  });

  it("answers each operation's probes only with statuses the document lists for it", async () => {
    const key = await createKey("openapi probe");
    const credential = (op: Operation) => {
      const security = op.security ?? (document.security as Array<Record<string, unknown>>);
      if (security.length === 0) return null;
      return "adminToken" in security[0] ? env.ADMIN_TOKEN : key;
    };
    const answered: string[] = [];
    const check = async (
      entry: (typeof documented)[number],
      auth: string | null,
      values?: Record<string, string>,
    ) => {
      const { status, text } = await probe(entry, auth, values);
      answered.push(`${entry.op.operationId} ${status}`);
      expect(
        Object.keys(entry.op.responses),
        `${entry.op.operationId} answered ${status}: ${text.slice(0, 200)}`,
      ).toContain(status);
      return { status, text };
    };
    const values: Record<string, string> = {};
    // Creating first gives a real edit id for the operations that read one.
    const ordered = [...documented].sort((a, b) => Number(b.method === "post") - Number(a.method === "post"));
    for (const entry of ordered) {
      const auth = credential(entry.op);
      if (auth !== null) await check(entry, null);
      const { status, text } = await check(entry, auth);
      if (entry.op.operationId === "createEdit" && status === "201")
        values.id = (JSON.parse(text) as { id: string }).id;
    }
    expect(values.id, answered.join(", ")).toMatch(/^ed_/);
    // Reads of an edit id (not the routes only a job id names, e.g. its events).
    const jobOnly = (e: (typeof documented)[number]) =>
      JSON.stringify(e.parameters ?? []).includes('"pattern":"^ej_');
    for (const entry of ordered.filter(
      (e) => e.path.startsWith("/v1/edits/{id}") && e.method === "get" && !jobOnly(e),
    ))
      expect((await check(entry, key, values)).status).toBe("200");
    // The probes reached both sides: successes, refusals without a key, and unknown ids.
    expect(answered).toEqual(
      expect.arrayContaining([
        "createEdit 201",
        "createEdit 401",
        "getEdit 404",
        "getEdit 200",
        "getHealth 200",
      ]),
    );
  });
});
