// The OpenAPI document: valid OpenAPI 3.1 (@apidevtools/swagger-parser), every operation with an
// operationId, a summary and its errors only, realistic numbers, servers, and the path modules'
// merge refusing a path or schema twice.
import SwaggerParser from "@apidevtools/swagger-parser";
import {
  ERROR_CODES,
  editResourceSchema,
  JPEG_QUALITY_RANGE,
  LOCAL_GATEWAY_URL,
  MASK_SIZES,
  METADATA_CHOICES,
  OUTPUT_DEFAULTS,
  REQUEST_ID_HEADER,
  WEBHOOK_EVENTS,
  webhookPayloadSchema,
} from "@zone/shared";
import { describe, expect, it } from "vitest";
import { openApiDocument, PATH_MODULES } from "./document.ts";
import { EDIT_EXAMPLE } from "./edit-example.ts";
import { RESPONSE_HEADERS } from "./headers.ts";
import { problemResponses } from "./problems.ts";
import { OPENAPI_TAGS } from "./tags.ts";

type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  security?: unknown[];
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
};
const METHODS = ["get", "put", "post", "delete", "patch"];

function operations(document = openApiDocument()): Array<[string, string, Operation]> {
  const paths = document.paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => method in item).map(
      (method) => [path, method, item[method] as Operation] as [string, string, Operation],
    ),
  );
}

