// The model bundle contract (ARCHITECTURE.md, "Model bundle"): a directory with manifest.json
// naming each role's ONNX file, its sha256 and its input/output tensors (dtypes, shapes with
// symbolic dimensions), the tokenizer folder and the scheduler config. The export scripts write
// it, the runtime trusts nothing else, fixture bundles follow the same contract.
import { z } from "zod";
import { ZoneError } from "./errors.ts";
import { formatZodIssues } from "./zod-issues.ts";

export const MODEL_ROLES = [
  "textEncoder",
  "vaeEncoder",
  "vaeDecoder",
  "ip2pUnet",
  "magicBrushUnet",
  "samEncoder",
  "samDecoder",
  "actionClassifier",
] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/** Roles a bundle may omit: without the classifier the action comes from the lexicon. */
export const OPTIONAL_ROLES: ReadonlyArray<ModelRole> = ["actionClassifier"];

export const TENSOR_DTYPES = ["float32", "float16", "int32", "int64"] as const;
export type TensorDtype = (typeof TENSOR_DTYPES)[number];

const dimension = z.union([z.number().int().nonnegative(), z.string().min(1)]);

export const tensorSpecSchema = z.object({
  name: z.string().min(1),
  dtype: z.enum(TENSOR_DTYPES),
  /** Numbers are fixed sizes; strings are symbolic (e.g. "batch", "height/8"). */
  shape: z.array(dimension),
});
export type TensorSpec = z.infer<typeof tensorSpecSchema>;

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), "must be a path inside the bundle");

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits");

export const modelEntrySchema = z.object({
  file: relativePath,
  sha256,
  inputs: z.array(tensorSpecSchema).min(1),
  outputs: z.array(tensorSpecSchema).min(1),
  /** TensorRT EPContext engines prebuilt per GPU type (e.g. "H100"), used when that GPU is present. */
  engines: z.record(z.string(), z.object({ file: relativePath, sha256 })).optional(),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

const modelsShape = Object.fromEntries(
  MODEL_ROLES.map((role) => [
    role,
    OPTIONAL_ROLES.includes(role) ? modelEntrySchema.optional() : modelEntrySchema,
  ]),
) as {
  [R in ModelRole]: R extends "actionClassifier"
    ? z.ZodOptional<typeof modelEntrySchema>
    : typeof modelEntrySchema;
};

export const modelManifestSchema = z.object({
  schemaVersion: z.literal(1),
  /** Names this bundle in metadata and cache keys; changes whenever any file changes. */
  id: z.string().min(1),
  description: z.string().optional(),
  models: z.object(modelsShape),
  /** Hugging Face tokenizer folder with vocab.json and merges.txt. */
  tokenizer: z.object({ dir: relativePath }),
  /** diffusers scheduler_config.json. */
  scheduler: z.object({ config: relativePath }),
  /** Latent space constants of the VAE (SD 1.5: 8 and 0.18215). */
  latent: z.object({
    channels: z.number().int().positive(),
    downsample: z.number().int().positive(),
    scalingFactor: z.number().positive(),
  }),
  /** The UNet's attention output is at 1/stride of the image (method section 3: 32). */
  attention: z.object({ output: z.string().min(1), stride: z.number().int().positive() }),
});
export type ModelManifest = z.infer<typeof modelManifestSchema>;

/** Parses manifest JSON; the error lists every problem with its path. */
export function parseModelManifest(json: unknown): ModelManifest {
  const result = modelManifestSchema.safeParse(json);
  if (result.success) return result.data;
  throw new ZoneError("model_bundle_invalid", `invalid manifest.json: ${formatZodIssues(result.error)}`);
}

/** Every generated fixture bundle's id starts with this: untrained models, their edits are noise. */
export const FIXTURE_BUNDLE_PREFIX = "fixtures";
