// OpenAPI 3.1 for the public API, assembled from the zod schemas in shared/ (z.toJSONSchema), and
// a Swagger UI page at /docs that reads it.
import { editResourceSchema, PUBLIC_LIMITS, usageSchema } from "@zone/shared";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env.ts";

const problem = {
  description: "RFC 9457 problem details",
  content: {
    "application/problem+json": {
      schema: {
        type: "object",
        required: ["type", "title", "status", "detail", "code"],
        properties: {
          type: { type: "string" },
          title: { type: "string" },
          status: { type: "integer" },
          detail: { type: "string" },
          code: { type: "string" },
          instance: { type: "string" },
        },
      },
    },
  },
};

export function openApiDocument(): Record<string, unknown> {
  const errors = Object.fromEntries(
    ["400", "401", "404", "409", "413", "415", "422", "429", "502", "503", "504"].map((s) => [s, problem]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "ZONE Edit API",
      version: "1.0.0",
      description: "Edit one region of a photo from a plain instruction; every other pixel stays as it was.",
    },
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "ze_live_... or ze_test_..." },
      },
      schemas: { Edit: z.toJSONSchema(editResourceSchema), Usage: z.toJSONSchema(usageSchema) },
    },
    security: [{ apiKey: [] }],
    paths: {
      "/v1/edits": {
        post: {
          summary: "Edit an image",
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              schema: { type: "string", maxLength: 255 },
            },
          ],
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["image", "instruction"],
                  properties: {
                    image: {
                      type: "string",
                      format: "binary",
                      description: `PNG, JPEG or WebP; at most ${PUBLIC_LIMITS.maxUploadBytes} bytes, ${PUBLIC_LIMITS.maxSide} px per side, ${PUBLIC_LIMITS.maxPixels} pixels`,
                    },
                    instruction: { type: "string", maxLength: PUBLIC_LIMITS.instructionChars },
                    action: { type: "string", enum: ["change", "add", "remove"] },
                    seed: { type: "integer", minimum: 0, default: 42 },
                    steps: { type: "integer", minimum: 1, maximum: PUBLIC_LIMITS.steps, default: 20 },
                    mode: { type: "string", enum: ["default", "fast"], default: "default" },
                    output: { type: "string", enum: ["png"], default: "png" },
                  },
                },
              },
            },
          },
          responses: {
            "201": {
              description: "The edit (JSON), or with Accept: image/* the result image",
              headers: { "X-Cache": { schema: { type: "string", enum: ["HIT", "MISS", "COALESCED"] } } },
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/Edit" } },
                "image/png": {},
              },
            },
            ...errors,
          },
        },
      },
      "/v1/edits/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        get: {
          summary: "An edit's metadata",
          responses: {
            "200": {
              description: "The edit",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Edit" } } },
            },
            ...errors,
          },
        },
        delete: {
          summary: "Remove an edit and its stored artifacts",
          responses: { "204": { description: "Removed" }, ...errors },
        },
      },
      "/v1/edits/{id}/{artifact}": {
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          {
            name: "artifact",
            in: "path",
            required: true,
            schema: { type: "string", enum: ["result", "layer", "mask"] },
          },
        ],
        get: {
          summary: "An edit's result, RGBA layer or final mask",
          responses: { "200": { description: "PNG", content: { "image/png": {} } }, ...errors },
        },
      },
      "/v1/usage": {
        get: {
          summary: "Billed edits and cache hits of your account",
          parameters: [
            { name: "from", in: "query", schema: { type: "string", format: "date-time" } },
            { name: "to", in: "query", schema: { type: "string", format: "date-time" } },
          ],
          responses: {
            "200": {
              description: "Usage",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Usage" } } },
            },
            ...errors,
          },
        },
      },
    },
  };
}

export const docs = new Hono<AppEnv>();

docs.get("/openapi.json", (c) => c.json(openApiDocument()));

docs.get("/docs", (c) =>
  c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ZONE Edit API</title>
<link rel="stylesheet" href="https://unpkg.com/swagger-ui-dist@5/swagger-ui.css"></head>
<body><div id="ui"></div><script src="https://unpkg.com/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: "/openapi.json", dom_id: "#ui" });</script></body></html>`),
);
