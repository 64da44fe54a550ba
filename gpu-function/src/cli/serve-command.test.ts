import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "./main.ts";
import { SERVE_USAGE, serveOptions } from "./serve-command.ts";

const ZONE = join(import.meta.dirname, "..", "..", "bin", "zone.js");

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("zone serve options", () => {
  it("takes flags over the environment over the defaults", () => {
    const options = serveOptions(["--port", "9001", "--models", "fixtures", "--max-queue", "3"], {
      PORT: "8000",
      HOST: "0.0.0.0",
      ZONE_MAX_QUEUE: "1",
      ZONE_CONCURRENCY: "2",
    });
    expect(options).toMatchObject({
      port: 9001,
      host: "0.0.0.0",
      models: "fixtures",
      maxQueue: 3,
      concurrency: 2,
    });
  });

  it("refuses production mode without a secret", () => {
    expect(() => serveOptions(["--production"], {})).toThrow(/production mode needs GPU_SHARED_SECRET/);
    expect(() => serveOptions([], { NODE_ENV: "production" })).toThrow(
      /production mode needs GPU_SHARED_SECRET/,
    );
  });

  it.each([
    [["serve", "--port", "http"], /serve: --port must be an integer in 0..65535, got "http"/],
    [["serve", "--concurrency", "0"], /--concurrency must be an integer in 1..64/],
    [["serve", "--providers", "cuda,metal"], /--providers must be a list of tensorrt, cuda, cpu/],
    [["serve", "extra"], /serve: Unexpected argument 'extra'/],
  ])("%j is a usage error", async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("prints its usage", async () => {
    const r = await run("serve", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(SERVE_USAGE);
    expect((await run("help")).stdout).toMatch(/serve {6}run the GPU HTTP service/);
  });
});

describe("zone serve as a process", () => {
  it("loads, reports ready, and exits 0 on SIGTERM after a graceful shutdown", async () => {
    const child = spawn(process.execPath, [ZONE, "serve", "--port", "0", "--models", "fixtures"], {
      env: {
        ...process.env,
        ZONE_PROVIDERS: "cpu",
        ZONE_WARMUP_STEPS: "1",
        GPU_SHARED_SECRET: "",
        NODE_ENV: "test",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const entries: Array<Record<string, unknown>> = [];
    let buffered = "";
    const seen = (msg: string) => entries.some((e) => e.msg === msg);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) if (line.startsWith("{")) entries.push(JSON.parse(line));
    });
    try {
      const start = Date.now();
      while (!seen("ready")) {
        if (Date.now() - start > 20_000 || child.exitCode !== null)
          throw new Error(`no "ready" line: ${JSON.stringify(entries)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const url = entries.find((e) => e.msg === "listening")?.url as string;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(entries.map((e) => e.msg)).toEqual(expect.arrayContaining(["shutting down", "stopped"]));
      expect(entries.filter((e) => e.msg === "loaded model").length).toBeGreaterThanOrEqual(5);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
