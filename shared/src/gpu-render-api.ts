// The internal API of the GPU function's CPU-only `POST /v1/render` (gateway -> gpu-function): a
// multipart request with the chain's `original` upload, one `layer` part per kept turn (the turns'
// layer PNGs, in chain order), an optional `reference` (the result file of the last kept turn,
// whose ICC/EXIF/XMP the render's file carries as it had them) and a `params` JSON part validated
// by `gpuRenderParamsSchema`. It answers the rendered image file itself. No model runs.
import { z } from "zod";
import { ZoneError } from "./errors.ts";
import { jpegQualitySchema, OUTPUT_DEFAULTS, outputFormatSchema } from "./output-format.ts";
import { formatZodIssues } from "./zod-issues.ts";

export const RENDER_REQUEST_FIELDS = {
  original: "original",
  layer: "layer",
  reference: "reference",
  params: "params",
} as const;

/** The ring blends a turn's composite used (release-fidelity.ts's `ring`). */
export const RING_BLENDS = ["round", "truncate"] as const;

export const gpuRenderParamsSchema = z
  .strictObject({
    /** One per `layer` part, in the same order. */
    rings: z.array(z.enum(RING_BLENDS)).max(64),
    output: outputFormatSchema.default(OUTPUT_DEFAULTS.format),
    /** Only with output "jpeg". */
    quality: jpegQualitySchema.optional(),
  })
  .refine((p) => p.quality === undefined || p.output === "jpeg", {
    message: "quality applies to output jpeg only (png and webp are lossless)",
    path: ["quality"],
  });
export type GpuRenderParams = z.infer<typeof gpuRenderParamsSchema>;
export type GpuRenderParamsInput = z.input<typeof gpuRenderParamsSchema>;

export function parseGpuRenderParams(json: unknown): GpuRenderParams {
  const result = gpuRenderParamsSchema.safeParse(json);
  if (result.success) return result.data;
  throw new ZoneError("invalid_argument", `invalid render params: ${formatZodIssues(result.error)}`);
}
