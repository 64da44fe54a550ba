// Shared by `npm start` and `npm run keys`: the local stack's ports, secrets (.dev.vars, made on
// first run) and child-process helpers.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LOCAL_GATEWAY_PORT } from "@zone/shared";

export const ROOT = resolve(import.meta.dirname, "..");
export const GATEWAY_PORT = Number(process.env.GATEWAY_PORT ?? LOCAL_GATEWAY_PORT);
export const GPU_PORT = Number(process.env.GPU_PORT ?? 8788);
export const GATEWAY_URL = `http://127.0.0.1:${GATEWAY_PORT}`;
export const GPU_URL = `http://127.0.0.1:${GPU_PORT}`;
const DEV_VARS = join(ROOT, ".dev.vars");

export interface DevSecrets {
  KEY_PEPPER: string;
  ADMIN_TOKEN: string;
  GPU_SHARED_SECRET: string;
}

/** Reads .dev.vars (wrangler's local secrets file), creating it with random secrets if absent. */
export function devSecrets(): { secrets: DevSecrets; created: boolean } {
  let created = false;
  if (!existsSync(DEV_VARS)) {
    const random = () => randomBytes(32).toString("hex");
    writeFileSync(
      DEV_VARS,
      `KEY_PEPPER=${random()}\nADMIN_TOKEN=${random()}\nGPU_SHARED_SECRET=${random()}\n`,
      { mode: 0o600 },
    );
    created = true;
  }
  const values = Object.fromEntries(
    readFileSync(DEV_VARS, "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#") && line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  for (const name of ["KEY_PEPPER", "ADMIN_TOKEN", "GPU_SHARED_SECRET"]) {
    if (!values[name]) throw new Error(`${DEV_VARS} has no ${name}; delete the file to have it recreated`);
  }
  return { secrets: values as unknown as DevSecrets, created };
}

const recentOutput = new WeakMap<ChildProcess, string[]>();

/** Children still running: each in its own process group, ended with this process. */
const liveChildren = new Set<ChildProcess>();
let forwarding = false;

/**
 * Children get their own process groups (startChild), so a terminal's Ctrl-C no longer reaches
 * them directly: this process ends their groups when it exits or is signalled, then, unless the
 * script handles the signal itself (npm start stops its services), dies of it as it would have.
 */
function endChildrenWithThisProcess(): void {
  if (forwarding) return;
  forwarding = true;
  process.on("exit", () => {
    for (const child of liveChildren) killGroup(child, "SIGTERM");
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = () => {
      for (const child of liveChildren) killGroup(child, "SIGTERM");
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}

/**
 * Starts a child with its output prefixed, so the two services' logs stay readable; with `echo`
 * false the output is only kept (the last 40 lines) for the error message if it fails to start.
 */
export function startChild(
  label: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  echo = true,
): ChildProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so whatever it starts (workerd under Miniflare) can be ended with it
    // even when it dies without cleaning up (killGroup).
    detached: true,
  });
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  endChildrenWithThisProcess();
  const recent: string[] = [];
  recentOutput.set(child, recent);
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue;
        recent.push(line);
        if (recent.length > 40) recent.shift();
        if (echo) process.stderr.write(`[${label}] ${line}\n`);
      }
    });
  }
  return child;
}

/** Ends what is left of a child's process group (a grandchild it did not stop, e.g. workerd). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Polls `url` until it answers 2xx, the child dies, or the timeout passes. */
export async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const tail = (recentOutput.get(child) ?? []).slice(-10).join("\n");
      throw new Error(`${url}: the process exited (${child.exitCode}) before it was ready\n${tail}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}

export async function createKey(
  adminToken: string,
  name: string,
  url = GATEWAY_URL,
  environment = "live",
): Promise<{ id: string; key: string; accountId: string }> {
  const response = await fetch(`${url}/admin/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name, environment }),
  });
  if (!response.ok) throw new Error(`creating a key failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; key: string; accountId: string };
}
