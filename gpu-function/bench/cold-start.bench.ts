// `npm run bench:cold-start` (opt-in, long, Linux): what the real sizes cost, without a single real
// weight. Exports the full-size architectures with random weights once per precision
// (infra/export/export.py --full-size-random: SD 1.5 UNets with 8 input channels, CLIP ViT-L/14
// text, SD VAE, SAM ViT-H; about 10.5 GB in float32 and 5.3 GB in float16), into
// BENCH_BUNDLES (default ~/.cache/zone-edit/full-size), reused on later runs. Then it starts
// `zone serve --models DIR` on the CPU and reads its own log, phase by phase: bundle verification
// (hashing), session creation per model, the tokenizer, the warm-up edit (one denoising step at
// 512 x 512, ZONE_WARMUP_STEPS=1), the time to ready, and the service's peak resident memory
// (VmHWM). Each bundle is started twice: on a cold volume (no verification record: every file is
// hashed) and on a warm one (the record the first start wrote). Prints tables; asserts nothing.
//
// Needs the export environment (`npm run setup:export`) and about 20 GB of disk and 16 GB of
// memory. BENCH_PRECISIONS (fp32,fp16) picks the bundles; BENCH_TOKENIZER (../shared/clip-tokenizer
// when present) is the CLIP tokenizer copied into them; BENCH_NICE (19) lowers the export's and the
// service's priority on a shared machine; BENCH_STEP_ONLY=1 measures only one denoising step.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { EXPORT_VENV_PYTHON, REPO } from "../../scripts/export-env.ts";
import { defaultRecordPath } from "../src/runtime/bundle/verified-record.ts";
import { ModelSession } from "../src/runtime/onnx-runtime.ts";

const BUNDLES = process.env.BENCH_BUNDLES ?? join(homedir(), ".cache", "zone-edit", "full-size");
const PRECISIONS = (process.env.BENCH_PRECISIONS ?? "fp32,fp16").split(",");
const NICE = process.env.BENCH_NICE ?? "19";
/** BENCH_STEP_ONLY=1: skip the cold starts, measure only one denoising step per bundle. */
const STEP_ONLY = process.env.BENCH_STEP_ONLY === "1";
const SHARED_TOKENIZER = join(REPO, "..", "shared", "clip-tokenizer");
const TOKENIZER = process.env.BENCH_TOKENIZER ?? (existsSync(SHARED_TOKENIZER) ? SHARED_TOKENIZER : "");
const ZONE = join(REPO, "gpu-function", "bin", "zone.js");

interface Measured {
  seconds: number;
  peakRssBytes: number | null;
  code: number | null;
}

/** Peak resident memory of a running process (Linux: VmHWM), or null where /proc is missing. */
async function peakRss(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** Runs a command at low priority, printing its output, with its wall time and peak memory. */
function runMeasured(command: string, args: string[], cwd: string): Promise<Measured> {
  const started = performance.now();
  const child = spawn("nice", ["-n", NICE, command, ...args], {
    cwd,
    stdio: ["ignore", "inherit", "inherit"],
  });
  let peak: number | null = null;
  // `nice` execs the command: the child's pid is the command's.
  const poll = setInterval(async () => {
    const rss = await peakRss(child.pid ?? -1);
    if (rss !== null) peak = Math.max(peak ?? 0, rss);
  }, 250);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearInterval(poll);
      resolve({ seconds: (performance.now() - started) / 1000, peakRssBytes: peak, code });
    }),
  );
}

interface ExportRecord extends Measured {
  precision: string;
}

async function ensureBundle(precision: string): Promise<{ dir: string; export: ExportRecord }> {
  const dir = join(BUNDLES, precision);
  // Beside the bundle, not in it: SHA256SUMS lists every file in it (verify.py checks that).
  const recordPath = join(BUNDLES, `${precision}.export.json`);
  if (existsSync(join(dir, "manifest.json")) && existsSync(recordPath)) {
    console.log(`reusing the ${precision} bundle in ${dir}`);
    return { dir, export: JSON.parse(await readFile(recordPath, "utf8")) };
  }
  console.log(`exporting the full-size ${precision} bundle into ${dir} (minutes; once)`);
  const args = [join(REPO, "infra", "export", "export.py"), "--full-size-random", "--out", dir];
  if (precision === "fp16") args.push("--fp16");
  else if (precision !== "fp32") throw new Error(`BENCH_PRECISIONS: ${precision} is not fp32 or fp16`);
  if (TOKENIZER !== "") args.push("--tokenizer", TOKENIZER);
  const measured = await runMeasured(EXPORT_VENV_PYTHON, args, join(REPO, "infra", "export"));
  if (measured.code !== 0) throw new Error(`export.py exited with ${measured.code}`);
  const record: ExportRecord = { precision, ...measured };
  await writeFile(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  return { dir, export: record };
}

interface BundleSize {
  /** Bytes per model role: its graph and its external weight data. */
  roles: Record<string, number>;
  totalBytes: number;
  diskBytes: number;
}

async function bundleSize(dir: string): Promise<BundleSize> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as {
    models: Record<string, { file: string } | undefined>;
  };
  const names = await readdir(dir);
  const roles: Record<string, number> = {};
  for (const [role, entry] of Object.entries(manifest.models)) {
    if (!entry) continue;
    let bytes = 0;
    for (const name of names.filter((n) => n === entry.file || n.startsWith(`${entry.file}.`)))
      bytes += (await stat(join(dir, name))).size;
    roles[role] = bytes;
  }
  let totalBytes = 0;
  let diskBytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const info = await stat(join(entry.parentPath, entry.name));
    totalBytes += info.size;
    diskBytes += info.blocks * 512;
  }
  return { roles, totalBytes, diskBytes };
}

