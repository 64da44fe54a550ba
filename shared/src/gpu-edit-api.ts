// The internal API between the gateway and the GPU function: `POST /v1/edit` takes a multipart
// request with the image and a `params` JSON part validated by `gpuEditParamsSchema`, and answers
// multipart/form-data whose `meta` part follows `gpuEditMetaSchema`. Defaults are the method's
// release defaults (the pipeline's EDIT_DEFAULTS; a test keeps the two equal).
import { z } from "zod";
import { ZoneError } from "./errors.ts";

export const EDIT_ACTIONS = ["change", "add", "remove"] as const;
export type EditAction = (typeof EDIT_ACTIONS)[number];

export const EDIT_MODES = ["default", "fast"] as const;

/** Image parts the caller may ask for; `meta` is always sent. */
export const EDIT_OUTPUTS = ["result", "layer", "mask"] as const;
export type EditOutput = (typeof EDIT_OUTPUTS)[number];

/** Names of the multipart fields, both ways. */
export const EDIT_REQUEST_FIELDS = { image: "image", params: "params" } as const;
export const EDIT_RESPONSE_META_FIELD = "meta";

/** Bounds that keep one edit's cost predictable (the CLI allows up to 1000 steps). */
export const EDIT_LIMITS = { instructionChars: 1000, steps: 100, guidance: 30 } as const;

export const gpuEditParamsSchema = z.strictObject({
  instruction: z
    .string()
    .max(EDIT_LIMITS.instructionChars)
    .refine((s) => s.trim() !== "", "must not be empty"),
  /** Overrides the action classifier. */
  action: z.enum(EDIT_ACTIONS).optional(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(42),
  steps: z.number().int().min(1).max(EDIT_LIMITS.steps).default(20),
  textGuidance: z.number().min(0).max(EDIT_LIMITS.guidance).default(7.5),
  imageGuidance: z.number().min(0).max(EDIT_LIMITS.guidance).default(1.5),
  /** "fast" skips MagicBrush unless the action is remove. */
  mode: z.enum(EDIT_MODES).default("default"),
  outputs: z
    .array(z.enum(EDIT_OUTPUTS))
    .min(1)
    .refine((list) => new Set(list).size === list.length, "must not repeat an output")
    .default([...EDIT_OUTPUTS]),
});
export type GpuEditParams = z.infer<typeof gpuEditParamsSchema>;
export type GpuEditParamsInput = z.input<typeof gpuEditParamsSchema>;

/** Validates already-parsed JSON; the error lists every problem with its path. */
export function parseGpuEditParams(json: unknown): GpuEditParams {
  const result = gpuEditParamsSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new ZoneError("invalid_argument", `invalid params: ${problems.join("; ")}`);
}

const box = z.object({
  x0: z.number().int(),
  y0: z.number().int(),
  x1: z.number().int(),
  y1: z.number().int(),
});
const size = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });

export const gpuEditMetaSchema = z.object({
  bundleId: z.string(),
  /** True when the untrained fixture models made this edit. */
  fixtures: z.boolean(),
  instruction: z.string(),
  action: z.enum(EDIT_ACTIONS),
  actionSource: z.enum(["override", "model", "lexicon"]),
  actionCue: z.string().nullable(),
  seed: z.number().int(),
  steps: z.number().int(),
  scheduler: z.string(),
  textGuidance: z.number(),
  imageGuidance: z.number(),
  beta: z.number(),
  mode: z.enum(EDIT_MODES),
  magicBrush: z.boolean(),
  original: size,
  working: size,
  /** Full-resolution pixels whose bytes differ from the input, and their box (exclusive right/bottom). */
  changedPixels: z.number().int().nonnegative(),
  changedBox: box.nullable(),
  /** The fine mask fell back to the rough mask (no segments, or none overlapping it). */
  fallback: z.object({
    fineMask: z.boolean(),
    reason: z.string().nullable(),
  }),
  /** Execution provider per model role, e.g. { "ip2pUnet": "tensorrt" }. */
  providers: z.record(z.string(), z.string()),
  outputs: z.array(z.enum(EDIT_OUTPUTS)),
  /** Milliseconds per pipeline stage, plus queue (waiting for the GPU), png and total. */
  timingsMs: z.record(z.string(), z.number()),
});
export type GpuEditMeta = z.infer<typeof gpuEditMetaSchema>;
