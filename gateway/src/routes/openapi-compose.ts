// The OpenAPI part of POST /v1/compose (routes/compose.ts): its operation, its form (fields from
// the shared enumerations and defaults) and the Compose schema (composeResourceSchema). Merged into
// openApiDocument() by routes/openapi.ts.
import {
  CACHE_STATES,
  composeResourceSchema,
  EDIT_ACTIONS,
  EDITED_RESIZES,
  OUTPUT_DEFAULTS,
  OUTPUT_FORMATS,
  PUBLIC_LIMITS,
  SAM_SETTINGS,
  ZONE_DEFAULTS,
} from "@zone/shared";
import { z } from "zod";
import { DEFAULT_PRICES } from "../billing/prices.ts";
import { OUTPUT_FORM_PROPERTIES } from "../openapi/edits-paths.ts";

/** The statuses POST /v1/compose can answer with a problem, and why. */
export const COMPOSE_ERRORS: Readonly<Record<string, string>> = {
  "400": "A missing, repeated or malformed field (the detail names it), or an unknown field",
  "401": "No, a malformed, unknown or revoked API key",
  "402": "The balance does not cover a compose (the body has `balance` and `price`)",
  "409": "A request with this Idempotency-Key is still running",
  "413":
    "The body, a file or the files together are over the upload limit, or an image is over the pixel limits",
  "415": "A file is not PNG, JPEG or WebP, or the original's colour space cannot be returned exactly",
  "422":
    "A file is truncated or corrupt, the output cannot hold the original exactly, or the Idempotency-Key was used with another request",
  "429": "Rate limit, or a test key's daily quota",
  "502": "The GPU function failed",
  "503": "The GPU function is unavailable or has no Segment Anything loaded (send sam=off)",
  "504": "The GPU function timed out",
};

const file = (what: string) => ({
  type: "string",
  format: "binary",
  description: `${what} PNG, JPEG or WebP; the files together at most ${PUBLIC_LIMITS.maxUploadBytes} bytes; each at most ${PUBLIC_LIMITS.maxSide} px per side and ${PUBLIC_LIMITS.maxPixels} pixels`,
});

function composeSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(composeResourceSchema) as {
    properties: Record<string, Record<string, unknown>>;
  };
  schema.properties.edited.description = `The edited image as sent and how it reached the original's size: ${EDITED_RESIZES.join(", ")} (stretched: another aspect ratio, each axis scaled on its own; never cropped)`;
  schema.properties.fallback.description =
    "fineMask true: the fine mask is the rough mask (sam off: no-candidates; no segment overlapped it: no-overlap)";
  schema.properties.cache.description =
    "MISS: this request made the GPU call (billed as compose). HIT, COALESCED: free.";
  return schema;
}

export function composeOpenApi(problem: Record<string, unknown>): {
  schemas: Record<string, unknown>;
  paths: Record<string, unknown>;
} {
  const errors = Object.fromEntries(
    Object.entries(COMPOSE_ERRORS).map(([status, description]) => [status, { ...problem, description }]),
  );
  return {
    schemas: { Compose: composeSchema() },
    paths: {
      "/v1/compose": {
        post: {
          operationId: "createCompose",
          tags: ["compose"],
          summary: "Make any editor's output of a photo a local edit of it",
          description: `ZONE's back half on another editor's output (no diffusion): the rough mask from the two images' low-pass difference (or yours), Segment Anything on the edited image (on the original for action=remove), Region-IoU, the FFT edge smoother and the layer composite over the untouched original: every pixel outside the layer is the original's own. Costs ${DEFAULT_PRICES.compose} credits by default (an edit ${DEFAULT_PRICES.edit}). The answer's id is an edit id: GET /v1/edits/{id}, its result, layer and mask, DELETE.`,
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
                  required: ["image", "edited"],
                  properties: {
                    image: file("The original photo:"),
                    edited: file(
                      "Any editor's output of it, any size (resized to the original's frame; another aspect ratio is stretched):",
                    ),
                    rough: file(
                      "Optional rough mask (white = edited), any size; default: the thresholded low-pass difference of the two images.",
                    ),
                    action: {
                      type: "string",
                      enum: [...EDIT_ACTIONS],
                      default: "change",
                      description: "remove: Segment Anything segments the original, else the edited image",
                    },
                    sam: {
                      type: "string",
                      enum: [...SAM_SETTINGS],
                      default: ZONE_DEFAULTS.edit.sam,
                      description:
                        "full: the 32 x 32 grid; guided: only grid points near the rough mask; off: the rough mask is the fine mask (no model runs)",
                    },
                    output: { type: "string", enum: [...OUTPUT_FORMATS], default: OUTPUT_DEFAULTS.format },
                    ...OUTPUT_FORM_PROPERTIES,
                  },
                },
              },
            },
          },
          responses: {
            "201": {
              description: "The compose, in the shape of an edit; its links work at once",
              headers: {
                "X-Cache": { schema: { type: "string", enum: [...CACHE_STATES] } },
                Location: { description: "The compose's URL (under /v1/edits)", schema: { type: "string" } },
                "Server-Timing": { schema: { type: "string" } },
              },
              content: { "application/json": { schema: { $ref: "#/components/schemas/Compose" } } },
            },
            ...errors,
          },
        },
      },
    },
  };
}
