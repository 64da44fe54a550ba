// The public side of compose (client -> gateway): the form fields of POST /v1/compose besides its
// files (`image`, `edited`, optional `rough`) and the resource the gateway answers with, derived
// from the GPU function's compose meta (gpu-compose-api.ts) like an edit's is from its meta.
import { z } from "zod";
import { gpuComposeMetaSchema } from "./gpu-compose-api.ts";
import { JPEG_QUALITY_RANGE, MASK_SIZES, metadataChoiceSchema, outputFormatSchema } from "./output-format.ts";
import { CACHE_STATES, formInteger } from "./public-api.ts";
import { EDIT_ACTIONS, SAM_SETTINGS } from "./zone-defaults.ts";

/** The files of POST /v1/compose, in the order they are checked. */
export const COMPOSE_FILE_FIELDS = ["image", "edited", "rough"] as const;
export type ComposeFileField = (typeof COMPOSE_FILE_FIELDS)[number];

export const composeFormSchema = z.strictObject({
  /** remove: Segment Anything segments the original; else the edited image (default change). */
  action: z.enum(EDIT_ACTIONS).optional(),
  /** full (default) | guided | off: off makes the rough mask the fine mask (no SAM). */
  sam: z.enum(SAM_SETTINGS).optional(),
  output: outputFormatSchema.optional(),
  quality: formInteger(JPEG_QUALITY_RANGE.min, JPEG_QUALITY_RANGE.max).optional(),
  metadata: metadataChoiceSchema.optional(),
  maskSize: z.enum(MASK_SIZES).optional(),
});
export type ComposeForm = z.output<typeof composeFormSchema>;

/** A compose as the client sees it: the shape of an edit resource, with what compose did. */
export const composeResourceSchema = gpuComposeMetaSchema
  .pick({
    kind: true,
    action: true,
    bundleId: true,
    pipelineVersion: true,
    edited: true,
    roughSource: true,
    fallback: true,
    changedPixels: true,
    changedBox: true,
    timingsMs: true,
    result: true,
  })
  .extend({
    id: z.string(),
    status: z.literal("succeeded"),
    createdAt: z.string(),
    /** Segment Anything's mode and the image it segmented; null with sam "off". */
    segment: gpuComposeMetaSchema.shape.segment
      .unwrap()
      .pick({ mode: true, image: true, candidates: true, chosenIou: true })
      .nullable(),
    cache: z.enum(CACHE_STATES),
    cached: z.boolean(),
    links: z.object({ self: z.string(), result: z.string(), layer: z.string(), mask: z.string() }),
  });
export type ComposeResource = z.infer<typeof composeResourceSchema>;
