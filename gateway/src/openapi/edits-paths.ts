// /v1/edits: create (multipart), read, delete, and the artifacts.
import {
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
  SEED_RANGE,
  ZONE_DEFAULTS,
} from "@zone/shared";
import { z } from "zod";
import { PARENT_FIELD } from "../routes/openapi-chain.ts";
import { HINT_FORM_PROPERTIES } from "../routes/openapi-hints.ts";
import { EDIT_EXAMPLE } from "./edit-example.ts";
import { responseHeaders } from "./headers.ts";
import type { OpenApiObject, PathModule } from "./path-module.ts";
import { AUTHENTICATED, problemResponses } from "./problems.ts";
import { withRealBounds } from "./schema-bounds.ts";

/** The Edit schema, with real integer bounds and what its fields mean to a client. */
function editSchema(): OpenApiObject {
  const schema = withRealBounds(z.toJSONSchema(editResourceSchema)) as {
    properties: Record<string, Record<string, unknown>>;
  } & OpenApiObject;
  const { properties } = schema;
  Object.assign(properties.seed, { minimum: SEED_RANGE.min, maximum: SEED_RANGE.max });
  Object.assign(properties.steps, { minimum: 1, maximum: PUBLIC_LIMITS.steps });
  properties.pipelineVersion.description =
    "The pipeline (code and method defaults) that computed the result. Part of the cache key: a deploy that changes it computes edits again.";
  properties.timingsMs.description =
    "The GPU function's milliseconds per stage for the computation that made the result; the same on every edit sharing that result (a cache hit repeats them, it did not spend them). This request's own timings are in the Server-Timing header.";
  properties.cache.description =
    "MISS: this request made the GPU call (billed). HIT: answered from the stored result. COALESCED: waited for an identical request's GPU call. HIT and COALESCED are free.";
  properties.changedBox.description =
    "The smallest box (x0, y0 inclusive; x1, y1 exclusive, in the input's pixels) holding every changed pixel; null when nothing changed";
  properties.links.description = "Absolute URLs of the edit and its artifacts (send the same API key)";
  schema.examples = [EDIT_EXAMPLE];
  return schema;
}

/** The result's quality, metadata and mask size as form fields: POST /v1/edits and POST
 * /v1/compose take them alike (the output field itself differs: an edit's follows Accept). */
export const OUTPUT_FORM_PROPERTIES = {
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
} as const;

const EDIT_ID_PARAMETER = {
  name: "id",
  in: "path",
  required: true,
  description:
    "The edit's id as answered (`ed_` and 80 base64url characters): a reference to its result, valid for your account only, so its links work from the moment the answer arrives. Older ids (`ed_` and 32 hex digits) keep working.",
  // An async job's id (ej_, issue 16) names the edit too once it has succeeded.
  schema: { type: "string", pattern: "^(ed_([A-Za-z0-9_-]{80}|[0-9a-f]{32})|ej_[0-9a-f]{96})$" },
  example: EDIT_EXAMPLE.id,
};

const EDIT_JSON = { "application/json": { schema: { $ref: "#/components/schemas/Edit" } } };

