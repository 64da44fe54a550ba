// `zone models verify`: every model file's streamed SHA-256 against the manifest, and its declared
// inputs and outputs (read from the ONNX graph) against the manifest's tensors; and the TensorRT
// engines that this GPU would load, by SHA-256.
import { isAbsolute, join, normalize, posix } from "node:path";
import type { ModelEntry, ModelRole } from "@zone/shared";
import { statisticsPairProblem } from "../../segment/mask-statistics.ts";
import { engineKeyFor } from "../gpu-type.ts";
import type { ModelBundle } from "./bundle.ts";
import { readBundleSums, SUMS_FILE } from "./bundle-sums.ts";
import { sha256File } from "./file-hash.ts";
import { readOnnxGraphFile } from "./onnx-graph-file.ts";
import { signatureDifferences } from "./onnx-signature.ts";

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

export interface VerifyOptions {
  /** Where a file's SHA-256 comes from: streamed hashing (the default), or a verification record
   * that hashes only what changed (verified-record.ts). */
  sha256?: (path: string) => Promise<string>;
}

/** Problems of one model's external weight files: each must be inside the bundle and listed in
 * SHA256SUMS with the digest it has. Without this a 3.4 GB UNet's weights would go unchecked. */
async function externalDataProblems(
  bundle: ModelBundle,
  graphFile: string,
  locations: string[],
  sums: Map<string, string> | null,
  sha256: (path: string) => Promise<string>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const location of locations) {
    const name = posix.normalize(posix.join(posix.dirname(graphFile), location));
    if (isAbsolute(location) || name.startsWith("../") || normalize(name) !== name) {
      problems.push(`external data ${location} is outside the bundle`);
      continue;
    }
    const listed = sums?.get(name);
    if (listed === undefined) {
      problems.push(
        sums === null
          ? `external data ${name} cannot be checked: the bundle has no ${SUMS_FILE}`
          : `external data ${name} is not listed in ${SUMS_FILE}`,
      );
      continue;
    }
    let digest: string;
    try {
      digest = await sha256(join(bundle.dir, name));
    } catch (error) {
      problems.push(
        `external data ${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
      continue;
    }
    if (digest !== listed)
      problems.push(`external data ${name}: sha256 ${digest}, ${SUMS_FILE} says ${listed}`);
  }
  return problems;
}

export async function verifyBundle(
  bundle: ModelBundle,
  onCheck: (check: RoleCheck) => void = () => {},
  { sha256 = sha256File }: VerifyOptions = {},
): Promise<RoleCheck[]> {
  const checks: RoleCheck[] = [];
  const sums = await readBundleSums(bundle.dir);
  for (const [role, entry] of modelEntries(bundle)) {
    if (!entry) continue;
    const start = performance.now();
    const path = join(bundle.dir, entry.file);
    const problems: string[] = [];
    const digest = await sha256(path);
    if (digest !== entry.sha256) problems.push(`sha256 ${digest}, manifest says ${entry.sha256}`);
    else {
      const graph = await readOnnxGraphFile(path, role);
      problems.push(...signatureDifferences(entry, graph));
      problems.push(...(await externalDataProblems(bundle, entry.file, graph.externalData, sums, sha256)));
    }
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
  { sha256 = sha256File }: VerifyOptions = {},
): Promise<RoleCheck[]> {
  const checks: RoleCheck[] = [];
  for (const [role, entry] of modelEntries(bundle)) {
    const key = entry?.engines ? engineKeyFor(gpuName, Object.keys(entry.engines)) : null;
    if (!entry?.engines || key === null) continue;
    const start = performance.now();
    const engine = entry.engines[key];
    const problems: string[] = [];
    try {
      const digest = await sha256(join(bundle.dir, engine.file));
      if (digest !== engine.sha256) problems.push(`sha256 ${digest}, manifest says ${engine.sha256}`);
    } catch (error) {
      problems.push(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    record(checks, onCheck, { role, file: engine.file, problems, start });
  }
  return checks;
}
