// `zone models verify DIR|fixtures`: streamed SHA-256 of every model file and its ONNX inputs and
// outputs against the bundle's manifest. Exit 1 when anything differs.
import { openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import { verifyBundle } from "../runtime/bundle/verify-bundle.ts";
import { type CliIo, CliUsageError } from "./io.ts";
import { parseCommandLine } from "./parse.ts";

export const MODELS_USAGE = `Usage: zone models verify DIR|fixtures [--json]

Checks a model bundle: every file's SHA-256 (streamed) and every model's inputs and outputs
(names, dtypes, shapes) against manifest.json. "fixtures" checks the generated test bundle.
`;

const OPTIONS = {
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export async function runModels(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine("models", args, OPTIONS, true);
  if (values.help) {
    io.stdout(MODELS_USAGE);
    return 0;
  }
  const [sub, target, ...rest] = positionals;
  if (sub !== "verify" || target === undefined || rest.length > 0) {
    throw new CliUsageError("models: usage is zone models verify DIR|fixtures");
  }
  const { dir, fixtures } = await resolveBundleDir(target);
  const bundle = await openBundle(dir, fixtures);
  if (!values.json) io.stdout(`bundle ${bundle.manifest.id} at ${dir}\n`);
  const checks = await verifyBundle(bundle, (check) => {
    if (values.json) return;
    const status = check.ok ? "ok  " : "FAIL";
    io.stdout(`${status} ${check.role.padEnd(17)} ${check.file} (${check.ms.toFixed(0)} ms)\n`);
    for (const problem of check.problems) io.stdout(`       ${problem}\n`);
  });
  const failed = checks.filter((c) => !c.ok).length;
  if (values.json) io.stdout(`${JSON.stringify({ bundle: bundle.manifest.id, dir, checks }, null, 2)}\n`);
  else
    io.stdout(
      failed === 0
        ? `all ${checks.length} models match the manifest\n`
        : `${failed} of ${checks.length} models do not match\n`,
    );
  return failed === 0 ? 0 : 1;
}
