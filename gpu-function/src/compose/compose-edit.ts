// The back half of ZONE, from an edited canvas to a local edit (method sections 4-5):
// Region-IoU fine mask -> 3x3 dilation x4 -> FFT edge smoother -> RGBA layer -> composite.
//
// `composeWorking` is the pure, synchronous core at the working resolution; `composeOverOriginal`
// scales its layer back once and composites it over the untouched full-resolution original. The
// diffusion pipeline (zoneEdit) calls both on what it already has at the working resolution;
// `composeEdit` (any global editor's output, `zone compose`) first brings its inputs there.
import {
  type DifferenceChannels,
  type EditAction,
  type Fidelity,
  type FidelitySettings,
  type FineMaskFallback,
  ZONE_DEFAULTS,
} from "@zone/shared";
import { layerInSourceTerms } from "../image/colour.ts";
import { type ColourKernel, resizeRgbaContent } from "../image/resize.ts";
import type { SourceImage } from "../image/source-image.ts";
import type { BoundingBox, Mask, RgbaImage, RgbImage } from "../image/types.ts";
import { assertSize } from "../image/types.ts";
import { cropContent, toWorkingMask, toWorkingRgb } from "../image/working-frame.ts";
import {
  type ContentBox,
  type WorkingResolutionOptions,
  workingResolution,
} from "../image/working-resolution.ts";
import { dilate3x3 } from "../kernels/morphology.ts";
import { roughMaskFromDifference } from "../localize/rough-from-difference.ts";
import { buildLayer, compositeOver } from "./composite.ts";
import { changedSamples, compositeOverSource } from "./composite-source.ts";
import { EDGE_SMOOTHER_DEFAULTS, type EdgeSmootherOptions, edgeSmoother } from "./edge-smoother.ts";
import { selectByRegionIou } from "./region-iou.ts";

export interface ComposeOptions {
  /** Recorded in the metadata; with SAM it also picks the image that is segmented. */
  action: EditAction;
  /** Recorded in the metadata: which settings these are (composeOverridesFor gives them). */
  fidelity: Fidelity;
  edge: EdgeSmootherOptions;
  /** 3x3 dilations applied to M_f (release: 4). */
  dilateIterations: number;
  /** Components under this many pixels are removed from M_b and M_f. */
  minRegion: number;
  /** How: "exact", or the release's filter_small_regions. */
  smallRegions: "exact" | "release";
  /** The ring blend: rounded, or truncated as the release does. */
  ring: "round" | "truncate";
  working: Partial<WorkingResolutionOptions>;
  /** The kernel that brings colour images to the working resolution (release: "cubic"). */
  resample: ColourKernel;
}

/** What callers pass: any subset, with the edge smoother's options merged key by key. */
export type ComposeOverrides = Partial<Omit<ComposeOptions, "edge">> & {
  edge?: Partial<EdgeSmootherOptions>;
};

export const COMPOSE_DEFAULTS: Readonly<ComposeOptions> = {
  action: "change",
  fidelity: ZONE_DEFAULTS.edit.fidelity,
  edge: EDGE_SMOOTHER_DEFAULTS,
  dilateIterations: ZONE_DEFAULTS.compose.dilateIterations,
  minRegion: ZONE_DEFAULTS.compose.minRegion,
  smallRegions: ZONE_DEFAULTS.smallRegions,
  ring: ZONE_DEFAULTS.compose.ring,
  working: {},
  resample: ZONE_DEFAULTS.working.resample,
};

export interface ComposeMasks {
  rough: Mask;
  fine: Mask;
  dilated: Mask;
  final: Mask;
}

export type FineMaskChoice =
  | { source: "segment"; index: number; iou: number }
  | { source: "rough"; reason: FineMaskFallback };

export interface WorkingComposition {
  masks: ComposeMasks;
  /** The RGBA layer at the working resolution; composeOverOriginal lays it over the original. */
  layer: RgbaImage;
  fine: FineMaskChoice;
  /** What it was composed with, for the summary. */
  action: EditAction;
  fidelity: Fidelity;
  channels: DifferenceChannels;
  /** The ring blend composeOverOriginal applies. */
  ring: "round" | "truncate";
  roughSource: "given" | "difference";
  candidateCount: number;
  timingsMs: Record<string, number>;
}

/** The compose options a fidelity's settings (shared release-fidelity.ts) ask for. */
export function composeOverridesFor(fidelity: Fidelity, f: Readonly<FidelitySettings>): ComposeOverrides {
  return {
    fidelity,
    edge: { channels: f.channels, disc: f.disc, magnitude: f.magnitude },
    smallRegions: f.smallRegions,
    ring: f.ring,
    working: { enlarge: f.enlarge, rounding: f.rounding },
    resample: f.resample,
  };
}

/** The defaults with `overrides` merged in, the edge smoother's options key by key. */
export function composeOptions(overrides: ComposeOverrides = {}): ComposeOptions {
  return { ...COMPOSE_DEFAULTS, ...overrides, edge: { ...COMPOSE_DEFAULTS.edge, ...overrides.edge } };
}

