// The image parts of an edit's or a compose's answer, in EDIT_ARTIFACTS order: the result in the
// requested format (in the input's own terms), the RGBA layer, the mask (the final mask at the
// working resolution, or at the original's size: the layer's alpha > 0), and for an edit on
// request its attention heatmap and canvas (working resolution, padding cropped).
import {
  CONTENT_TYPES,
  EDIT_ARTIFACTS,
  type EDIT_EXTRAS,
  type EditArtifact,
  type GpuEditParams,
  type OutputChoice,
  ZoneError,
} from "@zone/shared";
import type { ComposeEditResult } from "../compose/compose-edit.ts";
import { layerMask } from "../compose/composite.ts";
import { encodeOutput } from "../image/encode-output.ts";
import { encodePng } from "../image/io.ts";
import type { RgbImage } from "../image/types.ts";
import { cropContent } from "../image/working-frame.ts";

type EditExtra = (typeof EDIT_EXTRAS)[number];

export interface EncodedPart {
  name: EditArtifact;
  bytes: Buffer;
  contentType: string;
}

/** An edit's attention heatmap and canvas, at the working resolution (the padding is cropped here). */
export type EditExtras = Record<EditExtra, RgbImage>;

export async function encodeParts(
  composed: Pick<ComposeEditResult, "output" | "layer" | "masks" | "content">,
  params: { outputs: ReadonlyArray<EditArtifact>; maskSize: GpuEditParams["maskSize"] },
  choice: OutputChoice,
  extras: EditExtras | null = null,
): Promise<EncodedPart[]> {
  const extra = (name: EditExtra) => () => {
    if (extras === null) throw new ZoneError("invalid_argument", `outputs: no ${name} here (edits only)`);
    return encodePng(cropContent(extras[name], composed.content, 3));
  };
  const encoders: Record<EditArtifact, () => Promise<Buffer>> = {
    result: () => encodeOutput(composed.output, choice),
    layer: () => encodePng(composed.layer),
    mask: () => encodePng(params.maskSize === "original" ? layerMask(composed.layer) : composed.masks.final),
    attention: extra("attention"),
    canvas: extra("canvas"),
  };
  const wanted = EDIT_ARTIFACTS.filter((name) => params.outputs.includes(name));
  return Promise.all(
    wanted.map(async (name) => ({
      name,
      bytes: await encoders[name](),
      contentType: name === "result" ? CONTENT_TYPES[choice.format] : CONTENT_TYPES.png,
    })),
  );
}
