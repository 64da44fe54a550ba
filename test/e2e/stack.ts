// The real local stack for end-to-end tests and benchmarks: `zone serve` on the fixture models
// and the gateway Worker on Miniflare (scripts/gateway-dev.ts, as `npm start` runs it), on free ports, with throwaway secrets and its own
// on-disk state, torn down by stop(). The GPU function runs under npm start's supervisor, so a
// test can kill it and watch the gateway answer 503 until it is restarted.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killGroup, ROOT, startChild, waitFor } from "../../scripts/dev-stack.ts";
import { Supervisor } from "../../scripts/supervisor.ts";

export interface Stack {
  gatewayUrl: string;
  gpuUrl: string;
  adminToken: string;
  gpuSecret: string;
  bundleId: string;
  /** Kills the GPU function's process (SIGKILL: a crash); its supervisor restarts it. */
  killGpu(): Promise<void>;
  /** Resolves when the (restarted) GPU function answers /readyz. */
  gpuReady(): Promise<void>;
  /** What the supervisor said (restarts). */
  supervisorLog: string[];
  /** Stops the gateway (SIGTERM) and starts it again on the same port and on-disk state. */
  restartGateway(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

const BIN = join(ROOT, "node_modules", ".bin");

export interface StackOptions {
  quiet?: boolean;
  /** Overrides wrangler.toml's per-key limit (60 a minute), e.g. for benchmarks. */
  rateLimitPerMinute?: number;
  /** The first webhook retry's delay (WEBHOOK_RETRY_BASE_SECONDS; 5 unless told). */
  webhookRetryBaseSeconds?: number;
  /** Each denoising step lasts at least this long (the GPU function's ZONE_STEP_PACE_MS), so a
   * test can watch, cancel or kill an edit mid-denoise whatever the machine's speed. */
  stepPaceMs?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const state = await mkdtemp(join(tmpdir(), "zone-stack-"));
  const [gatewayPort, gpuPort] = [await freePort(), await freePort()];
  const secrets = {
    KEY_PEPPER: randomBytes(16).toString("hex"),
    ADMIN_TOKEN: randomBytes(16).toString("hex"),
    GPU_SHARED_SECRET: randomBytes(16).toString("hex"),
  };
  const children: ChildProcess[] = [];
  const supervisorLog: string[] = [];
  let gpu: Supervisor | null = null;
  const stop = async () => {
    await gpu?.stop();
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((child) => (child.exitCode !== null ? null : new Promise((r) => child.once("exit", r)))),
    );
    for (const child of children) killGroup(child);
    await rm(state, { recursive: true, force: true });
  };
  try {
    const gpuUrl = `http://127.0.0.1:${gpuPort}`;
    const supervisor = new Supervisor({
      label: "the GPU function",
      say: (line) => supervisorLog.push(line),
      start: () =>
        startChild(
          "e2e gpu",
          process.execPath,
          [
            join(ROOT, "gpu-function/bin/zone.js"),
            "serve",
            "--port",
            String(gpuPort),
            "--models",
            "fixtures",
          ],
          {
            GPU_SHARED_SECRET: secrets.GPU_SHARED_SECRET,
            ZONE_STEP_PACE_MS: String(options.stepPaceMs ?? 0),
          },
          !options.quiet,
        ),
    });
    gpu = supervisor;
    const { bundleId } = (await (await waitFor(`${gpuUrl}/readyz`, supervisor.current, 180_000)).json()) as {
      bundleId: string;
    };
    // wrangler reads secrets from a .dev.vars beside the config; give it its own.
    const config = join(state, "wrangler.toml");
    const source = await readFile(join(ROOT, "wrangler.toml"), "utf8");
    await writeFile(
      config,
      source
        .replace('main = "gateway/src/index.ts"', `main = "${join(ROOT, "gateway/src/index.ts")}"`)
        .replace(
          'migrations_dir = "gateway/migrations"',
          `migrations_dir = "${join(ROOT, "gateway/migrations")}"`,
        )
        .replace('directory = "gateway/public"', `directory = "${join(ROOT, "gateway/public")}"`)
        .replace(
          'command = "npx --no-install node scripts/build-assets.ts"',
          `command = "${process.execPath} ${join(ROOT, "scripts/build-assets.ts")}"`,
        )
        .replace(
          "simple = { limit = 60, period = 60 }",
          `simple = { limit = ${options.rateLimitPerMinute ?? 60}, period = 60 }`,
        ),
    );
    await writeFile(
      join(state, ".dev.vars"),
      Object.entries(secrets)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n"),
    );
    const env = { WRANGLER_SEND_METRICS: "false", CI: "1" };
    const { execFileSync } = await import("node:child_process");
    execFileSync(
      join(BIN, "wrangler"),
      [
        "d1",
        "migrations",
        "apply",
        "zone-edit",
        "--local",
        "--config",
        config,
        "--persist-to",
        join(state, "persist"),
      ],
      {
        cwd: state,
        stdio: "ignore",
        env: { ...process.env, ...env },
      },
    );
    const launchGateway = () =>
      startChild(
        "e2e gateway",
        process.execPath,
        [
          join(ROOT, "scripts/gateway-dev.ts"),
          "--config",
          config,
          "--persist-to",
          join(state, "persist"),
          "--port",
          String(gatewayPort),
          "--var",
          `GPU_FUNCTION_URL:${gpuUrl}`,
          "--var",
          `BUNDLE_VERSION:${bundleId}`,
          "--var",
          "WEBHOOKS_ALLOW_LOOPBACK:true",
          // Webhook retries 1 s, 2 s, 4 s ... apart when asked, so a test sees several in seconds.
          "--var",
          `WEBHOOK_RETRY_BASE_SECONDS:${options.webhookRetryBaseSeconds ?? 5}`,
        ],
        env,
        !options.quiet,
      );
    let gateway = launchGateway();
    children.push(gateway);
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    await waitFor(`${gatewayUrl}/healthz`, gateway, 120_000);
    return {
      gatewayUrl,
      gpuUrl,
      adminToken: secrets.ADMIN_TOKEN,
      gpuSecret: secrets.GPU_SHARED_SECRET,
      bundleId,
      supervisorLog,
      async restartGateway() {
        const exited = new Promise((resolve) => gateway.once("exit", resolve));
        gateway.kill("SIGTERM");
        await exited;
        killGroup(gateway);
        children.splice(children.indexOf(gateway), 1);
        gateway = launchGateway();
        children.push(gateway);
        await waitFor(`${gatewayUrl}/healthz`, gateway, 120_000);
      },
      async killGpu() {
        const child = supervisor.current;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
      },
      async gpuReady() {
        const deadline = Date.now() + 180_000;
        // The restart comes after the supervisor's backoff: wait for the new process first.
        while (supervisor.current.exitCode !== null || supervisor.current.signalCode !== null) {
          if (Date.now() > deadline) throw new Error("the GPU function was not restarted");
          await new Promise((r) => setTimeout(r, 100));
        }
        await waitFor(`${gpuUrl}/readyz`, supervisor.current, deadline - Date.now());
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** POST /v1/edit calls the GPU function has answered, from its Prometheus counters. */
export async function gpuEditCalls(stack: Stack): Promise<number> {
  const text = await (
    await fetch(`${stack.gpuUrl}/metrics`, { headers: { authorization: `Bearer ${stack.gpuSecret}` } })
  ).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (
      line.startsWith("zone_http_requests_total{") &&
      line.includes('route="/v1/edit"') &&
      line.includes('method="POST"')
    ) {
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return total;
}
