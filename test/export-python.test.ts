// The Python model export (infra/export/): byte-compiles every script with the system python3,
// runs its unit tests in the export's pinned venv (`npm run setup:export`), where every test runs,
// the PyTorch ones included (none may skip), and checks the exporter's contract against the fixture
// bundle's manifest, which follows the contract the runtime trusts. Without the venv the unit tests
// run with the system python3, the PyTorch ones skipping, and a printed reason says so; under
// CI=true (.ci/run builds the venv first) a missing venv fails. Without a python3 the stdlib checks
// skip with a printed reason. The real-class export itself: test/export-bundle.test.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildFixtureBundle } from "../gpu-function/src/fixtures/fixture-bundle.ts";
import { exportVenv, IN_CI } from "./export-venv.ts";
import { REPO_ROOT } from "./shared-data.ts";

const EXPORT_DIR = join(REPO_ROOT, "infra", "export");
// Compiled files go to a scratch folder, never into the repository.
const cacheDir = mkdtempSync(join(tmpdir(), "zone-export-pycache-"));
const env = { ...process.env, PYTHONPYCACHEPREFIX: cacheDir, PYTHONDONTWRITEBYTECODE: "1" };

function python(args: string[], executable = "python3", timeout = 120_000) {
  return spawnSync(executable, args, { cwd: EXPORT_DIR, env, encoding: "utf8", timeout });
}

const probe = python(["-c", "import sys; print(sys.version.split()[0])"]);
const pythonVersion = probe.status === 0 ? probe.stdout.trim() : null;
if (pythonVersion === null) {
  console.warn("SKIPPED: python3 is not on PATH; the infra/export Python checks need it");
}
const venv = exportVenv();
if (venv.python === null && !IN_CI) {
  console.warn(`SKIPPED: the export's PyTorch unit tests (they skip themselves): ${venv.reason}`);
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

  it.skipIf(venv.python !== null)(
    "passes its unit tests with the system python3 (PyTorch ones skip)",
    () => {
      const result = python(["-m", "unittest", "discover", "-s", "tests", "-t", "."]);
      // unittest reports on stderr: "Ran N tests" then "OK" or "FAILED (...)".
      expect(result.stderr, result.stderr).toMatch(/\nOK( \(skipped=\d+\))?\n?$/);
      expect(result.status).toBe(0);
    },
    120_000,
  );

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

describe("infra/export's unit tests in the pinned venv", () => {
  it.runIf(IN_CI && venv.python === null)("has the venv under CI (.ci/run builds it)", () => {
    expect.fail(`CI=true but ${venv.reason}`);
  });

  it.skipIf(venv.python === null)(
    "passes every one of them, none skipped (PyTorch, diffusers, ONNX Runtime present)",
    () => {
      const result = python(
        ["-m", "unittest", "discover", "-s", "tests", "-t", "."],
        venv.python ?? "",
        600_000,
      );
      expect(result.stderr, result.stderr).toMatch(/\nRan \d+ tests? in [\d.]+s\n\nOK\n?$/);
      expect(result.status).toBe(0);
    },
    600_000,
  );
});
