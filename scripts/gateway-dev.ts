// The gateway Worker for the local stack (`npm start`, the end-to-end tests): bundled by wrangler
// (`wrangler deploy --dry-run`, the same esbuild build a deploy uploads), then served by
// Miniflare directly with the bindings wrangler reads from wrangler.toml
// (`unstable_getMiniflareWorkerOptions`) and the state wrangler's local commands use
// (<persist-to>/v3: D1, R2, Durable Objects), so `wrangler d1 migrations apply --local` prepares it.
//
// Why not `wrangler dev`: its local proxy in front of the Worker mishandles three transport cases
// that workerd itself answers correctly (measured with raw sockets, wrangler 4.86): a body shorter
// than its Content-Length got a text/plain 503 "Your worker restarted mid-request" instead of the
// Worker's answer, a 30 MB Content-Length over a tiny body the same instead of the Worker's 413,
// and after an unauthenticated 21 MB chunked upload was refused the next request of another
// client hung for more than 30 s. Served by Miniflare the Worker answers 401/413 and the next
// request at once. The price: no reload on file changes (restart `npm start`).
//
//   node scripts/gateway-dev.ts --config wrangler.toml --persist-to .wrangler/state --port 8787 \
//     [--var NAME:VALUE ...]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const ROOT = resolve(import.meta.dirname, "..");

const { values } = parseArgs({
  options: {
    config: { type: "string", default: join(ROOT, "wrangler.toml") },
    "persist-to": { type: "string", default: join(ROOT, ".wrangler", "state") },
    port: { type: "string", default: "8787" },
    ip: { type: "string", default: "127.0.0.1" },
    var: { type: "string", multiple: true, default: [] },
  },
});

const vars: Record<string, string> = {};
for (const entry of values.var) {
  const at = entry.indexOf(":");
  if (at < 1) throw new Error(`--var takes NAME:VALUE, not ${JSON.stringify(entry)}`);
  vars[entry.slice(0, at)] = entry.slice(at + 1);
}

const config = resolve(values.config);
const outdir = mkdtempSync(join(tmpdir(), "zone-gateway-build-"));
execFileSync(
  join(ROOT, "node_modules", ".bin", "wrangler"),
  ["deploy", "--dry-run", "--outdir", outdir, "--config", config],
  {
    cwd: dirname(config),
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  },
);

// The bundle's entry: wrangler names it after the config's `main` (index.ts -> index.js).
const outputs = readdirSync(outdir).filter((name) => name.endsWith(".js"));
if (outputs.length !== 1)
  throw new Error(`expected one bundled module in ${outdir}, found: ${outputs.join(", ")}`);
const entry = join(outdir, outputs[0]);

// Bindings, Durable Objects, D1/R2, the rate limiter, compatibility settings and the secrets of
// the .dev.vars beside the config, as wrangler dev would give them.
const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
const mf = new Miniflare({
  ...workerOptions,
  name: "zone-edit-gateway",
  modules: [{ type: "ESModule", path: entry }],
  modulesRoot: outdir,
  bindings: { ...(workerOptions.bindings ?? {}), ...vars },
  defaultPersistRoot: join(resolve(values["persist-to"]), "v3"),
  host: values.ip,
  port: Number(values.port),
} as ConstructorParameters<typeof Miniflare>[0]);

const url = await mf.ready;
process.stdout.write(`gateway ready on ${url.origin} (Miniflare)\n`);

let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await mf.dispose().catch(() => {});
  rmSync(outdir, { recursive: true, force: true });
  process.exit(0);
}
process.on("SIGINT", close);
process.on("SIGTERM", close);
// The parent (npm start's supervisor) gone: do not keep the port.
process.on("disconnect", close);
