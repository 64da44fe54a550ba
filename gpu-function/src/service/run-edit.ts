// One edit as the service runs it: the pipeline on the decoded image with validated parameters,
// then the requested PNGs and the response metadata. Cancellation is cooperative: the signal is
// checked at every stage and every denoising step (the pipeline's progress callback), so a
// dropped or late edit stops within one UNet call and frees the GPU.
import { EDIT_OUTPUTS, type EditOutput, type GpuEditMeta, type GpuEditParams } from "@zone/shared";
import { encodePng } from "../image/io.ts";
import type { RgbImage } from "../image/types.ts";
import { zoneEdit } from "../pipeline/zone-edit.ts";
import type { ZoneModels } from "../pipeline/zone-models.ts";

export interface EditInput {
  image: RgbImage;
  params: GpuEditParams;
}

export interface EditOutcome {
  /** PNG bytes of each requested output, in EDIT_OUTPUTS order. */
  parts: Array<{ name: EditOutput; png: Buffer }>;
  meta: GpuEditMeta;
}

export type EditRunner = (models: ZoneModels, input: EditInput, signal: AbortSignal) => Promise<EditOutcome>;

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

export const runServiceEdit: EditRunner = async (models, { image, params }, signal) => {
  signal.throwIfAborted();
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
    },
    () => signal.throwIfAborted(),
  );
  signal.throwIfAborted();

  const start = performance.now();
  const images = { result: edit.result, layer: edit.layer, mask: edit.masks.final };
  const wanted = EDIT_OUTPUTS.filter((name) => params.outputs.includes(name));
  const parts = await Promise.all(wanted.map(async (name) => ({ name, png: await encodePng(images[name]) })));
  const pngMs = performance.now() - start;

  // The pipeline's meta is the wire type; the service adds only what it alone knows.
  const meta: GpuEditMeta = {
    ...edit.meta,
    providers: providersOf(models),
    outputs: wanted,
    timingsMs: { ...edit.meta.timingsMs, png: round2(pngMs) },
  };
  return { parts, meta };
};
