// Progress output for long commands: a redrawn one-line bar on a terminal (model loading, each
// denoising step with an ETA), plain lines otherwise (logs, CI, pipes). Writes to stderr only,
// so stdout stays clean for --json.
import type { StepEvent } from "../denoise/fused-denoise.ts";
import type { LoadEvent } from "../pipeline/zone-models.ts";

export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): void;
}

const BAR_WIDTH = 24;

function bar(done: number, total: number): string {
  const filled = Math.round((done / total) * BAR_WIDTH);
  return `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`;
}

export class Progress {
  private readonly sink: ProgressSink;
  private readonly enabled: boolean;
  private open = false;

  constructor(sink: ProgressSink, enabled = true) {
    this.sink = sink;
    this.enabled = enabled;
  }

  private line(text: string, transient: boolean): void {
    if (!this.enabled) return;
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[2K${text}${transient ? "" : "\n"}`);
      this.open = transient;
    } else if (!transient) {
      this.sink.write(`${text}\n`);
    }
  }

  loaded(event: LoadEvent): void {
    const provider = event.provider ? ` on ${event.provider}` : "";
    const text = `loading models ${bar(event.index, event.total)} ${event.role} ${event.seconds.toFixed(2)} s${provider}`;
    this.line(text, event.index < event.total);
    if (this.sink.isTTY && event.index === event.total) this.open = false;
  }

  step(event: StepEvent): void {
    const perStep = event.elapsedMs / event.step;
    const eta = (perStep * (event.total - event.step)) / 1000;
    const text = `denoising ${bar(event.step, event.total)} step ${event.step}/${event.total} (t=${Math.round(event.timestep)}) ${(event.elapsedMs / 1000).toFixed(1)} s, ETA ${eta.toFixed(1)} s`;
    // Plain output: one line per step would flood logs; every 5th step and the last.
    if (this.sink.isTTY) this.line(text, event.step < event.total);
    else if (event.step % 5 === 0 || event.step === event.total) this.line(text, false);
  }

  stage(name: string, ms: number): void {
    this.line(`${name} ${ms.toFixed(0)} ms`, false);
  }

  /** Ends a bar left open (e.g. on an error). */
  close(): void {
    if (this.open && this.enabled) this.sink.write("\n");
    this.open = false;
  }
}
