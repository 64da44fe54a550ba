import { describe, expect, it } from "vitest";
import { sha256Hex } from "../cache/cache-key.ts";
import { requestFingerprint } from "./idempotency.ts";

describe("requestFingerprint", () => {
  it("keeps its spelling: SHA-256 of the canonical {fields, image}, so stored records still match", async () => {
    const image = "a".repeat(64);
    expect(await requestFingerprint(image, { seed: 3, instruction: "add a hat" })).toBe(
      await sha256Hex(`{"fields":{"instruction":"add a hat","seed":3},"image":"${image}"}`),
    );
  });

  it("differs with the photo and with any field", async () => {
    const fields = { instruction: "add a hat", seed: 3 };
    const a = await requestFingerprint("a".repeat(64), fields);
    expect(await requestFingerprint("b".repeat(64), fields)).not.toBe(a);
    expect(await requestFingerprint("a".repeat(64), { ...fields, seed: 4 })).not.toBe(a);
  });
});
