// The internal API between the gateway and the GPU function: `POST /v1/edit` takes a multipart
// request with the image and a `params` JSON part validated by `gpuEditParamsSchema`, and answers
// multipart/form-data whose `meta` part follows `gpuEditMetaSchema`. Defaults come from
// ZONE_DEFAULTS (zone-defaults.ts), the one owner of every method default.
import { z } from "zod";
import { ZoneError } from "./errors.ts";
import {
  jpegQualitySchema,
  MASK_SIZES,
  metadataChoiceSchema,
  OUTPUT_DEFAULTS,
  outputFormatSchema,
} from "./output-format.ts";
import { hintMetaSchema, regionHintSchema } from "./region-hint.ts";
import { formatZodIssues } from "./zod-issues.ts";
import {
  EDIT_ACTIONS,
  EDIT_MODES,
  FIDELITIES,
  SAM_SETTINGS,
  SCHEDULERS,
  ZONE_DEFAULTS,
} from "./zone-defaults.ts";

const D = ZONE_DEFAULTS.edit;

/** Image parts the caller may ask for; `meta` is always sent. */
export const EDIT_OUTPUTS = ["result", "layer", "mask"] as const;
export type EditOutput = (typeof EDIT_OUTPUTS)[number];

/**
 * An edit's other artifacts, on request (never a compose's): the attention heatmap (the
 * difference map D over the image) and the canvas I_sty (the globally edited image), PNG, at the
 * working resolution with the padding cropped off.
 */
export const EDIT_EXTRAS = ["attention", "canvas"] as const;
export const EDIT_ARTIFACTS = [...EDIT_OUTPUTS, ...EDIT_EXTRAS] as const;
export type EditArtifact = (typeof EDIT_ARTIFACTS)[number];

/** Names of the multipart fields, both ways. */
export const EDIT_REQUEST_FIELDS = { image: "image", params: "params" } as const;
export const EDIT_RESPONSE_META_FIELD = "meta";

/** Bounds that keep one edit's cost predictable (the CLI allows up to 1000 steps). */
export const EDIT_LIMITS = { instructionChars: 1000, steps: 100, guidance: 30 } as const;

export const gpuEditParamsSchema = z
  .strictObject({
    instruction: z
      .string()
      .max(EDIT_LIMITS.instructionChars)
      .refine((s) => s.trim() !== "", "must not be empty"),
    /** Overrides the action classifier. */
    action: z.enum(EDIT_ACTIONS).optional(),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(D.seed),
    steps: z.number().int().min(1).max(EDIT_LIMITS.steps).default(D.steps),
    textGuidance: z.number().min(0).max(EDIT_LIMITS.guidance).default(D.textGuidance),
    imageGuidance: z.number().min(0).max(EDIT_LIMITS.guidance).default(D.imageGuidance),
    /** "fast" skips MagicBrush unless the action is remove. */
    mode: z.enum(EDIT_MODES).default(D.mode),
    /** "release" reproduces the authors' release (release-fidelity.ts); default "corrected". */
    fidelity: z.enum(FIDELITIES).default(D.fidelity),
    outputs: z
      .array(z.enum(EDIT_ARTIFACTS))
      .min(1)
      .refine((list) => new Set(list).size === list.length, "must not repeat an output")
      .default([...EDIT_OUTPUTS]),
    /** The result's file format (output-format.ts owns the choices and defaults). */
    output: outputFormatSchema.default(OUTPUT_DEFAULTS.format),
    /** JPEG quality; only with output "jpeg" (default OUTPUT_DEFAULTS.jpegQuality). */
    quality: jpegQualitySchema.optional(),
    /** Which of the input's EXIF/XMP the result keeps; the ICC profile is always kept. */
    metadata: metadataChoiceSchema.default(OUTPUT_DEFAULTS.metadata),
    maskSize: z.enum(MASK_SIZES).default(OUTPUT_DEFAULTS.maskSize),
    /** Where the edit is (region-hint.ts); a mask hint's image is the `hint` part. */
    hint: regionHintSchema.optional(),
  })
  .refine((p) => p.quality === undefined || p.output === "jpeg", {
    message: "quality applies to output jpeg only (png and webp are lossless)",
    path: ["quality"],
  });
export type GpuEditParams = z.infer<typeof gpuEditParamsSchema>;
export type GpuEditParamsInput = z.input<typeof gpuEditParamsSchema>;

/** Validates already-parsed JSON; the error lists every problem with its path. */
export function parseGpuEditParams(json: unknown): GpuEditParams {
  const result = gpuEditParamsSchema.safeParse(json);
  if (result.success) return result.data;
  throw new ZoneError("invalid_argument", `invalid params: ${formatZodIssues(result.error)}`);
}

const box = z.object({
  x0: z.number().int(),
  y0: z.number().int(),
  x1: z.number().int(),
  y1: z.number().int(),
});
const size = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });

export const boxSchema = box;

/** Where an edit's action came from: the caller, the classifier model, or the verb lexicon. */
export const ACTION_SOURCES = ["override", "model", "lexicon"] as const;
export type ActionSource = (typeof ACTION_SOURCES)[number];

