import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sharedFile } from "../../test/shared-data.ts";
import { canonicalJson } from "./canonical-json.ts";
import { PIPELINE_REVISION, PIPELINE_VERSION, pipelineVersion } from "./pipeline-version.ts";
import { EDIT_ACTIONS, ZONE_DEFAULTS } from "./zone-defaults.ts";

// Each default, the value the specification gives, and the sentence of ZONE-METHOD.md that gives
// it. The values below fail the test when ZONE_DEFAULTS changes; the sentences fail it when the
// specification changes without the code.
const SPEC: ReadonlyArray<readonly [string, unknown, unknown, RegExp]> = [
  ["edit.seed", ZONE_DEFAULTS.edit.seed, 42, /20 steps, seed 42/],
  ["edit.steps", ZONE_DEFAULTS.edit.steps, 20, /`s_I = 1\.5`, 20 steps/],
  ["edit.textGuidance", ZONE_DEFAULTS.edit.textGuidance, 7.5, /`s_T = 7\.5`/],
  ["edit.imageGuidance", ZONE_DEFAULTS.edit.imageGuidance, 1.5, /`s_I = 1\.5`/],
  ["edit.scheduler", ZONE_DEFAULTS.edit.scheduler, "dpm-solver++", /DPM-Solver\+\+ 2nd order/],
  [
    "edit.attentionBranches",
    ZONE_DEFAULTS.edit.attentionBranches,
    "null-text",
    /from the two null-text guidance branches/,
  ],
  [
    "denoise.finalSigmasType",
    ZONE_DEFAULTS.denoise.finalSigmasType,
    "sigma_min",
    /the last step is second order to timestep 0 \(`final_sigmas_type:\s+"sigma_min"`/,
  ],
  ["beta.remove", ZONE_DEFAULTS.beta.remove, 0.2, /`beta = 0\.2` for `remove`/],
  ["beta.change", ZONE_DEFAULTS.beta.change, 0.01, /`beta = 0\.2` for `remove`, `0\.01` otherwise/],
  ["beta.add", ZONE_DEFAULTS.beta.add, 0.01, /`0\.01` otherwise/],
  ["working.maxSide", ZONE_DEFAULTS.working.maxSide, 512, /at most 512 px on the long side/],
  ["working.multiple", ZONE_DEFAULTS.working.multiple, 32, /the 1\/32 attention grid needs multiples of 32/],
  [
    "working.enlarge",
    ZONE_DEFAULTS.working.enlarge,
    false,
    /Enlarging small images to a long side of 512 is an \*\*option\*\*/,
  ],
  // No sentence of the spec gives these two: pinned here (the release truncates and uses PIL bicubic).
  ["working.rounding", ZONE_DEFAULTS.working.rounding, "round", /We pad the same way \(never stretch\)/],
  ["working.resample", ZONE_DEFAULTS.working.resample, "lanczos3", /We pad the same way \(never stretch\)/],
  [
    "edit.fidelity",
    ZONE_DEFAULTS.edit.fidelity,
    "corrected",
    /`--release-exact` reproduces\s+every release behaviour listed in `RELEASE-DIFFERENCES\.md`/,
  ],
  [
    "classify.reduction",
    ZONE_DEFAULTS.classify.reduction,
    "latest-peak",
    /the label is the class\s+with the latest peak/,
  ],
  [
    "smallRegions",
    ZONE_DEFAULTS.smallRegions,
    "exact",
    /connected components \(4-connectivity\) of `M_b` with fewer than 64 pixels are\s+removed/,
  ],
  [
    "compose.edge.disc",
    ZONE_DEFAULTS.compose.edge.disc,
    "centred",
    /keep\s+coefficients within radius `D0` of the centre/,
  ],
  [
    "compose.edge.magnitude",
    ZONE_DEFAULTS.compose.edge.magnitude,
    "clip",
    /`\|ifft2\(F\)\|` \(clip to 0\.\.255\)/,
  ],
  [
    "compose.ring",
    ZONE_DEFAULTS.compose.ring,
    "round",
    /The release's ring is truncated \(`uint8` assignment\); we round/,
  ],
  ["localize.threshold", ZONE_DEFAULTS.localize.threshold, 108, /`M_b = 255` where `2D <= 108`/],
  [
    "localize.minRegion",
    ZONE_DEFAULTS.localize.minRegion,
    64,
    /`M_b` with fewer than 64 pixels are\s+removed/,
  ],
  ["sam.pointsPerSide", ZONE_DEFAULTS.sam.pointsPerSide, 32, /32x32 point grid/],
  ["sam.predIouThresh", ZONE_DEFAULTS.sam.predIouThresh, 0.88, /predicted-IoU threshold 0\.88/],
  [
    "sam.stabilityScoreThresh",
    ZONE_DEFAULTS.sam.stabilityScoreThresh,
    0.95,
    /stability-score threshold 0\.95/,
  ],
  ["sam.maskThreshold", ZONE_DEFAULTS.sam.maskThreshold, 0, /\(mask threshold 0, offset 1\.0\)/],
  ["sam.stabilityScoreOffset", ZONE_DEFAULTS.sam.stabilityScoreOffset, 1, /offset 1\.0\)/],
  ["sam.boxNmsThresh", ZONE_DEFAULTS.sam.boxNmsThresh, 0.7, /box NMS IoU 0\.7/],
  [
    "compose.minRegion",
    ZONE_DEFAULTS.compose.minRegion,
    64,
    /Remove components under 64 px from `M_f` again/,
  ],
  ["compose.dilateIterations", ZONE_DEFAULTS.compose.dilateIterations, 4, /3x3 square kernel, 4 iterations/],
  [
    "compose.edge.channels",
    ZONE_DEFAULTS.compose.edge.channels,
    "rgb",
    /our default takes the difference\s+per channel and keeps the maximum over R, G, B/,
  ],
  ["compose.edge.radiusAt512", ZONE_DEFAULTS.compose.edge.radiusAt512, 200, /`D0 = 200` for 512 px/],
  ["compose.edge.threshold", ZONE_DEFAULTS.compose.edge.threshold, 30, /threshold at 30 \(release\)/],
  [
    "compose.edge.closeSize",
    ZONE_DEFAULTS.compose.edge.closeSize,
    21,
    /closing with a 21x21\s+square kernel/,
  ],
  ["compose.ringAlpha", ZONE_DEFAULTS.compose.ringAlpha, 153, /alpha 255 on the core, 153 on the ring/],
];