interface ColdStart {
  /** How it ended: "ready", or how the service died first (e.g. SIGKILL: out of memory). */
  outcome: string;
  verifySeconds: number | null;
  verifyFrom: string | null;
  loadSeconds: Record<string, number>;
  tokenizerSeconds: number | null;
  warmupSeconds: number | null;
  denoiseStepMs: number | null;
  readySeconds: number;
  peakRssBytes: number | null;
}

/** Starts `zone serve --models DIR` on the CPU and reads its phases from its JSON log. */
function coldStart(dir: string, secret: string): Promise<ColdStart> {
  const started = performance.now();
  const child = spawn("nice", ["-n", NICE, process.execPath, ZONE, "serve", "--port", "0", "--models", dir], {
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      ZONE_PROVIDERS: "cpu",
      ZONE_WARMUP_STEPS: "1",
      GPU_SHARED_SECRET: secret,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const result: ColdStart = {
    outcome: "ready",
    verifySeconds: null,
    verifyFrom: null,
    loadSeconds: {},
    tokenizerSeconds: null,
    warmupSeconds: null,
    denoiseStepMs: null,
    readySeconds: 0,
    peakRssBytes: null,
  };
  const poll = setInterval(async () => {
    const rss = await peakRss(child.pid ?? -1);
    if (rss !== null) result.peakRssBytes = Math.max(result.peakRssBytes ?? 0, rss);
  }, 250);
  return new Promise((resolve) => {
    let buffered = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.startsWith("{")) {
          if (line.trim() !== "") console.error(`[zone serve] ${line}`);
          continue;
        }
        const entry = JSON.parse(line);
        if (entry.level === "error" || entry.level === "warn") console.error(`[zone serve] ${line}`);
        // Each phase as it happens, with the memory at that moment: a start that dies on the way
        // (out of memory) still tells how far it got.
        const { time: _time, level: _level, msg, ...fields } = entry;
        console.log(
          `  ${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s  rss ${gb(result.peakRssBytes)}  ${msg} ${JSON.stringify(fields).slice(0, 160)}`,
        );
        if (entry.msg === "bundle verified") {
          result.verifySeconds = entry.seconds;
          result.verifyFrom = `${entry.hashed} hashed, ${entry.fromRecord} from the record`;
        }
        if (entry.msg === "loaded model") result.loadSeconds[entry.role] = entry.seconds;
        if (entry.msg === "loaded tokenizer") result.tokenizerSeconds = entry.seconds;
        if (entry.msg === "warm-up edit done") {
          result.warmupSeconds = entry.seconds;
          result.denoiseStepMs = entry.timingsMs?.denoise ?? null;
        }
        if (entry.msg === "cold load failed") result.outcome = `failed: ${entry.error}`;
        if (entry.msg === "ready") {
          result.readySeconds = (performance.now() - started) / 1000;
          child.kill("SIGTERM");
        }
      }
    });
    child.once("exit", (code, signal) => {
      clearInterval(poll);
      if (result.readySeconds === 0) {
        result.readySeconds = (performance.now() - started) / 1000;
        if (result.outcome === "ready")
          result.outcome = `died (${signal ?? `exit ${code}`}${signal === "SIGKILL" ? ": out of memory?" : ""})`;
      }
      resolve(result);
    });
  });
}

/** One fused denoising step at 512 x 512 on the CPU, alone: both UNets' sessions, then each one's
 * batch-of-3 call (sample (3, 8, 64, 64), timestep (3), text (3, 77, 768)) twice; the second
 * calls are the step (the first pays for lazy initialisation). For when the whole service does
 * not fit in memory. */
