// OpenAPI 3.1 for the public API, assembled from the zod schemas in shared/ (z.toJSONSchema) and
// the shared defaults and enumerations, and a Swagger UI page at /docs that reads it.
import {
  CACHE_STATES,
  EDIT_ACTIONS,
  EDIT_ARTIFACTS,
  EDIT_MODES,
  editResourceSchema,
  JPEG_QUALITY_RANGE,
  MASK_SIZES,
  METADATA_CHOICES,
  OUTPUT_DEFAULTS,
  OUTPUT_FORMATS,
  PUBLIC_LIMITS,
  usageEntriesSchema,
  usageSchema,
  ZONE_DEFAULTS,
} from "@zone/shared";
import { Hono } from "hono";
import { z } from "zod";
import { HIT_FLUSH_MS } from "../edits/hit-recorder.ts";
import type { AppEnv } from "../env.ts";
import { chainPaths, chainSchemas, PARENT_FIELD } from "./openapi-chain.ts";
import { composeOpenApi } from "./openapi-compose.ts";
import { HINT_FORM_PROPERTIES } from "./openapi-hints.ts";
import { withJobs } from "./openapi-jobs.ts";

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

/** The Edit schema, with what its fields mean to a client. */
function editSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(editResourceSchema) as {
    properties: Record<string, Record<string, unknown>>;
  };
  schema.properties.pipelineVersion.description =
    "The pipeline (code and method defaults) that computed the result. Part of the cache key: a deploy that changes it computes edits again.";
  schema.properties.timingsMs.description =
    "The GPU function's milliseconds per stage for the computation that made the result; the same on every edit sharing that result (a cache hit repeats them, it did not spend them). This request's own timings are in the Server-Timing header.";
  schema.properties.cache.description =
    "MISS: this request made the GPU call (billed). HIT: answered from the stored result. COALESCED: waited for an identical request's GPU call. HIT and COALESCED are free.";
  return schema;
}

const SERVER_TIMING =
  "This request's timings, not the stored ones: on a MISS the GPU function's stages (gpu-queue, gpu-denoise, ..., gpu-total) and the gateway's spans; on a HIT or COALESCED only the gateway's spans, e.g. `cache;desc=\"HIT\";dur=1, total;dur=4` (a free answer's row is written after it, so it has no db span).";

const EDIT_ID_PARAMETER = {
  name: "id",
  in: "path",
  required: true,
  description:
    "The edit's id as answered (`ed_` and 80 base64url characters): a reference to its result, valid for your account only, so its links work from the moment the answer arrives. Older ids (`ed_` and 32 hex digits) keep working.",
  schema: { type: "string" },
};

