// `zone models verify`: every model file's streamed SHA-256 against the manifest, and its declared
// inputs and outputs (read from the ONNX graph) against the manifest's tensors; and the TensorRT
// engines that this GPU would load, by SHA-256.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ModelEntry, ModelRole } from "@zone/shared";
import { statisticsPairProblem } from "../../segment/mask-statistics.ts";
import { engineKeyFor } from "../gpu-type.ts";
import type { ModelBundle } from "./bundle.ts";
import { sha256File } from "./file-hash.ts";
import { onnxSignature, signatureDifferences } from "./onnx-signature.ts";

export interface RoleCheck {
  role: ModelRole;
  file: string;
  ok: boolean;
  problems: string[];
  ms: number;
}

/** The manifest's roles with their entries (undefined for an omitted optional role). */
function modelEntries(bundle: ModelBundle) {
  return Object.entries(bundle.manifest.models) as Array<[ModelRole, ModelEntry | undefined]>;
}

/** Adds one finished check (timed from `start`) to the list and reports it. */
function record(
  checks: RoleCheck[],
  onCheck: (check: RoleCheck) => void,
  { role, file, problems, start }: { role: ModelRole; file: string; problems: string[]; start: number },
): void {
  const check: RoleCheck = { role, file, ok: problems.length === 0, problems, ms: performance.now() - start };
  checks.push(check);
  onCheck(check);
}

export async function verifyBundle(
  bundle: ModelBundle,
  onCheck: (check: RoleCheck) => void = () => {},
): Promise<RoleCheck[]> {
  const checks: RoleCheck[] = [];
  for (const [role, entry] of modelEntries(bundle)) {
    if (!entry) continue;
    const start = performance.now();
    const path = join(bundle.dir, entry.file);
    const problems: string[] = [];
    const digest = await sha256File(path);
    if (digest !== entry.sha256) problems.push(`sha256 ${digest}, manifest says ${entry.sha256}`);
    else problems.push(...signatureDifferences(entry, onnxSignature(await readFile(path), role)));
    const pair = role === "samDecoder" ? statisticsPairProblem(entry) : null;
    if (pair !== null) problems.push(pair);
    record(checks, onCheck, { role, file: entry.file, problems, start });
  }
  return checks;
}

/**
 * The TensorRT engines this GPU would load (see runtime/gpu-type.ts): each file's streamed
 * SHA-256 against the manifest. Engines for other GPU types are not read.
 */
export async function verifyEngines(
  bundle: ModelBundle,
  gpuName: string,
  onCheck: (check: RoleCheck) => void = () => {},
): Promise<RoleCheck[]> {
  const checks: RoleCheck[] = [];
  for (const [role, entry] of modelEntries(bundle)) {
    const key = entry?.engines ? engineKeyFor(gpuName, Object.keys(entry.engines)) : null;
    if (!entry?.engines || key === null) continue;
    const start = performance.now();
    const engine = entry.engines[key];
    const problems: string[] = [];
    try {
      const digest = await sha256File(join(bundle.dir, engine.file));
      if (digest !== engine.sha256) problems.push(`sha256 ${digest}, manifest says ${engine.sha256}`);
    } catch (error) {
      problems.push(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    record(checks, onCheck, { role, file: engine.file, problems, start });
  }
  return checks;
}
