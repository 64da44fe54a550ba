import { cleanInstruction, gpuEditParamsSchema, PIPELINE_VERSION } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { type CacheKeyInput, cacheKey, cacheScope, type GatewayEditParams, sha256Hex } from "./cache-key.ts";

function params(fields: Record<string, unknown> = {}): GatewayEditParams {
  const instruction = cleanInstruction("make the cat black");
  const { outputs: _, ...rest } = gpuEditParamsSchema.parse({ instruction, ...fields });
  return { ...rest, instruction };
}

const base: CacheKeyInput = {
  imageSha256: "a".repeat(64),
  params: params(),
  scope: "account:acct_a:live",
  bundleVersion: "b1",
  pipelineVersion: PIPELINE_VERSION,
};

describe("cacheKey", () => {
  it("is SHA-256 (reference vector) of the image hash, instruction, params, bundle and pipeline", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256Hex(new Uint8Array([0x61, 0x62, 0x63]).buffer)).toBe(await sha256Hex("abc"));
    const { instruction, ...rest } = base.params;
    expect(await cacheKey(base)).toBe(
      await sha256Hex(
        `{"bundle":"b1","image":"${"a".repeat(64)}","instruction":"${instruction}","params":${JSON.stringify(
          Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))),
        )},"pipeline":"${PIPELINE_VERSION}","scope":"account:acct_a:live","v":3}`,
      ),
    );
  });

  it("ignores key order and the defaults being spelled out", async () => {
    const a = await cacheKey(base);
    const reordered = Object.fromEntries(Object.entries(base.params).reverse()) as GatewayEditParams;
    expect(await cacheKey({ ...base, params: reordered })).toBe(a);
    expect(await cacheKey({ ...base, params: params({ seed: 42, steps: 20, mode: "default" }) })).toBe(a);
  });

  it("does not clean the instruction again: it takes the one cleaning's output", async () => {
    const raw = "  Make   the CAT black " as GatewayEditParams["instruction"];
    expect(await cacheKey({ ...base, params: { ...base.params, instruction: raw } })).not.toBe(
      await cacheKey(base),
    );
  });

  it("changes with anything that changes the output, the pipeline version included", async () => {
    const a = await cacheKey(base);
    const variants: CacheKeyInput[] = [
      { ...base, imageSha256: "b".repeat(64) },
      { ...base, params: { ...base.params, instruction: cleanInstruction("make the cat white") } },
      { ...base, params: params({ seed: 43 }) },
      { ...base, params: params({ steps: 21 }) },
      { ...base, params: params({ mode: "fast" }) },
      { ...base, params: params({ action: "remove" }) },
      { ...base, params: params({ textGuidance: 7 }) },
      { ...base, params: params({ output: "webp" }) },
      { ...base, params: params({ output: "jpeg", quality: 80 }) },
      { ...base, params: params({ output: "jpeg", quality: 81 }) },
      { ...base, params: params({ metadata: "keep" }) },
      { ...base, params: params({ metadata: "keep-gps" }) },
      { ...base, params: params({ maskSize: "original" }) },
      { ...base, bundleVersion: "b2" },
      { ...base, scope: "account:acct_b:live" },
      { ...base, scope: "account:acct_a:test" },
      { ...base, pipelineVersion: `${PIPELINE_VERSION}-next` },
    ];
    const keys = await Promise.all(variants.map(cacheKey));
    expect(new Set([a, ...keys]).size).toBe(variants.length + 1);
  });
});

describe("cacheScope", () => {
  const live = { accountId: "acct_a", keyId: "key_1", environment: "live" } as const;
  const test = { ...live, environment: "test" } as const;

  it("is the account by default, and within it live and test keys apart", () => {
    expect(cacheScope({}, live)).toBe("account:acct_a:live");
    expect(cacheScope({}, test)).toBe("account:acct_a:test");
    expect(cacheScope({}, { ...live, accountId: "acct_b" })).not.toBe(cacheScope({}, live));
  });

  it("is one scope across accounts only when the deployment opts in", () => {
    expect(cacheScope({ CACHE_SCOPE: "shared" }, live)).toBe("shared:live");
    expect(cacheScope({ CACHE_SCOPE: "shared" }, { ...live, accountId: "acct_b" })).toBe("shared:live");
    expect(cacheScope({ CACHE_SCOPE: "shared" }, test)).toBe("shared:test");
  });

  it("refuses a misspelt setting instead of guessing", () => {
    expect(() => cacheScope({ CACHE_SCOPE: "global" }, live)).toThrow(/CACHE_SCOPE/);
  });
});

describe("cacheKey of a chain's turn", () => {
  it("hashes the parent's cache key too (the whole chain), and leaves an upload's key as it was", async () => {
    const upload = await cacheKey(base);
    const child = await cacheKey({ ...base, parentKey: "c".repeat(64) });
    expect(child).not.toBe(upload);
    // Same input image bytes and params, another parent: another key (another chain).
    expect(await cacheKey({ ...base, parentKey: "d".repeat(64) })).not.toBe(child);
    const { instruction, ...rest } = base.params;
    expect(child).toBe(
      await sha256Hex(
        `{"bundle":"b1","image":"${"a".repeat(64)}","instruction":"${instruction}","params":${JSON.stringify(
          Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))),
        )},"parent":"${"c".repeat(64)}","pipeline":"${PIPELINE_VERSION}","scope":"account:acct_a:live","v":3}`,
      ),
    );
  });
});