async function denoisingStep(dir: string): Promise<{ firstMs: number; stepMs: number }> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
  const bindings: Record<string, number> = { batch: 3, latent_height: 64, latent_width: 64 };
  const sessions: ModelSession[] = [];
  for (const role of ["ip2pUnet", "magicBrushUnet"]) {
    const entry = manifest.models[role];
    sessions.push(await ModelSession.create(role, join(dir, entry.file), entry, { providers: ["cpu"] }));
  }
  const inputsOf = (session: ModelSession) =>
    Object.fromEntries(
      session.spec.inputs.map((spec) => {
        const dims = spec.shape.map((d) => (typeof d === "number" ? d : bindings[d]));
        const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) =>
          spec.name === "timestep" ? 500 : Math.sin(i) * 0.5,
        );
        return [spec.name, { dtype: "float32" as const, data, dims }];
      }),
    );
  const call = async () => {
    const start = performance.now();
    for (const session of sessions) await session.run(inputsOf(session));
    return performance.now() - start;
  };
  const firstMs = await call();
  return { firstMs, stepMs: await call() };
}

const gb = (bytes: number | null) => (bytes === null ? "n/a" : `${(bytes / 2 ** 30).toFixed(2)} GiB`);
const s = (seconds: number | null) => (seconds === null ? "n/a" : `${seconds.toFixed(1)} s`);

async function main(): Promise<void> {
  if (!existsSync(EXPORT_VENV_PYTHON)) {
    console.error(`no export environment at ${EXPORT_VENV_PYTHON}: run \`npm run setup:export\` first`);
    process.exit(1);
  }
  console.log(`bundles in ${BUNDLES}; tokenizer ${TOKENIZER || "(the export's tiny one)"}`);
  for (const precision of PRECISIONS) {
    const { dir, export: exported } = await ensureBundle(precision);
    const size = await bundleSize(dir);
    console.log(`\n## ${precision}: ${dir}`);
    console.log(
      `export: ${s(exported.seconds)}, peak memory ${gb(exported.peakRssBytes)}; bundle ${gb(size.totalBytes)} (${gb(size.diskBytes)} on disk)`,
    );
    for (const [role, bytes] of Object.entries(size.roles)) console.log(`  ${role.padEnd(17)} ${gb(bytes)}`);
    if (STEP_ONLY) {
      const step = await denoisingStep(dir);
      console.log(
        `one denoising step on the CPU: ${(step.stepMs / 1000).toFixed(1)} s (first call ${(step.firstMs / 1000).toFixed(1)} s)`,
      );
      continue;
    }
    // The record is signed with the service's secret: the same one for both starts, as on Modal.
    const secret = randomBytes(24).toString("hex");
    await rm(defaultRecordPath(dir), { force: true });
    const starts: Array<[string, ColdStart]> = [];
    for (const volume of ["cold volume", "warm volume"]) {
      console.log(`starting zone serve (${volume}) ...`);
      starts.push([volume, await coldStart(dir, secret)]);
    }
    const roles = [...new Set(starts.flatMap(([, c]) => Object.keys(c.loadSeconds)))];
    const rows: Array<[string, ...string[]]> = [
      ["phase", ...starts.map(([v]) => v)],
      ["verify (hashing)", ...starts.map(([, c]) => `${s(c.verifySeconds)} (${c.verifyFrom ?? "off"})`)],
      ...roles.map((role): [string, ...string[]] => [
        `session ${role}`,
        ...starts.map(([, c]) => s(c.loadSeconds[role] ?? null)),
      ]),
      ["tokenizer", ...starts.map(([, c]) => s(c.tokenizerSeconds))],
      ["warm-up edit (1 step, 512 x 512)", ...starts.map(([, c]) => s(c.warmupSeconds))],
      ["  of which one denoising step", ...starts.map(([, c]) => s((c.denoiseStepMs ?? Number.NaN) / 1000))],
      ["outcome", ...starts.map(([, c]) => c.outcome)],
      ["to ready (or to the end)", ...starts.map(([, c]) => s(c.readySeconds))],
      ["peak resident memory", ...starts.map(([, c]) => gb(c.peakRssBytes))],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const row of rows) console.log(`| ${row.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`);
    if (starts.some(([, c]) => c.denoiseStepMs === null)) {
      console.log(
        "the warm-up edit did not run: one denoising step measured on its own (both UNets, 512 x 512) ...",
      );
      const step = await denoisingStep(dir);
      console.log(
        `one denoising step on the CPU: ${(step.stepMs / 1000).toFixed(1)} s (first call ${(step.firstMs / 1000).toFixed(1)} s)`,
      );
    }
    const [cold, warm] = [starts[0][1].verifySeconds, starts[1][1].verifySeconds];
    if (cold !== null && warm !== null && warm > 0)
      console.log(`verification, warm volume vs cold: ${(warm / cold).toFixed(3)}x`);
  }
}

await main();
