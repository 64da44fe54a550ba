// One value, two languages: the release's scheduler last step (diffusers 0.18: second order to
// timestep 0) is ZONE_DEFAULTS.denoise.finalSigmasType in TypeScript and RELEASE_LAST_STEP in
// the export (infra/export/zone_export/scheduler_config.py), which writes it into every bundle.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ZONE_DEFAULTS } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { BUNDLE_SCHEDULER_CONFIG } from "../gpu-function/src/fixtures/fixture-bundle.ts";

const ROOT = resolve(import.meta.dirname, "..");

describe("the scheduler's last step", () => {
  it("is the same value in the export, the fixture bundle and ZONE_DEFAULTS", () => {
    const python = readFileSync(resolve(ROOT, "infra/export/zone_export/scheduler_config.py"), "utf8");
    const written = python.match(/^RELEASE_LAST_STEP = \{"final_sigmas_type": "(\w+)"\}$/m);
    expect(written?.[1]).toBe(ZONE_DEFAULTS.denoise.finalSigmasType);
    expect(BUNDLE_SCHEDULER_CONFIG.final_sigmas_type).toBe(ZONE_DEFAULTS.denoise.finalSigmasType);
    // The exporter applies it to the scheduler config it writes.
    const exporter = readFileSync(resolve(ROOT, "infra/export/zone_export/exporter.py"), "utf8");
    expect(exporter).toMatch(/config = bundle_scheduler_config\(/);
  });
});
