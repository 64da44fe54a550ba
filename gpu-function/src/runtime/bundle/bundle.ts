// Opening a model bundle: where it is (--models DIR, MODELS_DIR, or the generated fixtures),
// its manifest, and the paths of its parts. Missing pieces are reported by name with what to do.
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ModelManifest, type ModelRole, parseModelManifest, ZoneError } from "@zone/shared";
import { ensureFixtureBundle } from "../../fixtures/fixture-bundle.ts";

export interface ModelBundle {
  dir: string;
  manifest: ModelManifest;
  fixtures: boolean;
}

const HOW_TO_GET_MODELS =
  "build a bundle with the export scripts (README, 'The real-model path'), or pass --models fixtures for the tiny test models";

/** "fixtures" -> the generated fixture bundle; a folder -> itself; nothing -> MODELS_DIR. */
export async function resolveBundleDir(
  spec: string | undefined,
): Promise<{ dir: string; fixtures: boolean }> {
  const chosen = spec ?? process.env.MODELS_DIR;
  if (chosen === undefined || chosen === "") {
    throw new ZoneError(
      "models_missing",
      `no model bundle given: pass --models DIR or set MODELS_DIR; ${HOW_TO_GET_MODELS}`,
    );
  }
  if (chosen === "fixtures") return { dir: await ensureFixtureBundle(), fixtures: true };
  return { dir: chosen, fixtures: false };
}

export async function openBundle(dir: string, fixtures = false): Promise<ModelBundle> {
  let text: string;
  try {
    text = await readFile(join(dir, "manifest.json"), "utf8");
  } catch (cause) {
    throw new ZoneError(
      "models_missing",
      `no model bundle at ${dir} (manifest.json not found); ${HOW_TO_GET_MODELS}`,
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ZoneError("model_bundle_invalid", `${join(dir, "manifest.json")} is not valid JSON`, { cause });
  }
  const manifest = parseModelManifest(json);
  const bundle = { dir, manifest, fixtures };
  const missing: string[] = [];
  for (const [what, path] of bundleFiles(bundle)) {
    try {
      await access(path);
    } catch {
      missing.push(`${what} (${path})`);
    }
  }
  if (missing.length > 0) {
    throw new ZoneError(
      "models_missing",
      `model bundle ${manifest.id} at ${dir} is missing ${missing.join(", ")}; ${HOW_TO_GET_MODELS}`,
    );
  }
  return bundle;
}

export function modelPath(bundle: ModelBundle, role: ModelRole): string {
  const entry = bundle.manifest.models[role];
  if (!entry) throw new ZoneError("models_missing", `model bundle ${bundle.manifest.id} has no ${role}`);
  return join(bundle.dir, entry.file);
}

/** Every file the manifest names, as [what, path]. */
export function bundleFiles(bundle: ModelBundle): Array<[string, string]> {
  const files: Array<[string, string]> = [];
  for (const [role, entry] of Object.entries(bundle.manifest.models)) {
    if (entry) files.push([role, join(bundle.dir, entry.file)]);
  }
  const tokenizer = join(bundle.dir, bundle.manifest.tokenizer.dir);
  files.push(
    ["tokenizer vocab.json", join(tokenizer, "vocab.json")],
    ["tokenizer merges.txt", join(tokenizer, "merges.txt")],
  );
  files.push(["scheduler config", join(bundle.dir, bundle.manifest.scheduler.config)]);
  return files;
}
