// Test support shared by the packages' tests (import "@zone/shared/testing"): a valid GPU edit
// meta and compose meta, with any field overridden. Not part of the runtime surface.
import type { GpuComposeMeta } from "./src/gpu-compose-api.ts";
import type { GpuEditMeta } from "./src/gpu-edit-api.ts";
import { PIPELINE_VERSION } from "./src/pipeline-version.ts";

export function sampleGpuEditMeta(overrides: Partial<GpuEditMeta> = {}): GpuEditMeta {
  return {
    bundleId: "test-bundle",
    pipelineVersion: PIPELINE_VERSION,
    fixtures: true,
    fidelity: "corrected",
    instruction: "make it blue",
    action: "change",
    actionSource: "lexicon",
    actionCue: null,
    seed: 42,
    steps: 2,
    scheduler: "dpm-solver++",
    textGuidance: 7.5,
    imageGuidance: 1.5,
    beta: 0.01,
    mode: "default",
    magicBrush: true,
    tokenCount: 5,
    original: { width: 1, height: 1 },
    working: { width: 32, height: 32 },
    changedPixels: 1,
    changedBox: { x0: 0, y0: 0, x1: 1, y1: 1 },
    fallback: { fineMask: true, reason: "no-candidates" },
    segment: null,
    stepMs: { total: 3, model: 2, overhead: 1 },
    providers: { ip2pUnet: "cpu" },
    outputs: ["result", "layer", "mask"],
    result: {
      format: "png",
      quality: null,
      metadata: "strip",
      depth: 8,
      alpha: false,
      icc: false,
      maskSize: "working",
    },
    timingsMs: { total: 12.5 },
    ...overrides,
  };
}

export function sampleGpuComposeMeta(overrides: Partial<GpuComposeMeta> = {}): GpuComposeMeta {
  const { bundleId, pipelineVersion, fixtures, fidelity, action, original, working, changedPixels } =
    sampleGpuEditMeta();
  const { changedBox, fallback, segment, providers, outputs, result } = sampleGpuEditMeta();
  return {
    kind: "compose",
    bundleId,
    pipelineVersion,
    fixtures,
    fidelity,
    action,
    original,
    working,
    edited: { width: 1, height: 1, resize: "none" },
    roughSource: "difference",
    changedPixels,
    changedBox,
    fallback,
    segment,
    providers,
    outputs,
    result,
    timingsMs: { total: 4.5 },
    ...overrides,
  };
}
