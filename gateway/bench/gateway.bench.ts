// `npm run bench:gateway`: latency (p50/p99) and requests per second of a cache hit through the
// gateway on Miniflare as the local stack runs it (scripts/gateway-dev.ts), next to a bare Worker that returns a constant, in the same run
// and with the same request (a multipart upload of a photo). Goal: a hit costs at most 1.5x the
// bare Worker. Localhost only, bounded in time.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { createKey, killGroup, ROOT, startChild, waitFor } from "../../scripts/dev-stack.ts";
import { startStack } from "../../test/e2e/stack.ts";

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);

async function photo(): Promise<Buffer> {
  if (process.env.BENCH_IMAGE) return readFile(process.env.BENCH_IMAGE);
  try {
    return await readFile(join(ROOT, "..", "shared", "images", "chelsea.png"));
  } catch {
    execFileSync(process.execPath, [join(ROOT, "gpu-function/bin/zone.js"), "demo", "--out", "out/demo"], {
      cwd: ROOT,
      stdio: "ignore",
    });
    return readFile(join(ROOT, "out", "demo", "original.png"));
  }
}

function multipart(image: Buffer): { body: Buffer; contentType: string } {
  const boundary = "zonebench7d3f";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="instruction"\r\n\r\nmake the cat black\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="steps"\r\n\r\n4\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  return {
    body: Buffer.concat([head, image, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function load(url: string, headers: Record<string, string>, body: Buffer) {
  const result = await autocannon({
    url,
    method: "POST",
    headers,
    body,
    connections: CONNECTIONS,
    duration: DURATION_S,
  });
  const non2xx = result.non2xx + result.errors;
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, non2xx };
}

const stack = await startStack({ quiet: true, rateLimitPerMinute: 1_000_000 });
const bareState = await mkdtemp(join(tmpdir(), "zone-bench-bare-"));
const bare = startChild(
  "bare",
  process.execPath,
  [
    join(ROOT, "scripts/gateway-dev.ts"),
    "--config",
    join(ROOT, "gateway/bench/wrangler.bare.toml"),
    "--persist-to",
    bareState,
    "--port",
    "8799",
  ],
  {},
  false,
);
try {
  await waitFor("http://127.0.0.1:8799/", bare, 60_000);
  const { key } = await createKey(stack.adminToken, "bench", stack.gatewayUrl);
  const { body, contentType } = multipart(await photo());
  const headers = { authorization: `Bearer ${key}`, "content-type": contentType };
  const first = await fetch(`${stack.gatewayUrl}/v1/edits`, { method: "POST", headers, body });
  if (first.status !== 201) throw new Error(`the priming edit failed: ${first.status} ${await first.text()}`);
  console.log(
    `gateway cache hit vs bare Worker, both on Miniflare, ${CONNECTIONS} connections, ${DURATION_S} s each, ${body.length} byte uploads`,
  );
  const baseline = await load("http://127.0.0.1:8799/", { "content-type": contentType }, body);
  const hit = await load(`${stack.gatewayUrl}/v1/edits`, headers, body);
  const row = (name: string, r: typeof hit) =>
    console.log(
      `  ${name.padEnd(12)} p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  ${r.rps.toFixed(0).padStart(5)} req/s  non-2xx ${r.non2xx}`,
    );
  row("bare Worker", baseline);
  row("cache hit", hit);
  console.log(
    `  ratio (cache hit / bare): p50 ${(hit.p50 / Math.max(baseline.p50, 1)).toFixed(2)}x, p99 ${(hit.p99 / Math.max(baseline.p99, 1)).toFixed(2)}x, throughput ${(baseline.rps / hit.rps).toFixed(2)}x  (goal <= 1.5x)`,
  );
} finally {
  const bareExited = new Promise((resolve) => bare.once("exit", resolve));
  bare.kill("SIGTERM");
  await bareExited;
  killGroup(bare);
  await rm(bareState, { recursive: true, force: true });
  await stack.stop();
}
