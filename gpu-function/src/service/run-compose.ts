// One compose as the service runs it (POST /v1/compose): ZONE's back half on another editor's
// output, through the same composeEdit as `zone compose` (the one owner of the compose path).
// Segment Anything proposes the candidates (the edited image, or the original for action remove;
// guided: near the rough mask), Region-IoU picks the fine mask, then the edge smoother and the
// composite over the untouched original. With sam "off" the fine mask is the rough mask: no model
// runs at all, so it works on any machine. Cancellation is checked between stages.
import {
  editedResize,
  fidelitySettings,
  type GpuComposeMeta,
  type GpuComposeParams,
  outputChoice,
  PIPELINE_VERSION,
  type SegmentMeta,
  ZONE_DEFAULTS,
} from "@zone/shared";
import { COMPOSE_DEFAULTS, composeEdit, composeOverridesFor } from "../compose/compose-edit.ts";
import { describeOutput } from "../image/encode-output.ts";
import type { DecodedInput } from "../image/source-image.ts";
import type { Mask, RgbImage } from "../image/types.ts";
import type { ZoneModels } from "../pipeline/zone-models.ts";
import { samCandidates, segmentMetaOf } from "../segment/sam-candidates.ts";
import type { Segmentation } from "../segment/segment-image.ts";
import { type EncodedPart, encodeParts } from "./encode-parts.ts";
import { providersOf } from "./run-edit.ts";

export interface ComposeInput {
  /** The decoded original (its own pixels are returned). */
  image: DecodedInput;
  /** The editor's output, 8-bit sRGB, any size. */
  edited: RgbImage;
  /** The caller's rough mask, any size; null: the thresholded low-pass difference. */
  rough: Mask | null;
  params: GpuComposeParams;
}

export interface ComposeOutcome {
  parts: EncodedPart[];
  meta: GpuComposeMeta;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export async function runServiceCompose(
  models: ZoneModels,
  { image, edited, rough, params }: ComposeInput,
  signal: AbortSignal,
): Promise<ComposeOutcome> {
  signal.throwIfAborted();
  const choice = outputChoice({ format: params.output, quality: params.quality, metadata: params.metadata });
  const settings = fidelitySettings(params.fidelity, { channels: COMPOSE_DEFAULTS.edge.channels });
  let segmentation: Segmentation | null = null;
  let segmented: SegmentMeta["image"] = "canvas";
  const sam = params.sam;
  const composed = await composeEdit(
    {
      original: image.model,
      source: image.source,
      edited,
      rough,
      candidates: [],
      segment:
        sam === "off"
          ? undefined
          : async (image, guide, which) => {
              signal.throwIfAborted();
              segmented = which;
              const found = await samCandidates(models.sam, image, guide, {
                mode: sam,
                guideMargin: ZONE_DEFAULTS.edit.guideMargin,
              });
              segmentation = found.segmentation;
              signal.throwIfAborted();
              return found.candidates;
            },
    },
    { ...composeOverridesFor(params.fidelity, settings), action: params.action },
  );
  signal.throwIfAborted();

  const start = performance.now();
  const parts = await encodeParts(composed, params, choice);
  const pngMs = performance.now() - start;
  const { summary } = composed;
  const meta: GpuComposeMeta = {
    kind: "compose",
    bundleId: models.bundle.manifest.id,
    pipelineVersion: PIPELINE_VERSION,
    fixtures: models.bundle.fixtures,
    fidelity: summary.fidelity,
    action: summary.action,
    original: summary.original,
    working: summary.working,
    edited: { width: edited.width, height: edited.height, resize: editedResize(edited, summary.original) },
    roughSource: summary.roughSource,
    changedPixels: summary.changedPixels,
    changedBox: summary.changedBox,
    fallback: { fineMask: summary.fallback, reason: summary.fallbackReason },
    segment: segmentation && segmentMetaOf(segmentation, segmented, summary),
    providers: providersOf(models),
    outputs: parts.map((part) => part.name),
    result: {
      ...describeOutput(composed.output, choice),
      quality: choice.quality,
      maskSize: params.maskSize,
    },
    timingsMs: { ...summary.timingsMs, png: round2(pngMs) },
  };
  return { parts, meta };
}