const createEdit = {
  operationId: "createEdit",
  summary: "Edit an image",
  description:
    "Edits the region the instruction names and returns every other pixel exactly as sent. Billed once per MISS; a HIT or COALESCED answer is free. Send an Idempotency-Key to retry safely.",
  tags: ["edits"],
  parameters: [
    {
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Any string up to 255 characters: a retry with the same key and request gets the first answer (Idempotent-Replayed: true) and is not billed again",
      schema: { type: "string", minLength: 1, maxLength: 255 },
      example: "3f7d0c52-6a1e-4d8e-9a3b-5f0c2e9d1a77",
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
              description: `Send \`image\` or \`parent\`. PNG, JPEG or WebP; at most ${PUBLIC_LIMITS.maxUploadBytes} bytes, ${PUBLIC_LIMITS.maxSide} px per side, ${PUBLIC_LIMITS.maxPixels} pixels`,
            },
            instruction: {
              type: "string",
              minLength: 1,
              maxLength: PUBLIC_LIMITS.instructionChars,
              example: "make the cat black",
            },
            action: {
              type: "string",
              enum: [...EDIT_ACTIONS],
              description: "Overrides the action classifier",
            },
            seed: {
              type: "integer",
              minimum: SEED_RANGE.min,
              maximum: SEED_RANGE.max,
              default: ZONE_DEFAULTS.edit.seed,
              example: 42,
            },
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
            ...OUTPUT_FORM_PROPERTIES,
            parent: PARENT_FIELD,
            ...HINT_FORM_PROPERTIES,
          },
        },
        encoding: { image: { contentType: "image/png, image/jpeg, image/webp" } },
      },
    },
  },
  responses: {
    "201": {
      description:
        "The edit (JSON), or the result image (in its format: PNG, WebP or JPEG) when Accept ranks an image type (image/png, image/webp, image/jpeg, image/*) at least as high as JSON. Every link in it works as soon as the answer arrives.",
      headers: responseHeaders("Location", "X-Cache", "Server-Timing", "Idempotent-Replayed"),
      content: {
        ...EDIT_JSON,
        "image/png": { schema: { type: "string", format: "binary" } },
        "image/webp": { schema: { type: "string", format: "binary" } },
        "image/jpeg": { schema: { type: "string", format: "binary" } },
      },
    },
    ...problemResponses([
      "invalid_argument",
      ...AUTHENTICATED,
      "insufficient_credits",
      "not_found",
      "idempotency_in_flight",
      "payload_too_large",
      "image_too_large",
      "unsupported_media_type",
      "unsupported_image",
      "unsupported_colour_space",
      "empty_instruction",
      "image_truncated",
      "image_or_parent",
      "lossy_parent",
      "invalid_hint",
      "unsupported_output",
      "idempotency_mismatch",
      "rate_limited",
      "quota_exceeded",
      "upstream_error",
      "upstream_unavailable",
      "upstream_timeout",
    ]),
  },
};

const IMAGE = { schema: { type: "string", format: "binary" } };

export const EDITS_PATHS: PathModule = {
  name: "edits",
  schemas: { Edit: editSchema() },
  paths: {
    "/v1/edits": { post: createEdit },
    "/v1/edits/{id}": {
      parameters: [EDIT_ID_PARAMETER],
      get: {
        operationId: "getEdit",
        summary: "An edit's metadata",
        tags: ["edits"],
        responses: {
          "200": {
            description: "The edit (or, for an id POST /v1/compose answered, the compose)",
            headers: responseHeaders(),
            content: {
              "application/json": {
                schema: {
                  oneOf: [{ $ref: "#/components/schemas/Edit" }, { $ref: "#/components/schemas/Compose" }],
                },
              },
            },
          },
          ...problemResponses([...AUTHENTICATED, "not_found"]),
        },
      },
      delete: {
        operationId: "deleteEdit",
        summary: "Remove an edit",
        description:
          "Its artifacts (and the upload kept for a chain's render) are removed with the last edit that shares them (same photo, instruction and parameters). A parent of a live edit cannot be deleted (409 has_children): delete a chain from its last turn.",
        tags: ["edits"],
        responses: {
          "204": { description: "Removed", headers: responseHeaders() },
          ...problemResponses([...AUTHENTICATED, "not_found", "has_children"]),
        },
      },
    },
    "/v1/edits/{id}/{artifact}": {
      parameters: [
        EDIT_ID_PARAMETER,
        {
          name: "artifact",
          in: "path",
          required: true,
          description:
            "result: the edited image; layer: the RGBA layer (edit over transparency); mask: the final mask; attention: the attention heatmap and canvas: the globally edited image I_sty (edits only, PNG at the working resolution)",
          schema: { type: "string", enum: [...EDIT_ARTIFACTS] },
          example: "result",
        },
      ],
      get: {
        operationId: "getEditArtifact",
        summary: "An edit's result, RGBA layer or final mask",
        tags: ["edits"],
        responses: {
          "200": {
            description: "The result in its format (PNG, WebP or JPEG); the layer and the mask are PNG",
            headers: responseHeaders(),
            content: { "image/png": IMAGE, "image/webp": IMAGE, "image/jpeg": IMAGE },
          },
          ...problemResponses([...AUTHENTICATED, "not_found"]),
        },
      },
    },
  },
};
