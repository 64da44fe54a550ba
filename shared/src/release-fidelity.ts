// The one owner of what "reproduce the authors' release" means (`--release-exact` on the CLI,
// `fidelity: "release"` in the GPU API). Each setting names a behaviour where the project
// deliberately differs from lsl001006/ZONE (../shared/docs/RELEASE-DIFFERENCES.md); "corrected"
// takes every value from ZONE_DEFAULTS, "release" the release's. The pipeline, the compose stage
// and the CLI read these records and nothing else to decide.
import {
  type ClassifierReduction,
  type DifferenceChannels,
  type Fidelity,
  ZONE_DEFAULTS,
} from "./zone-defaults.ts";

export interface FidelitySettings {
  /** The edge smoother's difference (release: its swapped-weight grey). */
  channels: DifferenceChannels;
  /** Working resolution: enlarge small images, short-side rounding, colour resampling kernel. */
  enlarge: boolean;
  rounding: "round" | "truncate";
  resample: "lanczos3" | "cubic";
  /** The low-pass disc (release: cv2.circle's swapped centre, D0 fixed at 200). */
  disc: "centred" | "release";
  /** The small-region filter of M_b and M_f (release: label x count, whole boxes zeroed). */
  smallRegions: "exact" | "release";
  /** The 8-bit magnitude of the low-passed difference (release: wraps above 255). */
  magnitude: "clip" | "wrap";
  /** The ring's 0.6 / 0.4 blend (release: truncated). */
  ring: "round" | "truncate";
  /** How the action MLP reads the text encoder. */
  classifierReduction: ClassifierReduction;
  /**
   * The scheduler's last step: "bundle" keeps the bundle's scheduler config (the export writes
   * ZONE_DEFAULTS.denoise.finalSigmasType), "sigma_min" forces diffusers 0.18's last step.
   */
  finalSigmas: "bundle" | "sigma_min";
}

const Z = ZONE_DEFAULTS;

export const FIDELITY_SETTINGS: Readonly<Record<Fidelity, Readonly<FidelitySettings>>> = {
  corrected: {
    channels: Z.compose.edge.channels,
    enlarge: Z.working.enlarge,
    rounding: Z.working.rounding,
    resample: Z.working.resample,
    disc: Z.compose.edge.disc,
    smallRegions: Z.smallRegions,
    magnitude: Z.compose.edge.magnitude,
    ring: Z.compose.ring,
    classifierReduction: Z.classify.reduction,
    finalSigmas: "bundle",
  },
  release: {
    channels: "release",
    enlarge: false,
    rounding: "truncate",
    resample: "cubic",
    disc: "release",
    smallRegions: "release",
    magnitude: "wrap",
    ring: "truncate",
    classifierReduction: "latest-peak",
    finalSigmas: "sigma_min",
  },
};

/** The options a caller may set one by one; they apply to "corrected" only. */
export type FidelityOverrides = Partial<
  Pick<FidelitySettings, "channels" | "enlarge" | "classifierReduction">
>;

/**
 * The settings an edit runs with: "release" is the release, whatever else was asked (a
 * reproduction takes no partial overrides); "corrected" takes the caller's overrides.
 */
export function fidelitySettings(
  fidelity: Fidelity,
  overrides: FidelityOverrides = {},
): Readonly<FidelitySettings> {
  if (fidelity === "release") return FIDELITY_SETTINGS.release;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...FIDELITY_SETTINGS.corrected, ...defined };
}