export function openApiDocument(): Record<string, unknown> {
  const errors = Object.fromEntries(
    ["400", "401", "402", "404", "409", "413", "415", "422", "429", "502", "503", "504"].map((s) => [
      s,
      problem,
    ]),
  );
  const compose = composeOpenApi(problem);
  return withJobs({
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
      schemas: {
        Edit: editSchema(),
        Usage: z.toJSONSchema(usageSchema),
        UsageEntries: z.toJSONSchema(usageEntriesSchema),
        ...chainSchemas(),
        ...compose.schemas,
      },
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
                  required: ["instruction"],
                  properties: {
                    image: {
                      type: "string",
                      format: "binary",
                      description: `PNG, JPEG or WebP; at most ${PUBLIC_LIMITS.maxUploadBytes} bytes, ${PUBLIC_LIMITS.maxSide} px per side, ${PUBLIC_LIMITS.maxPixels} pixels. Or send \`parent\` instead`,
                    },
                    parent: PARENT_FIELD,
                    instruction: { type: "string", maxLength: PUBLIC_LIMITS.instructionChars },
                    action: {
                      type: "string",
                      enum: [...EDIT_ACTIONS],
                      description: "Overrides the action classifier",
                    },
                    seed: { type: "integer", minimum: 0, default: ZONE_DEFAULTS.edit.seed },
                    steps: {
                      type: "integer",
                      minimum: 1,
                      maximum: PUBLIC_LIMITS.steps,
                      default: ZONE_DEFAULTS.edit.steps,
                    },
                    mode: { type: "string", enum: [...EDIT_MODES], default: ZONE_DEFAULTS.edit.mode },
                    output: {
                      type: "string",
                      enum: [...OUTPUT_FORMATS],
                      description:
                        "The result's format: png (8 or 16 bits, alpha, the input's ICC profile) and webp (lossless, 8-bit inputs) return every pixel outside the edit exactly; jpeg is lossy. Absent: the image type Accept ranks highest when the answer is the image, else png",
                    },
                    quality: {
                      type: "integer",
                      minimum: JPEG_QUALITY_RANGE.min,
                      maximum: JPEG_QUALITY_RANGE.max,
                      description: `JPEG quality, with output=jpeg only (default ${OUTPUT_DEFAULTS.jpegQuality})`,
                    },
                    metadata: {
                      type: "string",
                      enum: [...METADATA_CHOICES],
                      default: OUTPUT_DEFAULTS.metadata,
                      description:
                        "strip: only the ICC profile; keep: EXIF (orientation 1, GPS removed) and XMP (dropped if it names GPS); keep-gps: EXIF and XMP with GPS",
                    },
                    maskSize: {
                      type: "string",
                      enum: [...MASK_SIZES],
                      default: OUTPUT_DEFAULTS.maskSize,
                      description:
                        "The mask artifact: M_f* at the working resolution, or the edit's mask at the input's size (every pixel outside it is the input's own)",
                    },
                    ...HINT_FORM_PROPERTIES,
                  },
                },
              },
            },
          },
          responses: {
            "201": {
              description:
                "The edit (JSON), or the result image (in its format: PNG, WebP or JPEG) when Accept ranks an image type (image/png, image/webp, image/jpeg, image/*) at least as high as JSON. Every link in it works as soon as the answer arrives.",
              headers: {
                "X-Cache": { schema: { type: "string", enum: [...CACHE_STATES] } },
                "X-Request-Id": {
                  description:
                    "This request's id (yours, if you sent a valid X-Request-Id); the GPU function logs it too",
                  schema: { type: "string" },
                },
                "Server-Timing": { description: SERVER_TIMING, schema: { type: "string" } },
                Location: { description: "The edit's URL", schema: { type: "string" } },
                "Idempotent-Replayed": {
                  description:
                    "`true` when this is the stored answer of an earlier request with the same Idempotency-Key",
                  schema: { type: "string", enum: ["true"] },
                },
              },
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/Edit" } },
                "image/png": {},
                "image/webp": {},
                "image/jpeg": {},
              },
            },
            ...errors,
          },
        },
      },
      ...compose.paths,
      "/v1/edits/{id}": {
        parameters: [EDIT_ID_PARAMETER],
        get: {
          summary: "An edit's metadata",
          responses: {
            "200": {
              description: "The edit (or the compose, POST /v1/compose)",
              content: {
                "application/json": {
                  schema: {
                    oneOf: [{ $ref: "#/components/schemas/Edit" }, { $ref: "#/components/schemas/Compose" }],
                  },
                },
              },
            },
            ...errors,
          },
        },
        delete: {
          summary:
            "Remove an edit. Its artifacts (and, for an edit of an upload, the upload kept for a chain's render) are removed with the last edit that shares them (same photo, instruction and parameters). An edit that is the parent of a live edit cannot be removed (409 has_children): delete a chain from its last turn",
          responses: { "204": { description: "Removed" }, ...errors },
        },
      },
      "/v1/edits/{id}/{artifact}": {
        parameters: [
          EDIT_ID_PARAMETER,
          {
            name: "artifact",
            in: "path",
            required: true,
            schema: { type: "string", enum: [...EDIT_ARTIFACTS] },
          },
        ],
        get: {
          summary:
            "An edit's result, RGBA layer, final mask, attention heatmap or canvas (the globally edited image, working resolution without the padding; not for a compose)",
          responses: {
            "200": {
              description: "The result in its format (PNG, WebP or JPEG); the layer and the mask are PNG",
              content: { "image/png": {}, "image/webp": {}, "image/jpeg": {} },
            },
            ...errors,
          },
        },
      },
      ...chainPaths(),
      "/v1/usage": {
        get: {
          summary: "Billed edits and cache hits of your account",
          description: `A billed edit is counted before its answer is sent; a free one (HIT, COALESCED) once its batch is written, about ${HIT_FLUSH_MS} ms after its answer.`,
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
      "/v1/usage/edits": {
        get: {
          summary: "Your account's ledger: each edit with its cost, paged, or as CSV",
          parameters: [
            { name: "from", in: "query", schema: { type: "string", format: "date-time" } },
            { name: "to", in: "query", schema: { type: "string", format: "date-time" } },
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 0, maximum: 1000, default: 100 },
            },
            { name: "cursor", in: "query", schema: { type: "string" } },
            { name: "format", in: "query", schema: { type: "string", enum: ["json", "csv"] } },
          ],
          responses: {
            "200": {
              description: "Ledger entries, oldest first",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/UsageEntries" } },
                "text/csv": {},
              },
            },
            ...errors,
          },
        },
      },
    },
  });
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
