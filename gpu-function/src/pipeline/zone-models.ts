// Loads what `zone edit` needs from a model bundle: ONNX sessions for the edit roles (the action
// classifier when the bundle has one), the tokenizer and the scheduler config, timing each load.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ModelRole, ZoneError } from "@zone/shared";
import { type ModelBundle, modelPath } from "../models/bundle.ts";
import { ModelSession, type RuntimeOptions } from "../runtime/onnx-runtime.ts";
import { parseSchedulerConfig, type SchedulerConfig } from "../schedulers/scheduler.ts";
import { ClipTokenizer } from "../tokenizer/clip-tokenizer.ts";

export const EDIT_ROLES = [
  "textEncoder",
  "vaeEncoder",
  "vaeDecoder",
  "ip2pUnet",
  "magicBrushUnet",
  "actionClassifier",
] as const;
export type EditRole = (typeof EDIT_ROLES)[number];

export interface ZoneModels {
  bundle: ModelBundle;
  sessions: { [R in Exclude<EditRole, "actionClassifier">]: ModelSession } & {
    actionClassifier: ModelSession | null;
  };
  tokenizer: ClipTokenizer;
  schedulerConfig: SchedulerConfig;
  /** Seconds per loaded role. */
  loadSeconds: Partial<Record<ModelRole, number>>;
}

export interface LoadEvent {
  role: EditRole | "tokenizer";
  index: number;
  total: number;
  seconds: number;
  provider?: string;
}

export async function loadZoneModels(
  bundle: ModelBundle,
  runtime: Partial<RuntimeOptions> = {},
  onLoad: (event: LoadEvent) => void = () => {},
): Promise<ZoneModels> {
  const roles = EDIT_ROLES.filter((r) => r !== "actionClassifier" || bundle.manifest.models.actionClassifier);
  const total = roles.length + 1;
  let start = performance.now();
  const tokenizer = await ClipTokenizer.fromFolder(join(bundle.dir, bundle.manifest.tokenizer.dir));
  let schedulerConfig: SchedulerConfig;
  try {
    schedulerConfig = parseSchedulerConfig(
      JSON.parse(await readFile(join(bundle.dir, bundle.manifest.scheduler.config), "utf8")),
    );
  } catch (cause) {
    throw new ZoneError(
      "model_bundle_invalid",
      `${bundle.manifest.scheduler.config}: ${(cause as Error).message}`,
      { cause },
    );
  }
  onLoad({ role: "tokenizer", index: 1, total, seconds: (performance.now() - start) / 1000 });
  const sessions: Partial<Record<EditRole, ModelSession>> = {};
  const loadSeconds: Partial<Record<ModelRole, number>> = {};
  for (const [i, role] of roles.entries()) {
    start = performance.now();
    const entry = bundle.manifest.models[role];
    if (!entry) throw new ZoneError("models_missing", `model bundle ${bundle.manifest.id} has no ${role}`);
    sessions[role] = await ModelSession.create(role, modelPath(bundle, role), entry, runtime);
    loadSeconds[role] = (performance.now() - start) / 1000;
    onLoad({ role, index: i + 2, total, seconds: loadSeconds[role], provider: sessions[role].provider });
  }
  return {
    bundle,
    sessions: {
      ...(sessions as ZoneModels["sessions"]),
      actionClassifier: sessions.actionClassifier ?? null,
    },
    tokenizer,
    schedulerConfig,
    loadSeconds,
  };
}

export async function releaseZoneModels(models: ZoneModels): Promise<void> {
  await Promise.all(Object.values(models.sessions).map((s) => s?.release()));
}
