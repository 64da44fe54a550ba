import { describe, expect, it } from "vitest";
import { Progress } from "./progress.ts";

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, write: (t: string) => chunks.push(t), chunks };
}

const step = (n: number) => ({
  step: n,
  total: 10,
  timestep: 1000 - n * 100,
  elapsedMs: n * 200,
  modelMs: 150,
});

describe("Progress", () => {
  it("redraws one bar on a terminal, with an ETA, and ends the line at the last step", () => {
    const s = sink(true);
    const p = new Progress(s);
    for (let n = 1; n <= 10; n++) p.step(step(n));
    expect(s.chunks).toHaveLength(10);
    expect(s.chunks[0]).toBe(
      "\r\x1b[2Kdenoising [##......................] step 1/10 (t=900) 0.2 s, ETA 1.8 s",
    );
    expect(s.chunks[9]).toMatch(/step 10\/10 .* ETA 0\.0 s\n$/);
    p.close();
    expect(s.chunks).toHaveLength(10); // nothing left open
  });

  it("prints plain lines every fifth step when not on a terminal", () => {
    const s = sink(false);
    const p = new Progress(s);
    for (let n = 1; n <= 10; n++) p.step(step(n));
    p.stage("decode", 12.4);
    expect(s.chunks).toEqual([
      "denoising [############............] step 5/10 (t=500) 1.0 s, ETA 1.0 s\n",
      "denoising [########################] step 10/10 (t=0) 2.0 s, ETA 0.0 s\n",
      "decode 12 ms\n",
    ]);
  });

  it("closes a bar left open by an error", () => {
    const s = sink(true);
    const p = new Progress(s);
    p.loaded({ role: "textEncoder", index: 1, total: 3, seconds: 0.5, provider: "cpu" });
    p.close();
    expect(s.chunks).toEqual([
      "\r\x1b[2Kloading models [########................] textEncoder 0.50 s on cpu",
      "\n",
    ]);
  });
});
