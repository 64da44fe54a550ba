// The export's Python environment: one venv holding the pinned infra/export/requirements.txt,
// .venv-export/ at the repository root (ignored) unless ZONE_EXPORT_VENV names another folder
// (.ci/run keeps it in the user's cache so the next CI run on the machine reuses it).
// `npm run setup:export` creates it (scripts/setup-export-env.ts); the tests that run the export
// (test/export-python.test.ts, test/export-bundle.test.ts) take its python from here. A stamp file
// inside the venv holds the hash of the requirements (and of the base python's version) it was
// built from, so a rerun with the same pins does nothing. The wheels are kept in a wheelhouse
// (ZONE_EXPORT_WHEELS, default ~/.cache/zone-edit/export-wheels): pip's own HTTP cache stores
// nothing from this machine's package mirror (its responses are not cacheable), so a rebuilt venv
// would otherwise download the 2.6 GB of wheels again.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
export const EXPORT_VENV = resolve(REPO, process.env.ZONE_EXPORT_VENV || ".venv-export");
export const EXPORT_WHEELS = resolve(
  process.env.ZONE_EXPORT_WHEELS || join(homedir(), ".cache", "zone-edit", "export-wheels"),
);
export const EXPORT_REQUIREMENTS = join(REPO, "infra", "export", "requirements.txt");
export const EXPORT_VENV_STAMP = join(EXPORT_VENV, "zone-requirements.sha256");
export const EXPORT_VENV_PYTHON = join(EXPORT_VENV, "bin", "python");

/** What the venv must have been built from: the pins' bytes and the base interpreter's version. */
export function requirementsStamp(baseVersion: string): string {
  const hash = createHash("sha256");
  hash.update(readFileSync(EXPORT_REQUIREMENTS));
  hash.update(`\npython ${baseVersion}\n`);
  return hash.digest("hex");
}

/** The stamp the venv was built with, or null when there is no finished venv. */
export function installedStamp(): string | null {
  if (!existsSync(EXPORT_VENV_PYTHON) || !existsSync(EXPORT_VENV_STAMP)) return null;
  return readFileSync(EXPORT_VENV_STAMP, "utf8").trim();
}
