// `npm run probe:mutants`: the suite's kill rate on realistic single-line bugs in defaults,
// boundaries and wiring (scripts/mutants.ts lists them). For each mutant it rewrites one line of
// one file, runs every test that imports that file (`vitest related`; for the gateway also the
// whole workers project; the end-to-end stack excepted for time) or the mutant's own `tests` (the
// playground's, in the browser), records whether any failed, and puts the file back.
// Run it on a clean checkout: it restores each file (also on Ctrl-C or SIGTERM), but a crash of the machine
// mid-run would leave one mutant in place (`git diff` shows it).
//
//   npm run probe:mutants                 # all mutants
//   npm run probe:mutants -- beta-remove  # the ones whose id contains "beta-remove"
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { MUTANTS, type Mutant } from "./mutants.ts";

const ROOT = resolve(import.meta.dirname, "..");
const filter = process.argv.slice(2).find((a) => !a.startsWith("--"));
const chosen = MUTANTS.filter((m) => filter === undefined || m.id.includes(filter));

let restore: (() => void) | null = null;
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const)
  process.on(signal, () => {
    restore?.();
    process.exit(code);
  });

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

function runMutant(mutant: Mutant): "killed" | "survived" | "stale" {
  const path = join(ROOT, mutant.file);
  const original = readFileSync(path, "utf8");
  if (occurrences(original, mutant.from) !== 1) return "stale";
  restore = () => writeFileSync(path, original);
  writeFileSync(path, original.replace(mutant.from, mutant.to));
  try {
    const vitest = (args: string[]) =>
      spawnSync("npx", ["vitest", ...args, "--bail", "1", "--reporter", "dot", "--exclude", "test/e2e/**"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, CI: "true" },
      }).status;
    // The Worker tests reach the gateway through SELF.fetch, not imports, so `related` cannot see
    // them: a gateway mutant runs the whole workers project as well.
    const status =
      mutant.tests !== undefined
        ? vitest(["run", ...mutant.tests])
        : vitest(["related", "--run", mutant.file]) ||
          (mutant.file.startsWith("gateway/src/") ? vitest(["run", "--project", "workers"]) : 0);
    return status === 0 ? "survived" : "killed";
  } finally {
    restore();
    restore = null;
  }
}

if (process.argv.includes("--check")) {
  const stale = MUTANTS.filter((m) => occurrences(readFileSync(join(ROOT, m.file), "utf8"), m.from) !== 1);
  for (const m of stale) console.log(`stale: ${m.id} (${m.file})`);
  console.log(`${MUTANTS.length - stale.length} of ${MUTANTS.length} mutants apply`);
  process.exit(stale.length > 0 ? 2 : 0);
}

const results: Array<[Mutant, string]> = [];
for (const mutant of chosen) {
  const started = performance.now();
  const outcome = runMutant(mutant);
  results.push([mutant, outcome]);
  console.log(`${outcome.padEnd(8)} ${mutant.id}  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
const counted = results.filter(([, o]) => o !== "stale");
const killed = counted.filter(([, o]) => o === "killed").length;
console.log(
  `\n${killed} of ${counted.length} mutants killed (${((100 * killed) / Math.max(1, counted.length)).toFixed(0)}%)`,
);
for (const [m, o] of results) if (o !== "killed") console.log(`  ${o}: ${m.id} (${m.file}): ${m.why}`);
process.exit(results.some(([, o]) => o === "stale") ? 2 : 0);
