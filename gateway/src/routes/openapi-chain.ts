// OpenAPI of multi-turn chains (routes/edit-stack.ts and the `parent` field of POST /v1/edits),
// from the shared schemas (public-chain-api.ts), merged into openApiDocument(): each operation
// with its id, summary and the problem statuses it can really answer.
import { editStackSchema, MAX_CHAIN_TURNS, OUTPUT_FORMATS, renderRequestSchema } from "@zone/shared";
import { z } from "zod";

const problem = {
  description: "RFC 9457 problem details (see the `code`)",
  content: { "application/problem+json": { schema: { type: "object" } } },
};
const problems = (statuses: string[]) => Object.fromEntries(statuses.map((s) => [s, problem]));

const ID = {
  name: "id",
  in: "path",
  required: true,
  description: "An edit id of your account (or a succeeded async job's `ej_` id): the chain's last turn",
  schema: { type: "string" },
};

/** The `parent` form field of POST /v1/edits. */
export const PARENT_FIELD = {
  type: "string",
  description: `Instead of \`image\`: the id of one of your edits (an \`ed_\` id, or the \`ej_\` id of a succeeded async job) whose result is this edit's input (a chain's next turn, at most ${MAX_CHAIN_TURNS} turns). Its result must be lossless (png, or webp without alpha): else 422 lossy_parent. Send \`image\` or \`parent\`, exactly one: else 422 image_or_parent. An unknown parent, another account's, or a job that has not succeeded, is 404. The cache key covers the whole chain.`,
};

export function chainSchemas(): Record<string, unknown> {
  return {
    EditStack: z.toJSONSchema(editStackSchema),
    RenderRequest: z.toJSONSchema(renderRequestSchema, { io: "input" }),
  };
}

export function chainPaths(): Record<string, unknown> {
  return {
    "/v1/edits/{id}/stack": {
      parameters: [ID],
      get: {
        operationId: "getEditStack",
        tags: ["chains"],
        summary: "The chain from the original upload to this edit: each turn's instruction, box and links",
        responses: {
          "200": {
            description: "The chain, first turn (the edit of the upload) first",
            content: { "application/json": { schema: { $ref: "#/components/schemas/EditStack" } } },
          },
          ...problems(["400", "401", "404"]),
        },
      },
    },
    "/v1/edits/{id}/original": {
      parameters: [ID],
      get: {
        operationId: "getEditOriginal",
        tags: ["chains"],
        summary: "The chain's original upload, as it was sent",
        description:
          "Stored with the first turn's result and deleted with it. Results made before chains existed keep no original (404).",
        responses: {
          "200": {
            description: "The upload",
            content: { "image/png": {}, "image/jpeg": {}, "image/webp": {} },
          },
          ...problems(["401", "404"]),
        },
      },
    },
    "/v1/edits/{id}/render": {
      parameters: [ID],
      post: {
        operationId: "renderEditStack",
        tags: ["chains"],
        summary: "Re-compose the chain without some turns (undo), without diffusion: free",
        description:
          "Lays the layers of the chain's turns, less `without`, over the original upload in order, with the composite each edit applied. Leaving out only later turns gives the last kept turn's result file byte for byte (undo); keeping all gives this edit's result. Leaving out an earlier turn is an approximation: every later turn was computed on an image that contained it. The file is in the last kept turn's format (or `output`) with that result file's metadata. Not billed, not stored; rate-limited like edits.",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/RenderRequest" } } },
        },
        responses: {
          "200": {
            description: "The rendered image",
            headers: {
              "X-Render-Turns": {
                description: "The turn numbers (1-based) laid over the original, e.g. `1,3`",
                schema: { type: "string" },
              },
            },
            content: Object.fromEntries(OUTPUT_FORMATS.map((f) => [`image/${f}`, {}])),
          },
          ...problems(["400", "401", "404", "422", "429", "502", "503", "504"]),
        },
      },
    },
  };
}
