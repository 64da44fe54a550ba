// `npm run bench:gpu-service`: the GPU service under load on localhost with the fixture models.
// Starts `zone serve` in a child process (one edit at a time, the default), then drives
// POST /v1/edit with 1, 2 and 4 concurrent clients (autocannon) for BENCH_SECONDS each and prints
// the latency distribution, edits per second and the mean time edits waited in the queue (from
// the service's own /metrics). With one GPU slot, edits/s stays flat and latency grows with the
// number of clients: the difference is queueing. Bounded: localhost only, BENCH_SECONDS (20) per
// level. BENCH_STEPS (10) and BENCH_CLIENTS (1,2,4) change the edit and the levels.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import autocannon from "autocannon";
import { syntheticScene } from "../src/demo/synthetic-scene.ts";
import { decodeImage, encodePng } from "../src/image/io.ts";
import { resizeRgb } from "../src/image/resize.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const STEPS = Number(process.env.BENCH_STEPS ?? 10);
const LEVELS = (process.env.BENCH_CLIENTS ?? "1,2,4").split(",").map(Number);
const SECRET = randomBytes(24).toString("hex");
const ZONE = new URL("../bin/zone.js", import.meta.url).pathname;

async function photoPng(): Promise<Buffer> {
  try {
    const bytes = await readFile(new URL("../../../shared/images/astronaut.png", import.meta.url));
    return encodePng(await resizeRgb(await decodeImage(bytes), 512, 512));
  } catch {
    console.log("(../shared/images/astronaut.png not found: using the embedded landscape)");
    return encodePng(syntheticScene(512, 512).image);
  }
}

/** Starts the service; resolves with its URL once it reports ready. */
function startServer(): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [ZONE, "serve", "--port", "0", "--models", "fixtures"], {
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      ZONE_PROVIDERS: "cpu",
      ZONE_CONCURRENCY: "1",
      ZONE_MAX_QUEUE: "16",
      GPU_SHARED_SECRET: SECRET,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  let stopping = false;
  return new Promise((resolve, reject) => {
    let url = "";
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
        if (entry.level === "error") console.error(`[zone serve] ${line}`);
        if (entry.msg === "listening") url = entry.url;
        if (entry.msg === "cold load failed") reject(new Error(entry.error));
        if (entry.msg === "ready") {
          resolve({
            url,
            stop: () => {
              stopping = true;
              child.kill("SIGTERM");
              return exited;
            },
          });
        }
      }
    });
    exited.then((code) => {
      reject(new Error(`zone serve exited (${code}) before it was ready`));
      if (!stopping && url !== "") console.error(`[zone serve] exited unexpectedly (${code})`);
    });
  });
}

async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${SECRET}` } })
  ).text();
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line === "") continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

interface LevelResult {
  clients: number;
  edits: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  queueMs: number;
  /** Everything but the wait: reading the request, the edit, the PNGs. */
  serviceMs: number;
  errors: number;
}

async function level(url: string, clients: number, body: Buffer, contentType: string): Promise<LevelResult> {
  const before = await scrape(url);
  const latencies: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/v1/edit`,
        method: "POST",
        body,
        headers: { "content-type": contentType, authorization: `Bearer ${SECRET}` },
        connections: clients,
        duration: SECONDS,
        timeout: 120,
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status === 200) latencies.push(ms);
      else errors++;
    });
  });
  const after = await scrape(url);
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  const mean = (stage: string) =>
    (1000 * delta(`zone_edit_stage_duration_seconds_sum{stage="${stage}"}`)) /
    Math.max(1, delta(`zone_edit_stage_duration_seconds_count{stage="${stage}"}`));
  const okMs =
    (1000 * delta('zone_edit_duration_seconds_sum{outcome="ok"}')) /
    Math.max(1, delta('zone_edit_duration_seconds_count{outcome="ok"}'));
  latencies.sort((a, b) => a - b);
  return {
    clients,
    edits: latencies.length,
    perSecond: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    queueMs: mean("queue"),
    serviceMs: okMs - mean("queue"),
    errors: errors + result.errors,
  };
}

const server = await startServer();
try {
  const form = new FormData();
  form.append("image", new Blob([new Uint8Array(await photoPng())], { type: "image/png" }), "photo.png");
  form.append("params", JSON.stringify({ instruction: "give her sunglasses", steps: STEPS }));
  const request = new Request(`${server.url}/v1/edit`, { method: "POST", body: form });
  const body = Buffer.from(await request.arrayBuffer());
  const contentType = request.headers.get("content-type") ?? "";

  console.log(
    `POST /v1/edit on fixture models, 512x512, ${STEPS} steps, 1 edit at a time (ZONE_CONCURRENCY=1), ` +
      `${SECONDS} s per level, Node ${process.version}, ${server.url}`,
  );
  // Untimed: let the JIT and the allocators settle before the first level.
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${server.url}/v1/edit`, {
      method: "POST",
      body,
      headers: { "content-type": contentType, authorization: `Bearer ${SECRET}` },
    });
    if (res.status !== 200) throw new Error(`warm-up edit answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  const rows: LevelResult[] = [];
  for (const clients of LEVELS) rows.push(await level(server.url, clients, body, contentType));
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : "-");
  console.log(
    "\nclients  edits  edits/s  p50 ms  p95 ms  p99 ms  mean queue wait ms  mean service ms  errors",
  );
  for (const r of rows) {
    console.log(
      `${String(r.clients).padStart(7)}  ${String(r.edits).padStart(5)}  ${r.perSecond.toFixed(2).padStart(7)}  ` +
        `${f(r.p50).padStart(6)}  ${f(r.p95).padStart(6)}  ${f(r.p99).padStart(6)}  ` +
        `${f(r.queueMs).padStart(18)}  ${f(r.serviceMs).padStart(15)}  ${String(r.errors).padStart(6)}`,
    );
  }
} finally {
  const code = await server.stop();
  if (code !== 0) console.error(`zone serve exited with ${code}`);
}