/** "method path: why" for each operation without a tag or with one the document does not declare. */
function untaggedOperations(document: ReturnType<typeof openApiDocument>): string[] {
  const declared = new Set(((document.tags ?? []) as Array<{ name: string }>).map((tag) => tag.name));
  return operations(document).flatMap(([path, method, op]) => {
    if (!op.tags?.length) return [`${method} ${path}: no tag`];
    return op.tags.filter((tag) => !declared.has(tag)).map((tag) => `${method} ${path}: undeclared ${tag}`);
  });
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 by @apidevtools/swagger-parser, every $ref resolving", async () => {
    const api = await SwaggerParser.validate(structuredClone(openApiDocument()) as never);
    expect(api.info.title).toBe("ZONE Edit API");
  });

  it("gives every operation a unique operationId and a summary", () => {
    const ids = operations().map(([, , op]) => op.operationId);
    expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [path, method, op] of operations()) expect(op.summary, `${method} ${path}`).toBeTruthy();
    expect(ids).toEqual(
      expect.arrayContaining([
        "createEdit",
        "getEdit",
        "deleteEdit",
        "getEditArtifact",
        "getUsage",
        "listUsageEdits",
      ]),
    );
  });

  it("has no JavaScript safe-integer bounds and real ones for seed and steps", () => {
    const text = JSON.stringify(openApiDocument());
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
    const edit = (
      openApiDocument().components as { schemas: { Edit: { properties: Record<string, object> } } }
    ).schemas.Edit.properties;
    expect(edit.seed).toMatchObject({ minimum: 0, maximum: 2 ** 32 - 1 });
    expect(edit.steps).toMatchObject({ minimum: 1, maximum: 50 });
  });

  it("shows an Edit example that is what the gateway answers (editResourceSchema)", () => {
    expect(editResourceSchema.parse(EDIT_EXAMPLE)).toEqual(EDIT_EXAMPLE);
  });

  it("lists only the errors an operation can return: reading an edit is not billed or rate limited", () => {
    const byId = Object.fromEntries(operations().map(([, , op]) => [op.operationId, op]));
    expect(Object.keys(byId.getEdit.responses).sort()).toEqual(["200", "401", "404", "500"]);
    expect(Object.keys(byId.getUsage.responses).sort()).toEqual(["200", "400", "401", "500"]);
    expect(Object.keys(byId.createEdit.responses)).toEqual(
      expect.arrayContaining([
        "201",
        "400",
        "401",
        "402",
        "409",
        "413",
        "415",
        "422",
        "429",
        "502",
        "503",
        "504",
      ]),
    );
    expect(byId.getHealth.responses).not.toHaveProperty("401");
    expect(byId.getHealth.security).toEqual([]);
  });

  it("documents the response headers: X-Request-Id everywhere, the rest where they are sent", () => {
    const { responses } = operations().find(([, , op]) => op.operationId === "createEdit")![2];
    expect(Object.keys(responses["201"].headers ?? {})).toEqual(
      expect.arrayContaining([
        REQUEST_ID_HEADER,
        "Location",
        "X-Cache",
        "Server-Timing",
        "Idempotent-Replayed",
      ]),
    );
    expect(Object.keys(responses["401"].headers ?? {})).toContain("WWW-Authenticate");
    expect(Object.keys(responses["429"].headers ?? {})).toContain("Retry-After");
    expect(Object.keys(responses["503"].headers ?? {})).toContain("Retry-After");
    for (const [path, method, op] of operations())
      for (const [status, response] of Object.entries(op.responses))
        expect(Object.keys(response.headers ?? {}), `${method} ${path} ${status}`).toContain(
          REQUEST_ID_HEADER,
        );
    expect(Object.keys(RESPONSE_HEADERS)).toEqual(
      expect.arrayContaining([
        "Location",
        "Retry-After",
        "Server-Timing",
        "X-Cache",
        "Idempotent-Replayed",
        "WWW-Authenticate",
      ]),
    );
  });

  it("groups error codes by their status, each with an example problem of its code", () => {
    const responses = problemResponses(["unsupported_media_type", "unsupported_image", "not_found"]);
    expect(Object.keys(responses)).toEqual(["404", "415"]);
    const examples = (
      responses["415"].content as Record<string, { examples: Record<string, { value: object }> }>
    )["application/problem+json"].examples;
    expect(Object.keys(examples)).toEqual(["unsupported_media_type", "unsupported_image"]);
    expect(examples.unsupported_image.value).toMatchObject({
      status: ERROR_CODES.unsupported_image.status,
      code: "unsupported_image",
    });
  });

  it("lists the deployment (PUBLIC_BASE_URL) first, then the local stack", () => {
    expect(openApiDocument().servers).toEqual([{ url: LOCAL_GATEWAY_URL, description: expect.any(String) }]);
    const servers = openApiDocument({ publicBaseUrl: "https://api.example.com" }).servers as Array<{
      url: string;
    }>;
    expect(servers.map((server) => server.url)).toEqual(["https://api.example.com", "http://127.0.0.1:8787"]);
  });

  it("merges the path modules, refusing a path two modules document", () => {
    const paths = PATH_MODULES.flatMap((module) => Object.keys(module.paths));
    expect(Object.keys(openApiDocument().paths as object)).toEqual(paths);
    const edits = PATH_MODULES.find((module) => module.name === "edits")!;
    const again = { ...edits, name: "again", schemas: {} };
    (PATH_MODULES as (typeof edits)[]).push(again);
    try {
      expect(() => openApiDocument()).toThrow("again documents /v1/edits a second time");
    } finally {
      (PATH_MODULES as (typeof edits)[]).pop();
    }
  });

  it("gives every operation a tag the document declares (with a description), and uses every declared tag", () => {
    const document = openApiDocument();
    expect(untaggedOperations(document)).toEqual([]);
    const tags = document.tags as Array<{ name: string; description?: string }>;
    expect(tags).toEqual([...OPENAPI_TAGS]);
    expect(new Set(tags.map((tag) => tag.name)).size).toBe(tags.length);
    for (const tag of tags) expect(tag.description, tag.name).toBeTruthy();
    const used = new Set(operations(document).flatMap(([, , op]) => op.tags ?? []));
    expect([...used].sort()).toEqual(tags.map((tag) => tag.name).sort());
    const byId = Object.fromEntries(operations(document).map(([, , op]) => [op.operationId, op.tags]));
    expect(byId).toMatchObject({
      cancelEdit: ["jobs"],
      streamEditEvents: ["jobs"],
      getEdit: ["edits"],
      createEdit: ["edits"],
      getEditStack: ["chains"],
      renderEditStack: ["chains"],
      getEditOriginal: ["chains"],
      createCompose: ["compose"],
      createWebhook: ["webhooks"],
      redeliverWebhook: ["webhooks"],
    });
  });

  it("is the same document on every call (the path modules are not changed by assembling it)", () => {
    const first = JSON.stringify(openApiDocument());
    expect(JSON.stringify(openApiDocument())).toBe(first);
    const createEdit = operations().find(([, , op]) => op.operationId === "createEdit")![2] as Operation & {
      parameters: Array<{ name: string }>;
    };
    expect(createEdit.parameters.filter((p) => p.name === "Prefer")).toHaveLength(1);
  });

  it("names an operation without a tag, and one whose tag is not declared", () => {
    const document = openApiDocument();
    const paths = document.paths as Record<string, Record<string, Operation>>;
    delete paths["/v1/compose"].post.tags;
    paths["/v1/edits/{id}/cancel"].post.tags = ["job"];
    expect(untaggedOperations(document)).toEqual([
      "post /v1/compose: no tag",
      "post /v1/edits/{id}/cancel: undeclared job",
    ]);
  });

  it("documents a webhook delivery's body: webhookPayloadSchema, its job the EditJob schema", () => {
    const document = openApiDocument();
    const payload = (document.components as { schemas: Record<string, { properties: object }> }).schemas
      .WebhookPayload;
    expect(Object.keys(payload.properties)).toEqual(Object.keys(webhookPayloadSchema.shape));
    expect(payload.properties).toMatchObject({
      type: { enum: [...WEBHOOK_EVENTS] },
      data: { $ref: "#/components/schemas/EditJob" },
    });
  });

  it("documents quality, metadata and maskSize for edits and composes alike, from the shared owners", () => {
    const document = openApiDocument() as unknown as {
      paths: Record<
        string,
        {
          post: {
            requestBody: {
              content: { "multipart/form-data": { schema: { properties: Record<string, unknown> } } };
            };
          };
        }
      >;
    };
    const form = (path: string) =>
      document.paths[path].post.requestBody.content["multipart/form-data"].schema.properties;
    const expected = {
      quality: { type: "integer", minimum: JPEG_QUALITY_RANGE.min, maximum: JPEG_QUALITY_RANGE.max },
      metadata: { type: "string", enum: [...METADATA_CHOICES], default: OUTPUT_DEFAULTS.metadata },
      maskSize: { type: "string", enum: [...MASK_SIZES], default: OUTPUT_DEFAULTS.maskSize },
    };
    for (const path of ["/v1/edits", "/v1/compose"]) expect(form(path), path).toMatchObject(expected);
    for (const name of Object.keys(expected))
      expect(form("/v1/compose")[name], name).toEqual(form("/v1/edits")[name]);
  });
});
