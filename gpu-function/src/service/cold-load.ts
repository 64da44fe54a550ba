// Cold start of the GPU service: find and open the model bundle, verify it against its manifest,
// pick the execution path for this GPU (TensorRT EPContext engines built for it, else the CUDA
// provider on the bundle's fp16 graphs, else the CPU), create the sessions, and run one warm-up
// edit so the first real request does not pay for lazy initialisation. Every phase is logged with
// its seconds; the service is not ready before this resolves.
import { parseGpuEditParams, ZoneError } from "@zone/shared";
import { loadZoneModels, type ZoneModels } from "../pipeline/zone-models.ts";
import { type ModelBundle, openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import {
  defaultRecordPath,
  RecordedDigests,
  readRecord,
  writeRecord,
} from "../runtime/bundle/verified-record.ts";
import { type RoleCheck, verifyBundle, verifyEngines } from "../runtime/bundle/verify-bundle.ts";
import { detectGpuName, engineKeyFor } from "../runtime/gpu-type.ts";
import type { Logger } from "./logger.ts";
import type { ServiceMetrics } from "./metrics.ts";
import type { ServiceOptions } from "./options.ts";
import { runServiceEdit } from "./run-edit.ts";
import { WARMUP_INSTRUCTION, warmupImage } from "./warmup-edit.ts";

export interface LoadedModels {
  models: ZoneModels;
  gpuName: string | null;
  /** Wall time of the warm-up edit, a first estimate of an edit's duration. */
  warmupMs: number;
}

export interface ColdLoadDeps {
  log: Logger;
  metrics: ServiceMetrics;
  detectGpu?: (deviceId: number) => Promise<string | null>;
}

export type ModelLoader = (options: ServiceOptions, deps: ColdLoadDeps) => Promise<LoadedModels>;

const seconds = (since: number) => Math.round(performance.now() - since) / 1000;

/** Roles with an engine for this GPU, e.g. { ip2pUnet: "H100" }. */
export function enginePlan(bundle: ModelBundle, gpuName: string | null): Record<string, string> {
  const plan: Record<string, string> = {};
  if (gpuName === null) return plan;
  for (const [role, entry] of Object.entries(bundle.manifest.models)) {
    const key = entry?.engines ? engineKeyFor(gpuName, Object.keys(entry.engines)) : null;
    if (key !== null) plan[role] = key;
  }
  return plan;
}

function failures(checks: RoleCheck[]): string[] {
  return checks.filter((c) => !c.ok).map((c) => `${c.role} (${c.file}): ${c.problems.join("; ")}`);
}

export const coldLoad: ModelLoader = async (options, { log, metrics, detectGpu = detectGpuName }) => {
  const started = performance.now();
  const { dir, fixtures } = await resolveBundleDir(options.models);
  if (fixtures)
    log.warn("using the generated FIXTURE models: tiny and untrained, so edits are meaningless", { dir });
  const bundle = await openBundle(dir, fixtures);
  log.info("model bundle", { id: bundle.manifest.id, dir });

  const gpuWanted = options.providers.some((p) => p !== "cpu");
  const gpuName = gpuWanted ? await detectGpu(options.deviceId) : null;
  const engines = enginePlan(bundle, gpuName);
  const path =
    Object.keys(engines).length > 0
      ? `TensorRT EPContext engines for ${gpuName} (${Object.keys(engines).join(", ")}), ONNX graphs on ${options.providers.join(" > ")} for the rest`
      : gpuName
        ? `no engines for ${gpuName} in the bundle: ONNX graphs (fp16 where exported) on ${options.providers.join(" > ")}`
        : `no GPU found: ONNX graphs on ${options.providers.join(" > ")}`;
  log.info("execution plan", { gpu: gpuName, plan: path });

  if (options.verifyBundle) {
    const start = performance.now();
    // A signed record of the last verification lets unchanged files skip hashing (no secret, no
    // record: everything is hashed).
    const recordPath =
      options.verifyRecord === "off" || options.secret === null
        ? null
        : (options.verifyRecord ?? defaultRecordPath(dir));
    const recorded =
      recordPath === null || options.secret === null
        ? { files: null, reason: recordPath === null ? "records off" : "" }
        : await readRecord(recordPath, options.secret, dir);
    const digests = new RecordedDigests(dir, recorded.files);
    const checks = await verifyBundle(bundle, undefined, { sha256: digests.sha256 });
    if (gpuName)
      checks.push(...(await verifyEngines(bundle, gpuName, undefined, { sha256: digests.sha256 })));
    const bad = failures(checks);
    if (bad.length > 0)
      throw new ZoneError("model_bundle_invalid", `model bundle ${bundle.manifest.id}: ${bad.join(" | ")}`);
    const verifySeconds = seconds(start);
    metrics.coldStart.set({ phase: "verify" }, verifySeconds);
    log.info("bundle verified", {
      files: checks.length,
      hashed: digests.hashed,
      fromRecord: digests.reused,
      record: recorded.reason,
      seconds: verifySeconds,
    });
    if (recordPath !== null && options.secret !== null && digests.hashed > 0) {
      await writeRecord(recordPath, options.secret, dir, digests.stamps).then(
        () => log.info("verification recorded", { path: recordPath }),
        (error: Error) =>
          log.warn("could not write the verification record", { path: recordPath, error: error.message }),
      );
    }
  }

  let start = performance.now();
  const models = await loadZoneModels(
    bundle,
    {
      providers: options.providers,
      deviceId: options.deviceId,
      engines: gpuName ? { gpuName, bundleDir: dir } : null,
      log: (line) => log.warn(line),
    },
    (event) => {
      if (event.role === "tokenizer") log.info("loaded tokenizer", { seconds: event.seconds });
    },
  );
  for (const [role, session] of Object.entries(models.sessions)) {
    if (!session) continue;
    const loadSeconds = models.loadSeconds[role as keyof typeof models.loadSeconds] ?? 0;
    metrics.modelLoad.set({ role, provider: session.provider, source: session.source }, loadSeconds);
    log.info("loaded model", {
      role,
      provider: session.provider,
      source: session.source,
      seconds: Math.round(loadSeconds * 1000) / 1000,
    });
  }
  metrics.coldStart.set({ phase: "load" }, seconds(start));

  start = performance.now();
  const warmup = await runServiceEdit(
    models,
    {
      image: warmupImage(),
      params: parseGpuEditParams({ instruction: WARMUP_INSTRUCTION, steps: options.warmupSteps }),
    },
    new AbortController().signal,
  );
  const warmupMs = performance.now() - start;
  metrics.coldStart.set({ phase: "warmup" }, seconds(start));
  metrics.coldStart.set({ phase: "total" }, seconds(started));
  log.info("warm-up edit done", {
    seconds: Math.round(warmupMs) / 1000,
    steps: options.warmupSteps,
    timingsMs: warmup.meta.timingsMs,
  });
  return { models, gpuName, warmupMs };
};
