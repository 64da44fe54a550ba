// `zone edit` end to end on one image (method sections 0-5): classify the action, encode the
// instruction and the image, run the fused denoising loop, decode the canvas I_sty, localize the
// edit from the attention maps, segment the canvas (or, for remove, the original) with Segment
// Anything, then the compose stage (Region-IoU picks the fine mask among the segments) and the
// composite over the full-resolution original. Everything between the entry and the final
// composite runs at the working resolution: the original is resized to it once, and the layer is
// scaled back once. The instruction is cleaned once, at the entry.

import {
  type AttentionBranches,
  type ClassifierReduction,
  cleanInstruction,
  type DifferenceChannels,
  type EditAction,
  type EditMode,
  type Fidelity,
  fidelitySettings,
  type HintMeta,
  PIPELINE_VERSION,
  type PipelineEditMeta,
  type SamSetting,
  type SchedulerName,
  type SegmentMeta,
  ZONE_DEFAULTS,
  ZoneError,
} from "@zone/shared";
import { classifyStates } from "../classify/action-model.ts";
import { classifyAction } from "../classify/classify.ts";
import {
  type ComposeEditResult,
  composeOverOriginal,
  composeOverridesFor,
  composeWorking,
} from "../compose/compose-edit.ts";
import { fusedDenoise, type StepEvent, type UnetRunner } from "../denoise/fused-denoise.ts";
import { noiseSource, seededNormal } from "../denoise/random/gaussian-noise.ts";
import type { SchedulerConfig } from "../denoise/schedulers/config.ts";
import { DPMSolverMultistepScheduler } from "../denoise/schedulers/dpm-solver-multistep.ts";
import { EulerAncestralDiscreteScheduler } from "../denoise/schedulers/euler-ancestral.ts";
import type { Scheduler } from "../denoise/schedulers/scheduler.ts";
import type { DecodedInput } from "../image/source-image.ts";
import type { Mask, RgbImage } from "../image/types.ts";
import { toWorkingRgb } from "../image/working-frame.ts";
import { workingResolution } from "../image/working-resolution.ts";
import { attentionHeatmap, attentionMapsFromTokenMajor, localize } from "../localize/localize.ts";
import { hintToWorking, type PipelineHint, restrictRough } from "../localize/region-hint.ts";
import type { HostTensor } from "../runtime/onnx-runtime.ts";
import { guideRadius } from "../segment/guided-points.ts";
import { samCandidates, segmentMetaOf } from "../segment/sam-candidates.ts";
import type { Segmentation } from "../segment/segment-image.ts";
import { imageToTensor, tensorToImage } from "./image-tensor.ts";
import type { ZoneModels } from "./zone-models.ts";

export interface EditParams {
  instruction: string;
  /** Overrides the classifier. */
  action?: EditAction;
  seed: number;
  steps: number;
  textGuidance: number;
  imageGuidance: number;
  scheduler: SchedulerName;
  /** "fast" skips MagicBrush when beta = 0.01 (any action but remove). */
  mode: EditMode;
  attentionBranches: AttentionBranches;
  channels: DifferenceChannels;
  /** "off": the fine mask is the rough mask. */
  sam: SamSetting;
  /** Guided: the rough mask's dilation, in grid steps. */
  guideMargin: number;
  /** "release" reproduces the authors' release (shared release-fidelity.ts), overriding the rest. */
  fidelity: Fidelity;
  /** How the action MLP reads the text encoder (method section 1). */
  classifierReduction: ClassifierReduction;
  /** Enlarge images under the working size (an option of method section 0). */
  enlarge: boolean;
  /** Where the edit is, in the original's pixels: restricts M_b and guides SAM (region-hint.ts). */
  hint?: PipelineHint;
}

/** The method's defaults (ZONE_DEFAULTS in @zone/shared owns every value). */
export const EDIT_DEFAULTS: Readonly<Omit<EditParams, "instruction">> = {
  ...ZONE_DEFAULTS.edit,
  channels: ZONE_DEFAULTS.compose.edge.channels,
  classifierReduction: ZONE_DEFAULTS.classify.reduction,
  enlarge: ZONE_DEFAULTS.working.enlarge,
};

/** MagicBrush's weight per action (method section 2). */
export const BETA: Readonly<Record<EditAction, number>> = ZONE_DEFAULTS.beta;

export type EditProgress =
  | { stage: "classify" | "encode" | "decode" | "localize" | "segment" | "compose"; ms: number }
  | ({ stage: "denoise" } & StepEvent);

/** The edit's metadata: the shared schema's type (pipelineEditMetaSchema in @zone/shared). */
export type EditMeta = PipelineEditMeta;