/** Segment Anything's grid: the full 32 x 32 grid, or only the points near the rough mask. */
export const samModeSchema = z.enum(SAM_SETTINGS).exclude(["off"]);
export type SamMode = z.infer<typeof samModeSchema>;

/** Where the fine mask came from when it is the rough mask: no segments, or none overlapping it. */
export const FINE_MASK_FALLBACKS = ["no-candidates", "no-overlap"] as const;
export type FineMaskFallback = (typeof FINE_MASK_FALLBACKS)[number];

const count = z.number().int().nonnegative();

/** Segment Anything's part of an edit (method section 4). */
export const segmentMetaSchema = z.object({
  mode: samModeSchema,
  /** What was segmented: the canvas I_sty, or the original G (remove). */
  image: z.enum(["canvas", "original"]),
  gridPoints: count,
  pointsDecoded: count,
  masksDecoded: count,
  passedIou: count,
  passedStability: count,
  /** How the masks were measured: the decoder's in-graph statistics, or the host from logits. */
  measuredBy: z.enum(["decoder-statistics", "host-meter"]),
  /** Candidates after NMS, and the one Region-IoU chose (index, R), or null on fallback. */
  candidates: count,
  chosenCandidate: count.nullable(),
  chosenIou: z.number().nullable(),
  timingsMs: z.object({
    preprocess: z.number(),
    encode: z.number(),
    decode: z.number(),
    postprocess: z.number(),
  }),
});
export type SegmentMeta = z.infer<typeof segmentMetaSchema>;

/**
 * What one edit was and did, as the pipeline (`zoneEdit`) returns it; the CLI writes it to
 * meta.json and the GPU function sends it on with its own fields (gpuEditMetaSchema).
 */
export const pipelineEditMetaSchema = z.object({
  bundleId: z.string(),
  /** Code and defaults that computed it (pipeline-version.ts). */
  pipelineVersion: z.string(),
  /** True when the untrained fixture models made this edit. */
  fixtures: z.boolean(),
  /** "corrected", or "release": the authors' release reproduced (release-fidelity.ts). */
  fidelity: z.enum(FIDELITIES),
  /** The cleaned instruction (cleanInstruction): byte for byte what the tokenizer saw. */
  instruction: z.string(),
  action: z.enum(EDIT_ACTIONS),
  actionSource: z.enum(ACTION_SOURCES),
  actionCue: z.string().nullable(),
  seed: z.number().int(),
  steps: z.number().int(),
  scheduler: z.enum(SCHEDULERS),
  textGuidance: z.number(),
  imageGuidance: z.number(),
  beta: z.number(),
  mode: z.enum(EDIT_MODES),
  magicBrush: z.boolean(),
  /** The instruction's tokens, start and end tokens included (method section 3's n). */
  tokenCount: z.number().int().min(2),
  original: size,
  working: size,
  /** Full-resolution pixels whose bytes differ from the input, and their box (exclusive right/bottom). */
  changedPixels: count,
  changedBox: box.nullable(),
  /** The fine mask fell back to the rough mask (no segments, or none overlapping it). */
  fallback: z.object({
    fineMask: z.boolean(),
    reason: z.enum(FINE_MASK_FALLBACKS).nullable(),
  }),
  /** Segment Anything's part; null with sam "off". */
  segment: segmentMetaSchema.nullable(),
  /** The region hint and how it was used; absent without one. */
  hint: hintMetaSchema.optional(),
  /** Mean per denoising step: all of it, inside the models, and the loop's own overhead. */
  stepMs: z.object({ total: z.number(), model: z.number(), overhead: z.number() }),
  /** Milliseconds per pipeline stage (the GPU function adds queue, png and total). */
  timingsMs: z.record(z.string(), z.number()),
});
export type PipelineEditMeta = z.infer<typeof pipelineEditMetaSchema>;

/**
 * The meta part of the GPU function's answer: the pipeline's meta as is, plus what only the
 * service knows. The gateway stores it once and derives the public resource from it.
 */
/** The result part's file: what it is and what of the input it carries. */
export const resultFileSchema = z.object({
  format: outputFormatSchema,
  /** Only for jpeg. */
  quality: jpegQualitySchema.nullable(),
  metadata: metadataChoiceSchema,
  depth: z.union([z.literal(8), z.literal(16)]),
  alpha: z.boolean(),
  /** The input's ICC profile, byte for byte. */
  icc: z.boolean(),
  maskSize: z.enum(MASK_SIZES),
});
export type ResultFile = z.infer<typeof resultFileSchema>;

export const gpuEditMetaSchema = pipelineEditMetaSchema.extend({
  /** Execution provider per model role, e.g. { "ip2pUnet": "tensorrt" }. */
  providers: z.record(z.string(), z.string()),
  outputs: z.array(z.enum(EDIT_ARTIFACTS)),
  result: resultFileSchema,
});
export type GpuEditMeta = z.infer<typeof gpuEditMetaSchema>;
