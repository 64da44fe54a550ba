// Which GPU this process runs on, and which of a bundle's prebuilt TensorRT engines fits it.
// Engines are keyed by GPU type in the manifest ("H100", "A100-80GB", "L40S"); the GPU's name
// comes from ZONE_GPU_TYPE or nvidia-smi ("NVIDIA H100 80GB HBM3"). No GPU, no name: null.
import { execFile } from "node:child_process";

const tokens = (name: string) =>
  name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);

/**
 * The engine key that names this GPU: every token of the key appears, in order, among the GPU
 * name's tokens ("A100-80GB" fits "NVIDIA A100-SXM4-80GB"; "L40" does not fit "NVIDIA L40S").
 * The most specific fitting key wins; ties go to the first in `keys`.
 */
export function engineKeyFor(gpuName: string, keys: ReadonlyArray<string>): string | null {
  const name = tokens(gpuName);
  let best: { key: string; specificity: number } | null = null;
  for (const key of keys) {
    const want = tokens(key);
    if (want.length === 0) continue;
    let at = 0;
    for (const token of name) if (at < want.length && token === want[at]) at++;
    if (at === want.length && (best === null || want.length > best.specificity)) {
      best = { key, specificity: want.length };
    }
  }
  return best?.key ?? null;
}

export type CommandRunner = (command: string, args: string[]) => Promise<string>;

const runCommand: CommandRunner = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 5000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });

/** The GPU's marketing name, from ZONE_GPU_TYPE or nvidia-smi; null when there is none. */
export async function detectGpuName(
  deviceId = 0,
  env: NodeJS.ProcessEnv = process.env,
  run: CommandRunner = runCommand,
): Promise<string | null> {
  const forced = env.ZONE_GPU_TYPE?.trim();
  if (forced) return forced;
  try {
    const out = await run("nvidia-smi", [
      "--query-gpu=name",
      "--format=csv,noheader",
      "-i",
      String(deviceId),
    ]);
    const name = out.split("\n")[0]?.trim();
    return name ? name : null;
  } catch {
    return null;
  }
}