export interface EditResult extends ComposeEditResult {
  /** I_sty, the globally edited image, at the working resolution. */
  canvas: RgbImage;
  /** Segment Anything's candidates (at the working resolution); null with sam "off". */
  segmentation: Segmentation | null;
  /** The attention difference map over the working image. */
  attention: RgbImage;
  meta: EditMeta;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const round2 = (v: number) => Math.round(v * 100) / 100;

function float(data: Float32Array, dims: number[]): HostTensor {
  return { dtype: "float32", data, dims };
}

function makeScheduler(name: SchedulerName, config: SchedulerConfig): Scheduler {
  return name === "dpm-solver++"
    ? new DPMSolverMultistepScheduler(config)
    : new EulerAncestralDiscreteScheduler(config);
}

/** `input`: the decoded file (its own pixels are composited and returned), or 8-bit sRGB pixels. */
export async function zoneEdit(
  models: ZoneModels,
  input: RgbImage | DecodedInput,
  params: Partial<EditParams> & { instruction: string },
  onProgress: (event: EditProgress) => void | Promise<void> = () => {},
): Promise<EditResult> {
  const original = "model" in input ? input.model : input;
  // The one cleaning (method: the tokenizer's normal form): everything below, the meta included,
  // sees this exact text.
  const instruction = cleanInstruction(params.instruction);
  if (instruction === "") throw new ZoneError("invalid_argument", "The instruction is empty once cleaned.");
  const p: EditParams = { ...EDIT_DEFAULTS, ...params, instruction };
  // What the edit reproduces: the corrected method with the caller's options, or the release.
  const f = fidelitySettings(p.fidelity, {
    channels: p.channels,
    enlarge: p.enlarge,
    classifierReduction: p.classifierReduction,
  });
  const { manifest } = models.bundle;
  const { sessions, tokenizer } = models;
  const timingsMs: Record<string, number> = {};
  const mark = async (stage: Exclude<EditProgress["stage"], "denoise">, start: number) => {
    timingsMs[stage] = round2(performance.now() - start);
    await onProgress({ stage, ms: timingsMs[stage] });
  };

  // Text: [instruction, ""] through the text encoder; the CFG batch is [text, null, null].
  let start = performance.now();
  const ids = new Int32Array(2 * 77);
  ids.set(tokenizer.encode(instruction), 0);
  ids.set(tokenizer.encode(""), 77);
  const text = await sessions.textEncoder.run({ input_ids: { dtype: "int32", data: ids, dims: [2, 77] } });
  const hidden = text.last_hidden_state.data as Float32Array; // (2, 77, D)
  const perPrompt = hidden.length / 2;
  const promptEmbeds = new Float32Array(3 * perPrompt);
  promptEmbeds.set(hidden.subarray(0, perPrompt), 0);
  promptEmbeds.set(hidden.subarray(perPrompt), perPrompt);
  promptEmbeds.set(hidden.subarray(perPrompt), 2 * perPrompt);
  const embedDims = [3, 77, perPrompt / 77];

  // EditAction (method section 1): override > classifier MLP (the release's latest-peak over the
  // 77 token states, or the pooled embedding) > lexicon. The lexicon wins over the untrained
  // classifier of the fixture bundle.
  const classifier = models.bundle.fixtures ? null : sessions.actionClassifier;
  const pooled = text.pooler_output?.data as Float32Array | undefined;
  const states = {
    hidden: hidden.slice(0, perPrompt),
    tokens: 77,
    pooled: pooled?.slice(0, pooled.length / 2),
  };
  const classification = await classifyAction(instruction, {
    override: p.action,
    model: classifier ? () => classifyStates(classifier, states, f.classifierReduction) : undefined,
  });
  await mark("classify", start);

  // Image: working resolution (scaled, padded black, never stretched), VAE encoder mean (unscaled).
  start = performance.now();
  const work = workingResolution(original.width, original.height, {
    maxSide: ZONE_DEFAULTS.working.maxSide,
    multiple: ZONE_DEFAULTS.working.multiple,
    enlarge: f.enlarge,
    rounding: f.rounding,
  });
  const working = await toWorkingRgb(original, work, f.resample);
  const encoded = await sessions.vaeEncoder.run({
    sample: float(imageToTensor(working), [1, 3, work.height, work.width]),
  });
  const imageLatents = encoded.latent.data as Float32Array;
  const [, channels, h, w] = encoded.latent.dims;
  await mark("encode", start);

  // Fused denoising (method section 2).
  const beta = BETA[classification.action];
  const useMagicBrush = !(p.mode === "fast" && beta === BETA.change);
  const unet =
    (session: typeof sessions.ip2pUnet, attentionOutput: string | null): UnetRunner =>
    async (sample, t) => {
      const out = await session.run({
        sample: float(sample, [3, 2 * channels, h, w]),
        timestep: float(new Float32Array([t, t, t]), [3]),
        encoder_hidden_states: float(promptEmbeds, embedDims),
      });
      return {
        noise: out.out_sample.data as Float32Array,
        attention: attentionOutput ? (out[attentionOutput]?.data as Float32Array) : undefined,
      };
    };
  // The bundle's scheduler config (the export writes the release's last step), or forced to it.
  const schedulerConfig: SchedulerConfig =
    f.finalSigmas === "sigma_min"
      ? { ...models.schedulerConfig, final_sigmas_type: "sigma_min" }
      : models.schedulerConfig;
  start = performance.now();
  const denoised = await fusedDenoise(
    {
      imageLatents,
      noise: seededNormal(p.seed, channels * h * w),
      ip2p: {
        unet: unet(sessions.ip2pUnet, manifest.attention.output),
        scheduler: makeScheduler(p.scheduler, schedulerConfig),
        noise: noiseSource(p.seed + 1),
      },
      magicBrush: useMagicBrush
        ? {
            unet: unet(sessions.magicBrushUnet, null),
            scheduler: makeScheduler(p.scheduler, schedulerConfig),
            noise: noiseSource(p.seed + 2),
          }
        : null,
    },
    {
      steps: p.steps,
      textGuidance: p.textGuidance,
      imageGuidance: p.imageGuidance,
      beta,
      attentionBranches: p.attentionBranches,
    },
    (event) => onProgress({ stage: "denoise", ...event }),
  );
  timingsMs.denoise = round2(performance.now() - start);

  // Decode z / scaling factor: the canvas I_sty.
  start = performance.now();
  const scaled = denoised.latents.map((v) => v / manifest.latent.scalingFactor);
  const decoded = await sessions.vaeDecoder.run({ latent_sample: float(scaled, [1, channels, h, w]) });
  const canvas = tensorToImage(decoded.sample.data as Float32Array, work.width, work.height);
  await mark("decode", start);

  // Localization (method section 3).
  start = performance.now();
  if (!denoised.attention)
    throw new Error(`the InstructPix2Pix UNet returned no ${manifest.attention.output}`);
  const maps = attentionMapsFromTokenMajor(
    denoised.attention,
    77,
    work.width / manifest.attention.stride,
    work.height / manifest.attention.stride,
  );
  const tokenCount = tokenizer.tokenCount(instruction);
  const localized = localize(maps, tokenCount, work.width, work.height, {
    smallRegions: f.smallRegions,
  });
  const { difference } = localized;
  // A region hint restricts M_b and is SAM's guide (localize/region-hint.ts).
  let rough = localized.rough;
  let guide = rough;
  let hint: HintMeta | undefined;
  if (p.hint) {
    const radius = guideRadius(work.width, work.height, ZONE_DEFAULTS.sam.pointsPerSide, p.guideMargin);
    const placed = await hintToWorking(p.hint, work, radius);
    const restricted = restrictRough(rough, placed);
    rough = restricted.mask;
    guide = placed.region;
    hint = {
      kind: placed.kind,
      rough: restricted.use,
      sam: p.sam === "off" ? "off" : "guided",
      working: placed.box,
    };
  }
  await mark("localize", start);

  // Segment Anything (method section 4) on I_sty, or on G for remove; guided: near M_b only.
  let segmentation: Segmentation | null = null;
  let candidates: Mask[] = [];
  const segmented = classification.action === "remove" ? ("original" as const) : ("canvas" as const);
  if (p.sam !== "off") {
    start = performance.now();
    ({ segmentation, candidates } = await samCandidates(
      models.sam,
      segmented === "original" ? working : canvas,
      guide,
      { mode: hint ? "guided" : p.sam, guideMargin: p.guideMargin },
    ));
    await mark("segment", start);
  }

  // Compose (method sections 4-5) at the working resolution: Region-IoU picks the fine mask; then
  // the layer is scaled back once and composited over the full-resolution original.
  start = performance.now();
  const composedWorking = composeWorking(working, canvas, rough, candidates, {
    ...composeOverridesFor(p.fidelity, f),
    action: classification.action,
  });
  const composed = await composeOverOriginal(original, composedWorking, {
    content: work.content,
    source: "source" in input ? input.source : null,
  });
  await mark("compose", start);

  const stepTotal = mean(denoised.stepMs);
  const stepModel = mean(denoised.modelMs);
  const { summary } = composed;
  const segment: SegmentMeta | null = segmentation && segmentMetaOf(segmentation, segmented, summary);
  return {
    ...composed,
    canvas,
    segmentation,
    attention: attentionHeatmap(working, difference),
    meta: {
      bundleId: manifest.id,
      pipelineVersion: PIPELINE_VERSION,
      fixtures: models.bundle.fixtures,
      fidelity: p.fidelity,
      instruction,
      action: classification.action,
      actionSource: classification.source,
      actionCue: classification.cue ?? null,
      seed: p.seed,
      steps: p.steps,
      scheduler: p.scheduler,
      textGuidance: p.textGuidance,
      imageGuidance: p.imageGuidance,
      beta,
      mode: p.mode,
      magicBrush: useMagicBrush,
      tokenCount,
      original: summary.original,
      working: summary.working,
      changedPixels: summary.changedPixels,
      changedBox: summary.changedBox,
      fallback: { fineMask: summary.fallback, reason: summary.fallbackReason },
      segment,
      ...(hint ? { hint } : {}),
      stepMs: { total: round2(stepTotal), model: round2(stepModel), overhead: round2(stepTotal - stepModel) },
      timingsMs,
    },
  };
}
