import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MODEL_ROLES, ZoneError } from "@zone/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureFixtureBundle } from "../../fixtures/fixture-bundle.ts";
import { openBundle, resolveBundleDir } from "./bundle.ts";
import { verifyBundle } from "./verify-bundle.ts";

let fixtures: string;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "zone-bundle-"));
  fixtures = await ensureFixtureBundle(join(scratch, "cache"));
});

async function rejection(promise: Promise<unknown>): Promise<ZoneError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZoneError);
  return error as ZoneError;
}

async function copyOfFixtures(name: string): Promise<string> {
  const dir = join(scratch, name);
  await cp(fixtures, dir, { recursive: true });
  return dir;
}

describe("fixture bundle", () => {
  it("is generated deterministically: a second generation has the same id and hashes", async () => {
    const again = await ensureFixtureBundle(join(scratch, "cache-2"));
    const a = JSON.parse(await readFile(join(fixtures, "manifest.json"), "utf8"));
    const b = JSON.parse(await readFile(join(again, "manifest.json"), "utf8"));
    expect(b).toEqual(a);
    expect(a.id).toMatch(/^fixtures-v1-[0-9a-f]{12}$/);
  });

  it("passes its own verification: hashes and signatures of all eight roles", async () => {
    const checks = await verifyBundle(await openBundle(fixtures, true));
    expect(checks.map((c) => c.role)).toEqual([...MODEL_ROLES]);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe("openBundle / verifyBundle", () => {
  it("explains what to do when there is no bundle", async () => {
    const empty = join(scratch, "empty");
    await mkdir(empty);
    const error = await rejection(openBundle(empty));
    expect(error.code).toBe("models_missing");
    expect(error.message).toMatch(
      /no model bundle at .*empty \(manifest.json not found\); build a bundle with the export scripts/,
    );
    const none = await rejection(
      resolveBundleDir(undefined).then(() =>
        process.env.MODELS_DIR ? null : Promise.reject(new ZoneError("models_missing", "x")),
      ),
    );
    expect(none.code).toBe("models_missing");
  });

  it("names a missing model file", async () => {
    const dir = await copyOfFixtures("missing");
    await writeFile(
      join(dir, "manifest.json"),
      (await readFile(join(dir, "manifest.json"), "utf8")).replace('"vaeDecoder.onnx"', '"gone.onnx"'),
    );
    const error = await rejection(openBundle(dir));
    expect(error.message).toMatch(/is missing vaeDecoder \(.*gone.onnx\)/);
  });

  it("lists every manifest problem with its path", async () => {
    const dir = await copyOfFixtures("invalid");
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
    manifest.models.ip2pUnet.sha256 = "xyz";
    delete manifest.models.samDecoder;
    await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
    const error = await rejection(openBundle(dir));
    expect(error.code).toBe("model_bundle_invalid");
    expect(error.message).toMatch(/models.ip2pUnet.sha256: must be 64 lower-case hex digits/);
    expect(error.message).toMatch(/models.samDecoder/);
  });

  it("reports a changed file and a signature that differs from the manifest", async () => {
    const dir = await copyOfFixtures("tampered");
    const bytes = await readFile(join(dir, "vaeEncoder.onnx"));
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(join(dir, "vaeEncoder.onnx"), bytes);
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
    manifest.models.vaeDecoder.inputs[0].shape = ["batch", 4, 64, 64];
    await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
    const checks = await verifyBundle(await openBundle(dir));
    const byRole = Object.fromEntries(checks.map((c) => [c.role, c]));
    expect(byRole.vaeEncoder.problems[0]).toMatch(/^sha256 [0-9a-f]{64}, manifest says/);
    expect(byRole.vaeDecoder.problems).toEqual([
      "input latent_sample: shape [batch, 4, latent_height, latent_width], manifest says [batch, 4, 64, 64]",
    ]);
    expect(byRole.textEncoder.ok).toBe(true);
  });
});