describe("ZONE_DEFAULTS", () => {
  it.each(SPEC)("%s is the method's value", (_, value, expected) => {
    expect(value).toBe(expected);
  });

  it("names the three actions in the classifier's order", () => {
    expect(EDIT_ACTIONS).toEqual(["change", "add", "remove"]);
  });

  it("has a row above for every value (a new default needs its sentence of the spec)", () => {
    const leaves = (value: unknown, path: string): string[] =>
      value !== null && typeof value === "object"
        ? Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k))
        : [path];
    const pinned = new Set(SPEC.map(([name]) => name));
    const unpinned = leaves(ZONE_DEFAULTS, "").filter(
      (name) => !pinned.has(name) && !["edit.mode", "edit.sam", "edit.guideMargin"].includes(name),
    );
    expect(unpinned).toEqual([]);
  });

  const specPath = sharedFile("docs/ZONE-METHOD.md");
  it.skipIf(specPath === null)("each value's sentence is in ../shared/docs/ZONE-METHOD.md", () => {
    const spec = readFileSync(specPath as string, "utf8");
    for (const [name, , , sentence] of SPEC) expect(spec, name).toMatch(sentence);
    expect(spec).toMatch(/Three actions: `change` \(0\), `add` \(1\), `remove` \(2\)/);
  });
});

describe("PIPELINE_VERSION", () => {
  it("is derived from the revision and every default", () => {
    expect(PIPELINE_VERSION).toBe(pipelineVersion(PIPELINE_REVISION, ZONE_DEFAULTS));
    expect(PIPELINE_VERSION).toMatch(/^zone-r\d+-[0-9a-f]{8}$/);
    const changed = JSON.parse(canonicalJson(ZONE_DEFAULTS));
    changed.compose.edge.threshold = 31;
    expect(pipelineVersion(PIPELINE_REVISION, changed)).not.toBe(PIPELINE_VERSION);
    expect(pipelineVersion(PIPELINE_REVISION + 1, ZONE_DEFAULTS)).not.toBe(PIPELINE_VERSION);
    // Key order does not matter, values do.
    expect(pipelineVersion(1, { a: 1, b: 2 })).toBe(pipelineVersion(1, { b: 2, a: 1 }));
  });
});
