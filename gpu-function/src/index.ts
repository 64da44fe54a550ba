// Public surface of @zone/gpu-function: the compose stage and what the later pipeline stages
// (diffusion, Segment Anything, the HTTP service) build on.
export {
  COMPOSE_DEFAULTS,
  type ComposeEditResult,
  type ComposeInputs,
  type ComposeOptions,
  type ComposeOverrides,
  type ComposeSummary,
  changedRegion,
  composeEdit,
  composeWorking,
  type WorkingComposition,
} from "./compose/compose-edit.ts";
export { buildLayer, compositeOver, RING_ALPHA } from "./compose/composite.ts";
export { EDGE_SMOOTHER_DEFAULTS, type EdgeSmootherOptions, edgeSmoother } from "./compose/edge-smoother.ts";
export { type RegionIouSelection, selectByRegionIou } from "./compose/region-iou.ts";
export { DEFAULT_MAX_PIXELS, decodeImage, decodeMask, encodePng } from "./image/io.ts";
export { resizeMask, resizeRgb, resizeRgbaContent } from "./image/resize.ts";
export type { BoundingBox, Mask, RgbaImage, RgbImage } from "./image/types.ts";
export { type WorkingResolution, workingResolution } from "./image/working-resolution.ts";
export { roughMaskFromDifference } from "./localize/rough-from-difference.ts";
export { type AttentionMaps, ROUGH_MASK_DEFAULTS, roughMaskFromAttention } from "./localize/rough-mask.ts";
