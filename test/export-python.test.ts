// The Python model export (infra/export/) cannot run here for real (no PyPI, so no PyTorch): this
// byte-compiles every script, runs its unit tests (the ones that need PyTorch skip themselves) and
// checks the exporter's contract against the fixture bundle's manifest, which follows the contract
// the runtime trusts. Without a python3 the tests skip with a printed reason.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildFixtureBundle } from "../gpu-function/src/fixtures/fixture-bundle.ts";
import { REPO_ROOT } from "./shared-data.ts";

const EXPORT_DIR = join(REPO_ROOT, "infra", "export");
// Compiled files go to a scratch folder, never into the repository.
const cacheDir = mkdtempSync(join(tmpdir(), "zone-export-pycache-"));
const env = { ...process.env, PYTHONPYCACHEPREFIX: cacheDir, PYTHONDONTWRITEBYTECODE: "1" };

function python(args: string[], cwd = EXPORT_DIR) {
  return spawnSync("python3", args, { cwd, env, encoding: "utf8", timeout: 120_000 });
}

const probe = python(["-c", "import sys; print(sys.version.split()[0])"]);
const pythonVersion = probe.status === 0 ? probe.stdout.trim() : null;
if (pythonVersion === null) {
  console.warn("SKIPPED: python3 is not on PATH; the infra/export Python checks need it");
}

function pythonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "__pycache__" ? [] : pythonFiles(path);
    return entry.name.endsWith(".py") ? [path] : [];
  });
}

afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe.skipIf(pythonVersion === null)(`infra/export with python ${pythonVersion}`, () => {
  it("byte-compiles every script", () => {
    const files = pythonFiles(EXPORT_DIR);
    const names = files.map((f) => relative(EXPORT_DIR, f));
    expect(names).toEqual(
      expect.arrayContaining(["export.py", "verify.py", "build_engines.py", "zone_export/contract.py"]),
    );
    const result = python(["-m", "py_compile", ...files]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("passes its unit tests (those needing PyTorch skip without it)", () => {
    const result = python(["-m", "unittest", "discover", "-s", "tests", "-t", "."]);
    // unittest reports on stderr: "Ran N tests" then "OK" or "FAILED (...)".
    expect(result.stderr, result.stderr).toMatch(/\nOK( \(skipped=\d+\))?\n?$/);
    expect(result.status).toBe(0);
  }, 120_000);

  it("exports the contract the fixture bundle has (same tensors, the tiny sizes)", () => {
    const dir = mkdtempSync(join(tmpdir(), "zone-export-contract-"));
    try {
      const manifestPath = join(dir, "manifest.json");
      writeFileSync(manifestPath, JSON.stringify(buildFixtureBundle().manifest));
      const result = python(["-m", "zone_export.contract_check", manifestPath, "--dims", "tiny"]);
      expect(result.stdout).toContain("0 difference(s) from the contract");
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
