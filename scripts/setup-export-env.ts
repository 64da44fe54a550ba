// `npm run setup:export`: the export's pinned Python environment in .venv-export/ (ignored).
// Idempotent: when the venv's stamp matches the hash of infra/export/requirements.txt and the base
// python's version it returns at once; otherwise it rebuilds the venv from scratch: `pip download
// -r infra/export/requirements.txt` into the wheelhouse (files already there are not fetched
// again), then `pip install --no-index` from it. Where: scripts/export-env.ts. The base
// interpreter is $ZONE_EXPORT_PYTHON or python3 (3.11 or 3.12).
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import {
  EXPORT_REQUIREMENTS,
  EXPORT_VENV,
  EXPORT_VENV_PYTHON,
  EXPORT_VENV_STAMP,
  EXPORT_WHEELS,
  installedStamp,
  requirementsStamp,
} from "./export-env.ts";

const base = process.env.ZONE_EXPORT_PYTHON ?? "python3";
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

function run(command: string, args: string[]): void {
  process.stdout.write(`> ${command} ${args.join(" ")}\n`);
  const { status, error } = spawnSync(command, args, { stdio: "inherit" });
  if (error || status !== 0) {
    process.stderr.write(`setup:export: ${command} failed (${error?.message ?? `exit ${status}`})\n`);
    process.exit(1);
  }
}

const probe = spawnSync(base, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], {
  encoding: "utf8",
});
if (probe.status !== 0) {
  process.stderr.write(`setup:export: no ${base} to build the venv from (need Python 3.11 or 3.12)\n`);
  process.exit(1);
}
const version = probe.stdout.trim();
if (!/^3\.1[12]\./.test(version)) {
  process.stderr.write(`setup:export: ${base} is Python ${version}; the pins need 3.11 or 3.12\n`);
  process.exit(1);
}

const wanted = requirementsStamp(version);
if (installedStamp() === wanted) {
  process.stdout.write(
    `setup:export: ${EXPORT_VENV} already has the pins (python ${version}), ${seconds()} s\n`,
  );
  process.exit(0);
}

rmSync(EXPORT_VENV, { recursive: true, force: true });
mkdirSync(EXPORT_WHEELS, { recursive: true });
run(base, ["-m", "venv", EXPORT_VENV]);
const pip = ["-m", "pip", "--disable-pip-version-check"];
run(EXPORT_VENV_PYTHON, [
  ...pip,
  "download",
  "--progress-bar",
  "off",
  "-d",
  EXPORT_WHEELS,
  "-r",
  EXPORT_REQUIREMENTS,
]);
const downloaded = seconds();
run(EXPORT_VENV_PYTHON, [
  ...pip,
  "install",
  "--no-index",
  "--find-links",
  EXPORT_WHEELS,
  "-r",
  EXPORT_REQUIREMENTS,
]);
writeFileSync(EXPORT_VENV_STAMP, `${wanted}\n`);
process.stdout.write(
  `setup:export: ${EXPORT_VENV} built with python ${version} in ${seconds()} s (wheels ready after ${downloaded} s)\n`,
);
