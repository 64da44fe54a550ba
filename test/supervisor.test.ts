// The local stack's supervisor on real processes: a killed child is restarted after the backoff,
// quick failures back off further, stop() ends it for good.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startChild } from "../scripts/dev-stack.ts";
import { RESTART_BACKOFF, restartDelayMs, Supervisor } from "../scripts/supervisor.ts";

const sleeper = () => spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"], { stdio: "ignore" });
const exited = (child: ReturnType<typeof spawn>) => new Promise((resolve) => child.once("exit", resolve));

describe("restartDelayMs", () => {
  it("doubles from 0.5 s to a 30 s ceiling", () => {
    expect(RESTART_BACKOFF).toEqual({ initialMs: 500, maxMs: 30_000, stableMs: 60_000 });
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => restartDelayMs(n))).toEqual([
      500, 1000, 2000, 4000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe("Supervisor", () => {
  it("restarts a killed process, says so, and stops for good on stop()", async () => {
    const lines: string[] = [];
    const restarted: number[] = [];
    const supervisor = new Supervisor({
      label: "sleeper",
      start: sleeper,
      say: (line) => lines.push(line),
      onRestart: (child) => restarted.push(child.pid ?? -1),
      backoff: { initialMs: 100, maxMs: 400, stableMs: 10_000 },
    });
    const first = supervisor.current;
    first.kill("SIGKILL");
    await exited(first);
    await new Promise((r) => setTimeout(r, 300));
    expect(supervisor.restarts).toBe(1);
    expect(supervisor.current.pid).not.toBe(first.pid);
    expect(restarted).toEqual([supervisor.current.pid]);
    expect(lines[0]).toMatch(/^sleeper exited \(SIGKILL\); restarting it in 0\.1 s$/);
    // A second quick failure waits twice as long.
    supervisor.current.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 30));
    expect(lines[1]).toMatch(/restarting it in 0\.2 s$/);
    await new Promise((r) => setTimeout(r, 400));
    expect(supervisor.restarts).toBe(2);
    const last = supervisor.current;
    await supervisor.stop();
    expect(last.signalCode).toBe("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    expect(supervisor.restarts).toBe(2);
  });

  it("ends what a killed process left running (its grandchildren), so a restart finds the port free", async () => {
    // A parent that starts a grandchild and prints its pid, as Miniflare starts workerd.
    const script =
      "const c = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' }); console.log(c.pid); setTimeout(() => {}, 60000);";
    let grandchild = 0;
    const supervisor = new Supervisor({
      label: "parent",
      start: () => {
        const child = startChild("parent", process.execPath, ["-e", script], {}, false);
        child.stdout?.once("data", (chunk: Buffer) => {
          grandchild = Number(chunk.toString().trim());
        });
        return child;
      },
      say: () => {},
      backoff: { initialMs: 5_000, maxMs: 5_000, stableMs: 10_000 },
    });
    while (grandchild === 0) await new Promise((r) => setTimeout(r, 20));
    // Running, and not a zombie waiting for a parent to reap it (this container's init may not).
    const alive = (pid: number) => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    expect(alive(grandchild)).toBe(true);
    const parent = supervisor.current;
    parent.kill("SIGKILL");
    await exited(parent);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(grandchild)).toBe(false);
    await supervisor.stop();
  });
});
