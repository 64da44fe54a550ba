// The internal API of compose (gateway -> GPU function): `POST /v1/compose` takes a multipart
// request with the original (`image`), any editor's output of it (`edited`, any size), an
// optional rough mask (`rough`) and a `params` JSON part validated by `gpuComposeParamsSchema`;
// it answers multipart/form-data like an edit (result, layer, mask) whose `meta` part follows
// `gpuComposeMetaSchema`. ZONE's back half (method sections 4-5) on someone else's canvas: no
// diffusion. Defaults come from ZONE_DEFAULTS (zone-defaults.ts).
import { z } from "zod";
import { ZoneError } from "./errors.ts";
import { EDIT_OUTPUTS, type GpuEditMeta, gpuEditMetaSchema } from "./gpu-edit-api.ts";
import {
  jpegQualitySchema,
  MASK_SIZES,
  metadataChoiceSchema,
  OUTPUT_DEFAULTS,
  outputFormatSchema,
} from "./output-format.ts";
import { formatZodIssues } from "./zod-issues.ts";
import { EDIT_ACTIONS, FIDELITIES, SAM_SETTINGS, ZONE_DEFAULTS } from "./zone-defaults.ts";

/** Names of the multipart fields of a compose request (the answer's are an edit's). */
export const COMPOSE_REQUEST_FIELDS = {
  image: "image",
  edited: "edited",
  rough: "rough",
  params: "params",
} as const;

/** The action a compose assumes unless told: it only picks what SAM segments (remove: the original). */
export const COMPOSE_DEFAULT_ACTION = "change" as const;

export const gpuComposeParamsSchema = z
  .strictObject({
    /** remove: SAM segments the original (method section 4); else the edited image. */
    action: z.enum(EDIT_ACTIONS).default(COMPOSE_DEFAULT_ACTION),
    /** "off": the fine mask is the rough mask (no Segment Anything: works on any machine). */
    sam: z.enum(SAM_SETTINGS).default(ZONE_DEFAULTS.edit.sam),
    fidelity: z.enum(FIDELITIES).default(ZONE_DEFAULTS.edit.fidelity),
    outputs: z
      .array(z.enum(EDIT_OUTPUTS))
      .min(1)
      .refine((list) => new Set(list).size === list.length, "must not repeat an output")
      .default([...EDIT_OUTPUTS]),
    output: outputFormatSchema.default(OUTPUT_DEFAULTS.format),
    quality: jpegQualitySchema.optional(),
    metadata: metadataChoiceSchema.default(OUTPUT_DEFAULTS.metadata),
    maskSize: z.enum(MASK_SIZES).default(OUTPUT_DEFAULTS.maskSize),
  })
  .refine((p) => p.quality === undefined || p.output === "jpeg", {
    message: "quality applies to output jpeg only (png and webp are lossless)",
    path: ["quality"],
  });
export type GpuComposeParams = z.infer<typeof gpuComposeParamsSchema>;
export type GpuComposeParamsInput = z.input<typeof gpuComposeParamsSchema>;

export function parseGpuComposeParams(json: unknown): GpuComposeParams {
  const result = gpuComposeParamsSchema.safeParse(json);
  if (result.success) return result.data;
  throw new ZoneError("invalid_argument", `invalid params: ${formatZodIssues(result.error)}`);
}

/**
 * How the edited image was brought to the original's frame: as it was (same size), scaled (same
 * aspect ratio within a pixel) or stretched (another aspect ratio: each axis scaled on its own,
 * never cropped or padded).
 */
export const EDITED_RESIZES = ["none", "scaled", "stretched"] as const;
export type EditedResize = (typeof EDITED_RESIZES)[number];

const size = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });

/** What one compose was and did. */
export const gpuComposeMetaSchema = gpuEditMetaSchema
  .pick({
    bundleId: true,
    pipelineVersion: true,
    fixtures: true,
    fidelity: true,
    action: true,
    original: true,
    working: true,
    changedPixels: true,
    changedBox: true,
    fallback: true,
    segment: true,
    timingsMs: true,
    providers: true,
    outputs: true,
    result: true,
  })
  .extend({
    kind: z.literal("compose"),
    /** The edited image as sent, and how it was brought to the original's size. */
    edited: size.extend({ resize: z.enum(EDITED_RESIZES) }),
    /** The rough mask: the caller's (`given`) or the thresholded low-pass difference. */
    roughSource: z.enum(["given", "difference"]),
  });
export type GpuComposeMeta = z.infer<typeof gpuComposeMetaSchema>;

/** How an `edited` of `edited` size reaches an `original` of `original` size. */
export function editedResize(
  edited: { width: number; height: number },
  original: { width: number; height: number },
): EditedResize {
  if (edited.width === original.width && edited.height === original.height) return "none";
  // Same aspect ratio up to one pixel of rounding on either axis of the edited image.
  const height = (edited.width * original.height) / original.width;
  const width = (edited.height * original.width) / original.height;
  return Math.abs(height - edited.height) <= 1 || Math.abs(width - edited.width) <= 1
    ? "scaled"
    : "stretched";
}

/** What the gateway stores per result: an edit's meta or a compose's. */
export type GpuResultMeta = GpuEditMeta | GpuComposeMeta;

export function isComposeMeta(meta: GpuResultMeta): meta is GpuComposeMeta {
  return "kind" in meta && meta.kind === "compose";
}
