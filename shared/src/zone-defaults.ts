// Every default of the ZONE method (../shared/docs/ZONE-METHOD.md), in one place. The pipeline's
// stages, the CLI, the GPU function's API schema and the gateway import these values; none of
// them writes a method constant of its own. `zone-defaults.test.ts` pins each value against the
// specification, and PIPELINE_VERSION (pipeline-version.ts) is derived from this object, so a
// deploy that changes any default also changes every cache key.

/** Method section 1: the three actions, in the classifier's output order. */
export const EDIT_ACTIONS = ["change", "add", "remove"] as const;
export type EditAction = (typeof EDIT_ACTIONS)[number];

/** "fast" skips MagicBrush when beta is the non-remove weight (method section 2, option). */
export const EDIT_MODES = ["default", "fast"] as const;
export type EditMode = (typeof EDIT_MODES)[number];

export const SCHEDULERS = ["dpm-solver++", "euler-ancestral"] as const;
export type SchedulerName = (typeof SCHEDULERS)[number];

/** Which guidance branches' attention maps localize the edit (method section 3). */
export const ATTENTION_BRANCHES = ["null-text", "text"] as const;
export type AttentionBranches = (typeof ATTENTION_BRANCHES)[number];

/**
 * The edge smoother's difference (method section 5): per-channel maximum, BT.601 grey, or the
 * release's grey (0.114 R + 0.587 G + 0.299 B: it applies COLOR_RGB2GRAY to BGR arrays).
 */
export const DIFFERENCE_CHANNELS = ["rgb", "luma", "release"] as const;
export type DifferenceChannels = (typeof DIFFERENCE_CHANNELS)[number];

/**
 * How the action classifier's MLP reads the text encoder (method section 1): the release applies
 * it to all 77 token states and takes the class whose peak comes latest ("latest-peak"); the
 * option applies it once to the pooled end-of-text embedding ("pooled").
 */
export const CLASSIFIER_REDUCTIONS = ["latest-peak", "pooled"] as const;
export type ClassifierReduction = (typeof CLASSIFIER_REDUCTIONS)[number];

/** "corrected" (the default) or "release": reproduce the authors' release (release-fidelity.ts). */
export const FIDELITIES = ["corrected", "release"] as const;
export type Fidelity = (typeof FIDELITIES)[number];

/** Segment Anything: the full grid (the release), the guided grid (the option), or none. */
export const SAM_SETTINGS = ["full", "guided", "off"] as const;
export type SamSetting = (typeof SAM_SETTINGS)[number];

export const ZONE_DEFAULTS = {
  /** Section 2: the release's sampling parameters. */
  edit: {
    seed: 42,
    steps: 20,
    textGuidance: 7.5,
    imageGuidance: 1.5,
    scheduler: "dpm-solver++" as SchedulerName,
    mode: "default" as EditMode,
    attentionBranches: "null-text" as AttentionBranches,
    sam: "full" as SamSetting,
    /** Guided SAM: the rough mask's dilation, in grid steps. */
    guideMargin: 1,
    /** The corrected behaviour; "release" reproduces the authors' release (release-fidelity.ts). */
    fidelity: "corrected" as Fidelity,
  },
  /** Section 1: the MLP over all token states, the latest peak wins (the release's reduction). */
  classify: { reduction: "latest-peak" as ClassifierReduction },
  /**
   * Section 2: the scheduler's last step as diffusers 0.18 ran it (second order to timestep 0),
   * in current diffusers' terms; the export writes it into the bundle's scheduler config.
   */
  denoise: { finalSigmasType: "sigma_min" as "sigma_min" | "zero" },
  /** Section 2: the MagicBrush weight per action. */
  beta: { change: 0.01, add: 0.01, remove: 0.2 } satisfies Record<EditAction, number>,
  /**
   * Section 0: long side at most 512, sides multiples of 32 (the 1/32 attention grid), reached by
   * padding, never by stretching; small images are not enlarged (enlarging is an option).
   */
  working: {
    maxSide: 512,
    multiple: 32,
    enlarge: false,
    /** The scaled short side is rounded (the release truncates). */
    rounding: "round" as "round" | "truncate",
    /** Colour resampling to the working size (the release: PIL bicubic, "cubic"). */
    resample: "lanczos3" as "lanczos3" | "cubic",
  },
  /**
   * Sections 3-4: components under minRegion px are removed exactly ("exact"); the release's
   * filter_small_regions ("release") compares label x count and zeroes whole bounding boxes.
   */
  smallRegions: "exact" as "exact" | "release",
  /** Section 3: M_b = 255 where 2D <= threshold; components under minRegion px removed. */
  localize: { threshold: 108, minRegion: 64 },
  /** Section 4: the automatic mask generator's release settings. */
  sam: {
    pointsPerSide: 32,
    predIouThresh: 0.88,
    stabilityScoreThresh: 0.95,
    stabilityScoreOffset: 1,
    maskThreshold: 0,
    boxNmsThresh: 0.7,
  },
  /** Sections 4-5: Region-IoU, dilation, the FFT edge smoother and the layer. */
  compose: {
    /** Components under this many pixels are removed from M_b and M_f. */
    minRegion: 64,
    /** 3x3 dilations of M_f. */
    dilateIterations: 4,
    edge: {
      channels: "rgb" as DifferenceChannels,
      /** D0 at a 512 px long side, scaled with the working long side. */
      radiusAt512: 200,
      /** M_f* is on where the low-passed 8-bit difference is above this. */
      threshold: 30,
      /** Side of the square closing kernel. */
      closeSize: 21,
      /**
       * The low-pass disc: centred on the spectrum's centre with the scaled radius ("centred"),
       * or the release's cv2.circle with rows and columns swapped and D0 fixed ("release").
       */
      disc: "centred" as "centred" | "release",
      /** |ifft| to 8 bits: clipped at 255 ("clip"), or wrapped as the release's astype(uint8). */
      magnitude: "clip" as "clip" | "wrap",
    },
    /** The ring's layer alpha: 153 / 255 = 0.6 of I_sty. */
    ringAlpha: 153,
    /** The ring's blend is rounded (the release truncates: its uint8 assignment). */
    ring: "round" as "round" | "truncate",
  },
} as const;

export type ZoneDefaults = typeof ZONE_DEFAULTS;
