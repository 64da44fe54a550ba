import { describe, expect, it } from "vitest";
import { FIDELITY_SETTINGS, fidelitySettings } from "./release-fidelity.ts";
import { ZONE_DEFAULTS } from "./zone-defaults.ts";

describe("release fidelity", () => {
  it("corrected is ZONE_DEFAULTS, the default fidelity", () => {
    expect(ZONE_DEFAULTS.edit.fidelity).toBe("corrected");
    expect(FIDELITY_SETTINGS.corrected).toEqual({
      channels: ZONE_DEFAULTS.compose.edge.channels,
      enlarge: ZONE_DEFAULTS.working.enlarge,
      rounding: ZONE_DEFAULTS.working.rounding,
      resample: ZONE_DEFAULTS.working.resample,
      disc: ZONE_DEFAULTS.compose.edge.disc,
      smallRegions: ZONE_DEFAULTS.smallRegions,
      magnitude: ZONE_DEFAULTS.compose.edge.magnitude,
      ring: ZONE_DEFAULTS.compose.ring,
      classifierReduction: ZONE_DEFAULTS.classify.reduction,
      finalSigmas: "bundle",
    });
  });

  it("release sets every listed behaviour to the release's", () => {
    expect(FIDELITY_SETTINGS.release).toEqual({
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
    });
    // Every behaviour where the corrected default differs from the release is flipped; the two
    // that agree (no enlarging, the latest-peak reduction) agree on purpose.
    const same = Object.keys(FIDELITY_SETTINGS.release).filter(
      (k) =>
        FIDELITY_SETTINGS.release[k as keyof typeof FIDELITY_SETTINGS.release] ===
        FIDELITY_SETTINGS.corrected[k as keyof typeof FIDELITY_SETTINGS.corrected],
    );
    expect(same.sort()).toEqual(["classifierReduction", "enlarge"]);
  });

  it("takes overrides for corrected only; release ignores them", () => {
    expect(fidelitySettings("corrected", { channels: "luma", enlarge: true })).toMatchObject({
      channels: "luma",
      enlarge: true,
      disc: "centred",
    });
    expect(fidelitySettings("corrected", { channels: undefined }).channels).toBe("rgb");
    expect(fidelitySettings("release", { channels: "luma", enlarge: true })).toBe(FIDELITY_SETTINGS.release);
  });
});
