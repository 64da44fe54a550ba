// The cold start's verification with its signed record: the first start hashes every file and
// records it, the next start on the same volume hashes nothing unchanged, and a changed model
// file is hashed again and refused.
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveBundleDir } from "../runtime/bundle/bundle.ts";
import { coldLoad } from "./cold-load.ts";
import { memoryLogger } from "./logger.ts";
import { ServiceMetrics } from "./metrics.ts";
import { resolveServiceOptions } from "./options.ts";

const SECRET = "cold-load-test-secret-0123456789";
let dir: string;

beforeAll(async () => {
  const fixtures = (await resolveBundleDir("fixtures")).dir;
  dir = join(await mkdtemp(join(tmpdir(), "zone-cold-")), "current");
  await mkdir(join(dir, "tokenizer"), { recursive: true });
  await mkdir(join(dir, "scheduler"));
  const manifest = JSON.parse(await readFile(join(fixtures, "manifest.json"), "utf8"));
  const files = [
    "manifest.json",
    "tokenizer/vocab.json",
    "tokenizer/merges.txt",
    manifest.scheduler.config,
    ...(Object.values(manifest.models) as Array<{ file: string }>).map((m) => m.file),
  ];
  for (const file of files) await copyFile(join(fixtures, file), join(dir, file));
});

async function start(secret: string | null = SECRET) {
  const log = memoryLogger();
  const options = resolveServiceOptions({ models: dir, providers: ["cpu"], warmupSteps: 1, secret });
  await coldLoad(options, { log, metrics: new ServiceMetrics({ processMetrics: false }) });
  return log.entries.find((e) => e.message === "bundle verified");
}

describe("cold start verification", () => {
  it("hashes every model once, then only what changed", async () => {
    const first = await start();
    expect(first).toMatchObject({ record: "no record yet", fromRecord: 0 });
    expect(first?.hashed).toBe(first?.files);
    const second = await start();
    expect(second).toMatchObject({ record: "record", hashed: 0, fromRecord: first?.files });
    // No secret, no record: everything is hashed.
    expect(await start(null)).toMatchObject({ hashed: first?.files, fromRecord: 0 });
  }, 60_000);

  it("refuses a model file changed after the record was written", async () => {
    await start();
    const path = join(dir, "actionClassifier.onnx");
    const bytes = await readFile(path);
    bytes[bytes.length - 1] ^= 0x01;
    await writeFile(path, bytes);
    await expect(start()).rejects.toThrow(
      /actionClassifier \(actionClassifier\.onnx\): sha256 [0-9a-f]{64}, manifest says/,
    );
  }, 60_000);
});
