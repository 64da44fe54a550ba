import { describe, expect, it } from "vitest";
import { maskToArt } from "../../test/test-masks.ts";
import { drawRecording, MaskRecorder } from "./mask-recording.ts";

describe("MaskRecorder and drawRecording", () => {
  it("draws spans and pixels inside the box, relative to it", () => {
    const recorder = new MaskRecorder();
    recorder.span(2, 4, 1, 3); // x 2..3, y 1..2
    recorder.span(4, 5, 1, 3); // continues it: one span x 2..4
    recorder.pixel(3 * 10 + 5); // (5, 3) in a 10-wide image
    const recording = recorder.snapshot([2, 1, 5, 3], 10);
    expect(Array.from(recording.spans)).toEqual([2, 5, 1, 3]);
    const { x0, y0, mask } = drawRecording(recording);
    expect([x0, y0]).toEqual([2, 1]);
    expect(maskToArt(mask)).toEqual(["###.", "###.", "...#"]);
  });

  it("grows past its initial capacity and starts over on reset", () => {
    const recorder = new MaskRecorder();
    for (let i = 0; i < 5000; i++) recorder.pixel(i);
    for (let y = 0; y < 2000; y += 2) recorder.span(0, 1, y, y + 1);
    const recording = recorder.snapshot([0, 0, 4999, 1999], 5000);
    expect(recording.pixels.length).toBe(5000);
    expect(recording.spans.length).toBe(4000);
    recorder.reset();
    expect(recorder.snapshot([0, 0, 0, 0], 1).pixels.length).toBe(0);
  });
});