function timed<T>(timings: Record<string, number>, stage: string, run: () => T): T {
  const start = performance.now();
  const value = run();
  timings[stage] = (timings[stage] ?? 0) + performance.now() - start;
  return value;
}

/** The rough mask M_b at the working resolution: the one given, or the low-pass difference mask. */
export interface WorkingRough {
  mask: Mask;
  source: "given" | "difference";
}

function workingRough(
  original: RgbImage,
  edited: RgbImage,
  rough: Mask | null,
  o: ComposeOptions,
): WorkingRough {
  if (rough) return { mask: rough, source: "given" };
  const mask = roughMaskFromDifference(edited, original, {
    channels: o.edge.channels,
    minRegion: o.minRegion,
    smallRegions: o.smallRegions,
  });
  return { mask, source: "difference" };
}

/** Everything at the working resolution; `rough` defaults to the low-pass difference mask. */
export function composeWorking(
  original: RgbImage,
  edited: RgbImage,
  rough: Mask | WorkingRough | null,
  candidates: ReadonlyArray<Mask>,
  options: ComposeOverrides = {},
): WorkingComposition {
  const o = composeOptions(options);
  const { width, height } = original;
  const given = rough && "mask" in rough ? rough.mask : rough;
  assertSize([edited, ...(given ? [given] : []), ...candidates], width, height, "working-resolution input");
  const timingsMs: Record<string, number> = {};
  const { mask: roughMask, source: roughSource } =
    rough && "mask" in rough
      ? rough
      : timed(timingsMs, "rough", () => workingRough(original, edited, rough, o));
  const selection = timed(timingsMs, "regionIou", () =>
    selectByRegionIou(roughMask, candidates, { minRegion: o.minRegion, smallRegions: o.smallRegions }),
  );
  const dilated = timed(timingsMs, "dilate", () => dilate3x3(selection.mask, o.dilateIterations));
  const final = timed(timingsMs, "edgeSmoother", () => edgeSmoother(edited, original, dilated, o.edge));
  const layer = timed(timingsMs, "layer", () => buildLayer(edited, selection.mask, final));
  const fine: FineMaskChoice =
    selection.index === null
      ? { source: "rough", reason: candidates.length === 0 ? "no-candidates" : "no-overlap" }
      : { source: "segment", index: selection.index, iou: selection.iou };
  return {
    masks: { rough: roughMask, fine: selection.mask, dilated, final },
    layer,
    fine,
    action: o.action,
    fidelity: o.fidelity,
    channels: o.edge.channels,
    ring: o.ring,
    roughSource,
    candidateCount: candidates.length,
    timingsMs,
  };
}

export interface ComposeInputs {
  /** Full-resolution original G (8-bit sRGB, the models' view). */
  original: RgbImage;
  /** The same picture in its own terms (source-image.ts); absent: `original` is the file. */
  source?: SourceImage | null;
  /** The globally edited image I_sty, any size (resized to the working resolution). */
  edited: RgbImage;
  /** Rough mask M_b at any size; null derives it from the image difference. */
  rough: Mask | null;
  /** Candidate segments S_j at any size. */
  candidates: ReadonlyArray<Mask>;
  /**
   * Proposes more candidates at the working resolution (Segment Anything in the service): it gets
   * the image to segment (the edited one, or the original for action remove, method section 4)
   * and the rough mask M_b (guided mode's guide).
   */
  segment?: CandidateSource;
}

/** Candidate segments of `image` (working resolution; `which` it is) near `rough`, at the same size. */
export type CandidateSource = (
  image: RgbImage,
  rough: Mask,
  which: "canvas" | "original",
) => Promise<ReadonlyArray<Mask>>;

export interface ComposeSummary {
  action: EditAction;
  fidelity: Fidelity;
  channels: EdgeSmootherOptions["channels"];
  original: { width: number; height: number };
  working: { width: number; height: number };
  roughSource: "given" | "difference";
  candidateCount: number;
  chosenSegment: number | null;
  chosenIou: number | null;
  fallback: boolean;
  fallbackReason: FineMaskFallback | null;
  /** Full-resolution pixels whose bytes differ from the original. */
  changedPixels: number;
  changedBox: BoundingBox | null;
  timingsMs: Record<string, number>;
}

export interface ComposeEditResult {
  /** Full resolution, 8-bit sRGB: the layer over the models' view of the original. */
  result: RgbImage;
  /**
   * Full resolution in the input's own terms (colour space, bit depth, alpha, ICC profile): what
   * is written and returned. On the 8-bit sRGB fast path its pixels are `result`'s.
   */
  output: SourceImage;
  layer: RgbaImage;
  /** Working resolution. */
  masks: ComposeMasks;
  /** Where the original sits in the working frame (the rest is padding). */
  content: ContentBox;
  summary: ComposeSummary;
}

