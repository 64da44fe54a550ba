// One edit as the service runs it: the pipeline on the decoded image with validated parameters,
// then the requested PNGs and the response metadata. Cancellation is cooperative: the signal is
// checked at every stage and every denoising step (the pipeline's progress callback), so a
// dropped or late edit stops within one UNet call and frees the GPU.
import { type GpuEditMeta, type GpuEditParams, outputChoice, ZoneError } from "@zone/shared";
import { describeOutput } from "../image/encode-output.ts";
import type { DecodedInput } from "../image/source-image.ts";
import type { Mask, RgbImage } from "../image/types.ts";
import type { PipelineHint } from "../localize/region-hint.ts";
import { type EditProgress, zoneEdit } from "../pipeline/zone-edit.ts";
import type { ZoneModels } from "../pipeline/zone-models.ts";
import { type EncodedPart, encodeParts } from "./encode-parts.ts";

export interface EditInput {
  /** The decoded upload (its own pixels are returned), or 8-bit sRGB pixels (the warm-up). */
  image: DecodedInput | RgbImage;
  params: GpuEditParams;
  /** A mask hint's mask (params.hint.kind "mask"), the image's size. */
  hintMask?: Mask | null;
}

export interface EditOutcome {
  /** Bytes and content type of each requested output, in EDIT_OUTPUTS order (the result in
   * params.output's format, layer and mask PNG). */
  parts: EncodedPart[];
  meta: GpuEditMeta;
}

/** `onProgress` hears each stage and denoising step (zoneEdit's events), after the cancellation
 * check; the edit waits for what it returns, then checks the signal again. */
export type EditRunner = (
  models: ZoneModels,
  input: EditInput,
  signal: AbortSignal,
  onProgress?: (event: EditProgress) => void | Promise<void>,
) => Promise<EditOutcome>;

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Execution provider of each loaded role, with the engine when one was used ("tensorrt/engine:H100"). */
export function providersOf(models: ZoneModels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [role, session] of Object.entries(models.sessions)) {
    if (session)
      out[role] = session.source === "onnx" ? session.provider : `${session.provider}/${session.source}`;
  }
  return out;
}

/** Refuses, before any model runs, an output that cannot hold the input exactly. */
export function checkOutputFits(image: EditInput["image"], params: Pick<GpuEditParams, "output">): void {
  if ("source" in image && image.source.depth === 16 && params.output === "webp")
    throw new ZoneError(
      "unsupported_output",
      "WebP holds 8 bits per channel; this 16-bit image would lose its exact values: ask for png",
    );
}

/** The params' hint as the pipeline takes it: a mask hint with its decoded mask. */
function pipelineHint(hint: GpuEditParams["hint"], mask: Mask | null): PipelineHint | undefined {
  if (hint === undefined) return undefined;
  if (hint.kind !== "mask") return hint;
  if (mask === null) throw new ZoneError("invalid_hint", "mask: the hint mask is missing");
  return { kind: "mask", mask };
}

export const runServiceEdit: EditRunner = async (
  models,
  { image, params, hintMask = null },
  signal,
  onProgress,
) => {
  signal.throwIfAborted();
  checkOutputFits(image, params);
  const choice = outputChoice({ format: params.output, quality: params.quality, metadata: params.metadata });
  const edit = await zoneEdit(
    models,
    image,
    {
      instruction: params.instruction,
      action: params.action,
      seed: params.seed,
      steps: params.steps,
      textGuidance: params.textGuidance,
      imageGuidance: params.imageGuidance,
      mode: params.mode,
      fidelity: params.fidelity,
      hint: pipelineHint(params.hint, hintMask),
    },
    async (event) => {
      signal.throwIfAborted();
      await onProgress?.(event);
      signal.throwIfAborted();
    },
  );
  signal.throwIfAborted();

  const start = performance.now();
  const parts = await encodeParts(edit, params, choice, { attention: edit.attention, canvas: edit.canvas });
  const wanted = parts.map((part) => part.name);
  const pngMs = performance.now() - start;

  // The pipeline's meta is the wire type; the service adds only what it alone knows.
  const meta: GpuEditMeta = {
    ...edit.meta,
    providers: providersOf(models),
    outputs: wanted,
    result: { ...describeOutput(edit.output, choice), quality: choice.quality, maskSize: params.maskSize },
    timingsMs: { ...edit.meta.timingsMs, png: round2(pngMs) },
  };
  return { parts, meta };
};
