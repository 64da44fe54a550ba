// The public API (client -> gateway): the form fields of POST /v1/edits and the JSON the gateway
// answers with. OpenAPI is generated from these schemas.
import { z } from "zod";

export const PUBLIC_LIMITS = {
  instructionChars: 500,
  steps: 50,
  /** Default caps, configurable per deployment. */
  maxUploadBytes: 20 * 1024 * 1024,
  maxSide: 4096,
  maxPixels: 16 * 1024 * 1024,
} as const;

const formInteger = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Form fields besides the image file (multipart values are strings). */
export const editFormSchema = z.strictObject({
  instruction: z.string(),
  action: z.enum(["change", "add", "remove"]).optional(),
  seed: formInteger(0, 2 ** 32 - 1).optional(),
  steps: formInteger(1, PUBLIC_LIMITS.steps).optional(),
  mode: z.enum(["default", "fast"]).optional(),
  /** The GPU function encodes PNG; other formats are not offered yet. */
  output: z.enum(["png"]).optional(),
});
export type EditForm = z.output<typeof editFormSchema>;

export const CACHE_STATES = ["HIT", "MISS", "COALESCED"] as const;
export type CacheState = (typeof CACHE_STATES)[number];

export const editResourceSchema = z.object({
  id: z.string(),
  status: z.literal("succeeded"),
  createdAt: z.string(),
  instruction: z.string(),
  action: z.enum(["change", "add", "remove"]),
  actionSource: z.enum(["override", "model", "lexicon"]),
  cache: z.enum(CACHE_STATES),
  cached: z.boolean(),
  seed: z.number().int(),
  steps: z.number().int(),
  mode: z.enum(["default", "fast"]),
  bundleId: z.string(),
  changedPixels: z.number().int(),
  changedBox: z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() }).nullable(),
  timingsMs: z.record(z.string(), z.number()),
  links: z.object({ self: z.string(), result: z.string(), layer: z.string(), mask: z.string() }),
});
export type EditResource = z.infer<typeof editResourceSchema>;

export const usageSchema = z.object({
  from: z.string(),
  to: z.string(),
  billedEdits: z.number().int(),
  cacheHits: z.number().int(),
  totalRequests: z.number().int(),
});
export type Usage = z.infer<typeof usageSchema>;
