// Locates the team's test data in ../shared (beside the repository). Tests that need it skip
// with a printed reason when it is absent, never silently.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "..");
export const SHARED_DIR = resolve(REPO_ROOT, "..", "shared");
export const SHARED_IMAGES = join(SHARED_DIR, "images");

/** The path of a file in ../shared/images, or null (with a printed reason) when it is missing. */
export function sharedImage(name: string): string | null {
  const path = join(SHARED_IMAGES, name);
  if (existsSync(path)) return path;
  console.warn(
    `SKIPPED: ${path} not found; tests on real photos need ../shared/images beside the repository`,
  );
  return null;
}

/** The path of a file or folder in ../shared, or null (with a printed reason) when it is missing. */
export function sharedFile(relativePath: string): string | null {
  const path = join(SHARED_DIR, relativePath);
  if (existsSync(path)) return path;
  console.warn(`SKIPPED: ${path} not found; these tests need ../shared beside the repository`);
  return null;
}
