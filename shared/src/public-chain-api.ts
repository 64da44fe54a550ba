// The public API of multi-turn chains (client -> gateway): GET /v1/edits/{id}/stack answers
// `editStackSchema`; POST /v1/edits/{id}/render takes `renderRequestSchema` as JSON. A turn's
// fields are picked from the edit resource (public-api.ts), never copied.
import { z } from "zod";
import { jpegQualitySchema, outputFormatSchema } from "./output-format.ts";
import { editResourceSchema } from "./public-api.ts";

/** The longest chain a render composites (one layer part per turn to the GPU function). */
export const MAX_CHAIN_TURNS = 64;

export const stackTurnSchema = editResourceSchema
  .pick({ id: true, instruction: true, action: true, changedPixels: true, changedBox: true, result: true })
  .extend({
    /** 1 for the edit of the upload, then one more per turn. */
    turn: z.number().int().min(1),
    createdAt: z.string(),
    /** The same links as the edit's own resource. */
    links: editResourceSchema.shape.links,
  });
export type StackTurn = z.infer<typeof stackTurnSchema>;

export const editStackSchema = z.object({
  /** The edit asked about: the last turn. */
  id: z.string(),
  original: z.object({ width: z.number().int(), height: z.number().int(), link: z.string() }),
  turns: z.array(stackTurnSchema),
});
export type EditStack = z.infer<typeof editStackSchema>;

export const renderRequestSchema = z
  .strictObject({
    /** Turns (edit ids from the stack) to leave out; the rest are laid over the original in order. */
    without: z.array(z.string()).max(MAX_CHAIN_TURNS).default([]),
    /** Default: the format (and JPEG quality) of the last kept turn's result; png when none is kept. */
    output: outputFormatSchema.optional(),
    quality: jpegQualitySchema.optional(),
  })
  .refine((r) => r.quality === undefined || r.output === "jpeg", {
    message: "quality needs output jpeg (png and webp are lossless)",
    path: ["quality"],
  });
export type RenderRequest = z.infer<typeof renderRequestSchema>;
