// The public API (client -> gateway): the form fields of POST /v1/edits and the JSON the gateway
// answers with. OpenAPI is generated from these schemas. The edit resource is derived from the
// GPU function's meta (gpu-edit-api.ts), never copied field by field.
import { z } from "zod";
import { gpuEditMetaSchema } from "./gpu-edit-api.ts";
import { JPEG_QUALITY_RANGE, MASK_SIZES, metadataChoiceSchema, outputFormatSchema } from "./output-format.ts";
import { EDIT_ACTIONS, EDIT_MODES } from "./zone-defaults.ts";

export const PUBLIC_LIMITS = {
  instructionChars: 500,
  steps: 50,
  /** Default caps, configurable per deployment. */
  maxUploadBytes: 20 * 1024 * 1024,
  maxSide: 4096,
  maxPixels: 16 * 1024 * 1024,
} as const;

/** The seeds an edit accepts (a 32-bit unsigned integer). */
export const SEED_RANGE = { min: 0, max: 2 ** 32 - 1 } as const;

export const formInteger = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Form fields besides the image file (multipart values are strings). */
export const editFormSchema = z.strictObject({
  instruction: z.string(),
  /** Instead of an `image` file: an edit of the same account whose result is the input (a chain). */
  parent: z.string().optional(),
  action: z.enum(EDIT_ACTIONS).optional(),
  seed: formInteger(SEED_RANGE.min, SEED_RANGE.max).optional(),
  steps: formInteger(1, PUBLIC_LIMITS.steps).optional(),
  mode: z.enum(EDIT_MODES).optional(),
  /** The result's format: png (default), webp (lossless), jpeg (lossy); else from Accept. */
  output: outputFormatSchema.optional(),
  /** JPEG quality, with output jpeg only. */
  quality: formInteger(JPEG_QUALITY_RANGE.min, JPEG_QUALITY_RANGE.max).optional(),
  /** strip (default) | keep | keep-gps: the input's EXIF/XMP in the result. */
  metadata: metadataChoiceSchema.optional(),
  /** The mask artifact: working (default) or original size. */
  maskSize: z.enum(MASK_SIZES).optional(),
  /** Region hints (region-hint.ts): "x,y" or "x0,y0,x1,y1" in the original's pixels; or a `mask` file. */
  point: z.string().optional(),
  box: z.string().optional(),
});
export type EditForm = z.output<typeof editFormSchema>;

export const CACHE_STATES = ["HIT", "MISS", "COALESCED"] as const;
export type CacheState = (typeof CACHE_STATES)[number];

/** The meta fields a client sees; the rest (providers, scheduler internals) stays internal. */
export const editResourceSchema = gpuEditMetaSchema
  .pick({
    instruction: true,
    action: true,
    actionSource: true,
    seed: true,
    steps: true,
    mode: true,
    bundleId: true,
    pipelineVersion: true,
    changedPixels: true,
    changedBox: true,
    timingsMs: true,
    result: true,
    hint: true,
  })
  .extend({
    id: z.string(),
    status: z.literal("succeeded"),
    createdAt: z.string(),
    cache: z.enum(CACHE_STATES),
    cached: z.boolean(),
    links: z.object({
      self: z.string(),
      result: z.string(),
      layer: z.string(),
      mask: z.string(),
      /** The attention heatmap and the canvas I_sty (EDIT_EXTRAS), PNG. */
      attention: z.string(),
      canvas: z.string(),
    }),
  });
export type EditResource = z.infer<typeof editResourceSchema>;

export const usageSchema = z.object({
  from: z.string(),
  to: z.string(),
  billedEdits: z.number().int(),
  cacheHits: z.number().int(),
  totalRequests: z.number().int(),
  /** Credits the period's billed edits cost. */
  creditsSpent: z.number().int(),
  /** The account's credits now, and those held by edits in progress (already out of `balance`). */
  balance: z.number().int(),
  held: z.number().int(),
  /** GPU edits of the account's `ze_test_` keys this UTC day, and the daily quota. */
  testEditsToday: z.number().int(),
  testEditsPerDay: z.number().int(),
});
export type Usage = z.infer<typeof usageSchema>;

/** One ledger entry of GET /v1/usage/edits (and one CSV row, columns in this order). */
export const usageEntrySchema = z.object({
  editId: z.string(),
  keyId: z.string(),
  createdAt: z.string(),
  kind: z.enum(["billed", "cache_hit"]),
  /** `edit` or `fast_edit` for a billed edit; null for a hit. */
  operation: z.string().nullable(),
  credits: z.number().int(),
});
export type UsageEntry = z.infer<typeof usageEntrySchema>;
export const USAGE_CSV_COLUMNS = Object.keys(usageEntrySchema.shape) as Array<keyof UsageEntry>;

export const usageEntriesSchema = z.object({
  from: z.string(),
  to: z.string(),
  edits: z.array(usageEntrySchema),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: z.string().nullable(),
});
