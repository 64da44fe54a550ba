// Keeps a local service running: when its process dies (crash, OOM, `kill -9`), it is started
// again after a backoff that doubles from RESTART_BACKOFF.initialMs to maxMs and resets once a
// run lasted RESTART_BACKOFF.stableMs; what happened is said on the console. Used by `npm start`
// for both services and by the end-to-end stack, so a dead GPU function leaves the gateway up,
// answering 503 problem+json with Retry-After (its GPU client's error for an unreachable
// upstream) until the function is back.
import type { ChildProcess } from "node:child_process";
import { killGroup } from "./dev-stack.ts";

export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** A run at least this long resets the backoff. */
  stableMs: number;
}

export const RESTART_BACKOFF: Readonly<Backoff> = { initialMs: 500, maxMs: 30_000, stableMs: 60_000 };

/** The wait before restart number `attempt` (1, 2, ...) of a run of quick failures. */
export function restartDelayMs(attempt: number, backoff: Backoff = RESTART_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** (attempt - 1));
}

export interface SupervisorOptions {
  label: string;
  start: () => ChildProcess;
  say: (line: string) => void;
  /** Called with each restarted process (not the first), e.g. to wait until it is ready. */
  onRestart?: (child: ChildProcess) => void;
  backoff?: Backoff;
}

export class Supervisor {
  private child: ChildProcess;
  private stopping = false;
  private quickFailures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** How many times the process was restarted. */
  restarts = 0;

  private readonly options: SupervisorOptions;

  constructor(options: SupervisorOptions) {
    this.options = options;
    this.child = this.launch();
  }

  /** The process running now (a new one after each restart). */
  get current(): ChildProcess {
    return this.child;
  }

  private launch(): ChildProcess {
    const child = this.options.start();
    const startedAt = Date.now();
    child.once("exit", (code, signal) => {
      // A process that died without stopping its own children (Miniflare's workerd) would keep
      // the port: end its whole group (startChild gives each child one).
      killGroup(child);
      if (this.stopping) return;
      const backoff = this.options.backoff ?? RESTART_BACKOFF;
      this.quickFailures = Date.now() - startedAt >= backoff.stableMs ? 1 : this.quickFailures + 1;
      const delay = restartDelayMs(this.quickFailures, backoff);
      this.options.say(
        `${this.options.label} exited (${signal ?? `code ${code}`}); restarting it in ${(delay / 1000).toFixed(1)} s`,
      );
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.stopping) return;
        this.restarts += 1;
        this.child = this.launch();
        this.options.onRestart?.(this.child);
      }, delay);
    });
    return child;
  }

  /** Stops the process and any pending restart; resolves when it has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer !== null) clearTimeout(this.timer);
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}
