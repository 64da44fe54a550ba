// Which python runs the export's tests: the pinned venv of `npm run setup:export`
// (scripts/export-env.ts) when it is built and up to date with infra/export/requirements.txt.
// Without it the tests that need PyTorch skip with a printed reason, except under CI=true, where
// .ci/run builds the venv first and its absence is a failure (exportVenvOrFailInCi).
import { spawnSync } from "node:child_process";
import { EXPORT_VENV, EXPORT_VENV_PYTHON, installedStamp, requirementsStamp } from "../scripts/export-env.ts";

export type ExportVenv = { python: string; reason: null } | { python: null; reason: string };

/** The venv's python, or why there is none to use. */
export function exportVenv(): ExportVenv {
  const stamp = installedStamp();
  if (stamp === null) {
    return { python: null, reason: `no export venv at ${EXPORT_VENV}: run npm run setup:export` };
  }
  const probe = spawnSync(
    EXPORT_VENV_PYTHON,
    ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
    {
      encoding: "utf8",
    },
  );
  if (probe.status !== 0)
    return { python: null, reason: `${EXPORT_VENV_PYTHON} does not run: ${probe.stderr}` };
  if (requirementsStamp(probe.stdout.trim()) !== stamp) {
    return {
      python: null,
      reason: `${EXPORT_VENV} was built from other pins than infra/export/requirements.txt: run npm run setup:export`,
    };
  }
  return { python: EXPORT_VENV_PYTHON, reason: null };
}

/** True under CI=true, where a missing export venv fails the run instead of skipping. */
export const IN_CI = process.env.CI === "true";
