import { describe, expect, it } from "vitest";
import { TORCH_RANDN_REFERENCES } from "../../../test/torch-randn.fixtures.ts";
import { noiseSource, seededNormal } from "./gaussian-noise.ts";

function fixed4(values: ArrayLike<number>): string[] {
  return Array.from(values, (v) => v.toFixed(4));
}

// FNV-1a over the float32 bit patterns (read as integers, so independent of host byte order).
function fingerprint(values: Float32Array): string {
  let hash = 0x811c9dc5;
  for (const word of new Uint32Array(values.buffer, values.byteOffset, values.length)) {
    for (let shift = 0; shift < 32; shift += 8) {
      hash ^= (word >>> shift) & 0xff;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash.toString(16).padStart(8, "0");
}

function referenceNamed(prefix: string) {
  const found = TORCH_RANDN_REFERENCES.find((r) => r.name.startsWith(prefix));
  if (!found) throw new Error(`no reference ${prefix}`);
  return found;
}

describe("seededNormal", () => {
  it("matches torch.randn for a published seed-0 block and a seed-42 ragged size", () => {
    expect(fixed4(seededNormal(0, 16))).toEqual(
      fixed4(referenceNamed("seed 0, randn(4, 4)").calls[0].values),
    );
    expect(fixed4(seededNormal(42, 20))).toEqual(
      fixed4(referenceNamed("seed 42, randn(4, 5)").calls[0].values),
    );
    expect(fixed4(seededNormal(0, 5))).toEqual(["1.5410", "-0.2934", "-2.1788", "0.5684", "-1.0845"]);
  });

  it("is deterministic: same seed and count, same bits", () => {
    const a = seededNormal(2024, 4 * 32 * 32);
    const b = seededNormal(2024, 4 * 32 * 32);
    expect(new Uint32Array(a.buffer)).toEqual(new Uint32Array(b.buffer));
    expect(seededNormal(2025, 16)).not.toEqual(seededNormal(2024, 16));
  });

  it("keeps pinned fingerprints (a regression guard for the cross-platform bits, not torch truth)", () => {
    // Recorded from this implementation; any change means the output bits changed somewhere.
    expect(fingerprint(seededNormal(42, 4 * 64 * 64))).toBe("8f28cf8a");
    expect(fingerprint(seededNormal(7, 10))).toBe("eeef84e5");
    expect(fingerprint(seededNormal(1234567890, 4 * 128 * 128 + 3))).toBe("f76ead63");
  });
});

describe("noiseSource", () => {
  it("starts with the same draw as seededNormal", () => {
    expect(noiseSource(99)(4 * 8 * 8)).toEqual(seededNormal(99, 4 * 8 * 8));
  });

  it("keeps drawing from one generator, as successive torch.randn calls do", () => {
    const reference = referenceNamed("seed 0, randn(10, 4) then randn(4, 4)");
    const next = noiseSource(reference.seed);
    for (const call of reference.calls) {
      expect(fixed4(next(call.count))).toEqual(fixed4(call.values));
    }
  });

  it("gives independent streams per source", () => {
    const a = noiseSource(1);
    const b = noiseSource(1);
    const first = a(16);
    a(16);
    expect(b(16)).toEqual(first);
  });
});
