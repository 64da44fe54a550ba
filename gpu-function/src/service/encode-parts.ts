// The image parts of an edit's or a compose's answer, in EDIT_OUTPUTS order: the result in the
// requested format (in the input's own terms), the RGBA layer, and the mask (the final mask at
// the working resolution, or at the original's size: the layer's alpha > 0).
import {
  CONTENT_TYPES,
  EDIT_OUTPUTS,
  type EditOutput,
  type GpuEditParams,
  type OutputChoice,
} from "@zone/shared";
import type { ComposeEditResult } from "../compose/compose-edit.ts";
import { layerMask } from "../compose/composite.ts";
import { encodeOutput } from "../image/encode-output.ts";
import { encodePng } from "../image/io.ts";

export interface EncodedPart {
  name: EditOutput;
  bytes: Buffer;
  contentType: string;
}

export async function encodeParts(
  composed: Pick<ComposeEditResult, "output" | "layer" | "masks">,
  params: Pick<GpuEditParams, "outputs" | "maskSize">,
  choice: OutputChoice,
): Promise<EncodedPart[]> {
  const encoders: Record<EditOutput, () => Promise<Buffer>> = {
    result: () => encodeOutput(composed.output, choice),
    layer: () => encodePng(composed.layer),
    mask: () => encodePng(params.maskSize === "original" ? layerMask(composed.layer) : composed.masks.final),
  };
  const wanted = EDIT_OUTPUTS.filter((name) => params.outputs.includes(name));
  return Promise.all(
    wanted.map(async (name) => ({
      name,
      bytes: await encoders[name](),
      contentType: name === "result" ? CONTENT_TYPES[choice.format] : CONTENT_TYPES.png,
    })),
  );
}
