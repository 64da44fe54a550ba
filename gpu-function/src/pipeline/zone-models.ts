// Loads what `zone edit` needs from a model bundle: ONNX sessions for the edit roles (the action
// classifier when the bundle has one) and, unless turned off, Segment Anything's two roles; the
// tokenizer and the scheduler config, timing each load.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ModelRole, ZoneError } from "@zone/shared";
import { parseSchedulerConfig, type SchedulerConfig } from "../denoise/schedulers/scheduler.ts";
import { type ModelBundle, modelPath } from "../runtime/bundle/bundle.ts";
import { ModelSession, type RuntimeOptions } from "../runtime/onnx-runtime.ts";
import { ClipTokenizer } from "../runtime/tokenizer/clip-tokenizer.ts";
import { SAM_ROLES, type SamRole, type SamSessions } from "../segment/sam-models.ts";

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
  /** Segment Anything's encoder and decoder; null when loaded without them. */
  sam: SamSessions | null;
  tokenizer: ClipTokenizer;
  schedulerConfig: SchedulerConfig;
  /** Seconds per loaded role. */
  loadSeconds: Partial<Record<ModelRole, number>>;
}

export interface LoadEvent {
  role: EditRole | SamRole | "tokenizer";
  index: number;
  total: number;
  seconds: number;
  provider?: string;
}

export async function loadZoneModels(
  bundle: ModelBundle,
  runtime: Partial<RuntimeOptions> = {},
  onLoad: (event: LoadEvent) => void = () => {},
  options: { sam?: boolean } = {},
): Promise<ZoneModels> {
  const roles = [
    ...EDIT_ROLES.filter((r) => r !== "actionClassifier" || bundle.manifest.models.actionClassifier),
    ...(options.sam === false ? [] : SAM_ROLES),
  ];
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
  const sessions: Partial<Record<EditRole | SamRole, ModelSession>> = {};
  const loadSeconds: Partial<Record<ModelRole, number>> = {};
  for (const [i, role] of roles.entries()) {
    start = performance.now();
    const entry = bundle.manifest.models[role];
    if (!entry) throw new ZoneError("models_missing", `model bundle ${bundle.manifest.id} has no ${role}`);
    sessions[role] = await ModelSession.create(role, modelPath(bundle, role), entry, runtime);
    loadSeconds[role] = (performance.now() - start) / 1000;
    onLoad({ role, index: i + 2, total, seconds: loadSeconds[role], provider: sessions[role].provider });
  }
  const { samEncoder, samDecoder, ...editSessions } = sessions;
  return {
    bundle,
    sessions: {
      ...(editSessions as ZoneModels["sessions"]),
      actionClassifier: sessions.actionClassifier ?? null,
    },
    sam: samEncoder && samDecoder ? { encoder: samEncoder, decoder: samDecoder } : null,
    tokenizer,
    schedulerConfig,
    loadSeconds,
  };
}

export async function releaseZoneModels(models: ZoneModels): Promise<void> {
  const sam = models.sam ? [models.sam.encoder, models.sam.decoder] : [];
  await Promise.all([...Object.values(models.sessions), ...sam].map((s) => s?.release()));
}
