// The two SAM sessions of a model bundle (roles samEncoder and samDecoder), loaded together.
import { ZoneError } from "@zone/shared";
import { type ModelBundle, modelPath } from "../runtime/bundle/bundle.ts";
import { ModelSession, type RuntimeOptions } from "../runtime/onnx-runtime.ts";

export const SAM_ROLES = ["samEncoder", "samDecoder"] as const;
export type SamRole = (typeof SAM_ROLES)[number];

export interface SamSessions {
  encoder: ModelSession;
  decoder: ModelSession;
}

export async function loadSamSessions(
  bundle: ModelBundle,
  runtime: Partial<RuntimeOptions> = {},
  onLoad: (role: SamRole, seconds: number, provider: string) => void = () => {},
): Promise<SamSessions> {
  const sessions: Partial<Record<SamRole, ModelSession>> = {};
  for (const role of SAM_ROLES) {
    const start = performance.now();
    const entry = bundle.manifest.models[role];
    if (!entry) throw new ZoneError("models_missing", `model bundle ${bundle.manifest.id} has no ${role}`);
    const session = await ModelSession.create(role, modelPath(bundle, role), entry, runtime);
    sessions[role] = session;
    onLoad(role, (performance.now() - start) / 1000, session.provider);
  }
  return { encoder: sessions.samEncoder!, decoder: sessions.samDecoder! };
}

export async function releaseSamSessions(sam: SamSessions): Promise<void> {
  await Promise.all([sam.encoder.release(), sam.decoder.release()]);
}