/** Pixels of `a` and `b` (same size, RGB) that differ, and their bounding box. */
export function changedRegion(a: RgbImage, b: RgbImage): { count: number; box: BoundingBox | null } {
  return changedSamples({ ...a, channels: 3 }, { ...b, channels: 3 });
}

export interface OverOriginalOptions {
  /** Where the original sits in the working frame (workingResolution's content): the padding is cropped off. */
  content?: ContentBox;
  /** Stages measured before composeWorking (listed first in the summary). */
  timingsMs?: Record<string, number>;
  /** The decoded file in its own terms; the result is composited there (null: 8-bit sRGB `original`). */
  source?: SourceImage | null;
}

/**
 * The working composition over the full-resolution original: the layer's padding cropped off,
 * the rest scaled back to the original's size once, composited "over" the untouched original,
 * the changed region and the summary.
 */
/** The untagged 8-bit RGB file that `image` is when no source was decoded (tests, demo). */
export function sourceOf(image: RgbImage): SourceImage {
  return { ...image, channels: 3, depth: 8, icc: null, exif: null, xmp: null };
}

export async function composeOverOriginal(
  original: RgbImage,
  composed: WorkingComposition,
  options: OverOriginalOptions = {},
): Promise<ComposeEditResult> {
  const { timingsMs = {}, source = null } = options;
  const content = options.content ?? {
    x: 0,
    y: 0,
    width: composed.layer.width,
    height: composed.layer.height,
  };
  let start = performance.now();
  const unpadded = cropContent(composed.layer, content, 4);
  const layer = await resizeRgbaContent(unpadded, original.width, original.height);
  const scaleBackMs = performance.now() - start;
  start = performance.now();
  const result = compositeOver(layer, original, composed.ring);
  const compositeFullMs = performance.now() - start;
  // Fast path (8-bit, opaque, untagged): the models' view is the file, so the result is too.
  const fast = source === null || source.data === original.data;
  let output: SourceImage;
  let changed: { count: number; box: BoundingBox | null };
  let ownTermsMs = 0;
  if (fast) {
    output = { ...(source ?? sourceOf(original)), data: result.data };
    changed = changedRegion(result, original);
  } else {
    start = performance.now();
    output = compositeOverSource(await layerInSourceTerms(layer, source), source);
    changed = changedSamples(output, source);
    ownTermsMs = performance.now() - start;
  }
  const { fine } = composed;
  const stages = {
    ...timingsMs,
    ...composed.timingsMs,
    scaleBack: scaleBackMs,
    compositeFull: compositeFullMs,
    ...(fast ? {} : { compositeOwn: ownTermsMs }),
  };
  const summary: ComposeSummary = {
    action: composed.action,
    fidelity: composed.fidelity,
    channels: composed.channels,
    original: { width: original.width, height: original.height },
    working: { width: composed.layer.width, height: composed.layer.height },
    roughSource: composed.roughSource,
    candidateCount: composed.candidateCount,
    chosenSegment: fine.source === "segment" ? fine.index : null,
    chosenIou: fine.source === "segment" ? fine.iou : null,
    fallback: fine.source === "rough",
    fallbackReason: fine.source === "rough" ? fine.reason : null,
    changedPixels: changed.count,
    changedBox: changed.box,
    timingsMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, Math.round(v * 100) / 100])),
  };
  return { result, output, layer, masks: composed.masks, content, summary };
}

/** Any edited image of any size over `original`: to the working resolution, composed, back. */
export async function composeEdit(
  inputs: ComposeInputs,
  options: ComposeOverrides = {},
): Promise<ComposeEditResult> {
  const o = composeOptions(options);
  const { original } = inputs;
  const work = workingResolution(original.width, original.height, o.working);
  let start = performance.now();
  const [originalW, editedW, roughW, ...candidatesW] = await Promise.all([
    toWorkingRgb(original, work, o.resample),
    toWorkingRgb(inputs.edited, work, o.resample),
    inputs.rough ? toWorkingMask(inputs.rough, work) : Promise.resolve(null),
    ...inputs.candidates.map((c) => toWorkingMask(c, work)),
  ]);
  const timingsMs: Record<string, number> = { prepare: performance.now() - start };
  let rough: Mask | WorkingRough | null = roughW;
  let candidates = candidatesW as Mask[];
  if (inputs.segment) {
    start = performance.now();
    const found = workingRough(originalW, editedW, roughW, o);
    timingsMs.rough = performance.now() - start;
    start = performance.now();
    const which = o.action === "remove" ? "original" : "canvas";
    const segmented = which === "original" ? originalW : editedW;
    candidates = [...candidates, ...(await inputs.segment(segmented, found.mask, which))];
    timingsMs.segment = performance.now() - start;
    rough = found;
  }
  const composed = composeWorking(originalW, editedW, rough, candidates, o);
  return composeOverOriginal(original, composed, {
    content: work.content,
    timingsMs,
    source: inputs.source ?? null,
  });
}
