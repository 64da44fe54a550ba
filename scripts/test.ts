// `npm test`: formatter + linter (Biome), type check (tsc), then every test (Vitest). Stops at the
// first failing step; Vitest's summary reporter prints the closing "N passed, N failed" line.
import { spawnSync } from "node:child_process";

const steps: Array<[string, string[]]> = [
  ["biome", ["check", "."]],
  ["tsc", ["-p", "tsconfig.json"]],
  ["tsc", ["-p", "gateway/tsconfig.json"]],
  ["vitest", ["run", ...process.argv.slice(2)]],
];

for (const [command, args] of steps) {
  process.stdout.write(`\n> ${command} ${args.join(" ")}\n`);
  const { status, error } = spawnSync(command, args, { stdio: "inherit" });
  if (error) {
    process.stderr.write(`npm test: could not run ${command}: ${error.message} (did you run npm ci?)\n`);
    process.exit(1);
  }
  if (status !== 0) {
    process.stderr.write(`npm test: ${command} ${args.join(" ")} failed (exit ${status})\n`);
    process.exit(status ?? 1);
  }
}
