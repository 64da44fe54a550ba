// The export venv's wiring: the stamp that decides whether `npm run setup:export` rebuilds, the
// script's no-op path when a venv already has the pins, and CI calling it before `npm test`.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXPORT_REQUIREMENTS, requirementsStamp } from "../scripts/export-env.ts";
import { REPO_ROOT } from "./shared-data.ts";

const python3 = spawnSync("python3", ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], {
  encoding: "utf8",
});
const baseVersion = python3.status === 0 ? python3.stdout.trim() : null;
if (baseVersion === null) console.warn("SKIPPED: python3 is not on PATH; setup:export needs it");

describe("the export venv's stamp", () => {
  it("is the hash of the pins and the base python's version, so either change rebuilds", () => {
    const stamp = requirementsStamp("3.11.7");
    expect(stamp).toMatch(/^[0-9a-f]{64}$/);
    expect(requirementsStamp("3.11.7")).toBe(stamp);
    expect(requirementsStamp("3.12.1")).not.toBe(stamp);
    expect(readFileSync(EXPORT_REQUIREMENTS, "utf8")).toMatch(/^torch==2\.4\.1$/m);
  });

  it.skipIf(baseVersion === null)("setup:export does nothing when the venv's stamp matches", () => {
    const venv = mkdtempSync(join(tmpdir(), "zone-export-venv-"));
    try {
      mkdirSync(join(venv, "bin"));
      symlinkSync(
        execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim(),
        join(venv, "bin", "python"),
      );
      writeFileSync(join(venv, "zone-requirements.sha256"), `${requirementsStamp(baseVersion ?? "")}\n`);
      const run = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "setup-export-env.ts")], {
        env: { ...process.env, ZONE_EXPORT_VENV: venv },
        encoding: "utf8",
      });
      expect(run.stdout).toContain(`setup:export: ${venv} already has the pins (python ${baseVersion})`);
      expect(run.status).toBe(0);
    } finally {
      rmSync(venv, { recursive: true, force: true });
    }
  });
});

describe("CI and the repository", () => {
  it(".ci/run builds the venv outside the clone, before exactly `npm test`", () => {
    const ci = readFileSync(join(REPO_ROOT, ".ci", "run"), "utf8");
    const commands = ci.split("\n").filter((line) => /^npm /.test(line));
    expect(commands.slice(-2)).toEqual(["npm run setup:export", "npm test"]);
    expect(ci).toMatch(
      /^export ZONE_EXPORT_VENV="\$\{ZONE_EXPORT_VENV:-\$HOME\/\.cache\/zone-edit\/export-venv\}"$/m,
    );
    expect(ci).toMatch(/^export CI=true$/m);
  });

  it("npm run setup:export is the script, and the default venv is ignored by git", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
    expect(pkg.scripts["setup:export"]).toBe("node scripts/setup-export-env.ts");
    const ignored = spawnSync("git", ["check-ignore", "-q", ".venv-export/bin/python"], { cwd: REPO_ROOT });
    expect(ignored.status).toBe(0);
  });
});
