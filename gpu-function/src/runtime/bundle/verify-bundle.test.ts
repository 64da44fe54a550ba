import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { samDecoderModel } from "../../fixtures/fixture-models.ts";
import { GraphBuilder } from "../../fixtures/onnx-graph.ts";
import { enginePlan } from "../../service/cold-load.ts";
import { openBundle, resolveBundleDir } from "./bundle.ts";
import { sha256File } from "./file-hash.ts";
import { onnxSignature } from "./onnx-signature.ts";
import { verifyBundle, verifyEngines } from "./verify-bundle.ts";

// A copy of the fixture bundle whose ip2pUnet has engines for three GPU types: a good one, one
// whose file differs from its hash, one whose file is missing.
let dir: string;

beforeAll(async () => {
  const fixtures = (await resolveBundleDir("fixtures")).dir;
  dir = await mkdtemp(join(tmpdir(), "zone-engines-"));
  const manifest = JSON.parse(await readFile(join(fixtures, "manifest.json"), "utf8"));
  for (const entry of Object.values(manifest.models) as Array<{ file: string }>)
    await copyFile(join(fixtures, entry.file), join(dir, entry.file));
  await mkdir(join(dir, "tokenizer"));
  await mkdir(join(dir, "scheduler"));
  for (const file of ["tokenizer/vocab.json", "tokenizer/merges.txt", manifest.scheduler.config])
    await copyFile(join(fixtures, file), join(dir, file));
  await mkdir(join(dir, "engines"));
  await copyFile(join(fixtures, "ip2pUnet.onnx"), join(dir, "engines", "ip2pUnet.h100_ctx.onnx"));
  await writeFile(join(dir, "engines", "ip2pUnet.l40s_ctx.onnx"), "not the engine the manifest names");
  const good = await sha256File(join(dir, "engines", "ip2pUnet.h100_ctx.onnx"));
  manifest.models.ip2pUnet.engines = {
    H100: { file: "engines/ip2pUnet.h100_ctx.onnx", sha256: good },
    L40S: { file: "engines/ip2pUnet.l40s_ctx.onnx", sha256: good },
    A100: { file: "engines/ip2pUnet.a100_ctx.onnx", sha256: good },
  };
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
});

describe("verifyEngines", () => {
  it("checks only the engines this GPU would load", async () => {
    const bundle = await openBundle(dir);
    const checks = await verifyEngines(bundle, "NVIDIA H100 80GB HBM3");
    expect(checks.map(({ role, file, ok }) => ({ role, file, ok }))).toEqual([
      { role: "ip2pUnet", file: "engines/ip2pUnet.h100_ctx.onnx", ok: true },
    ]);
    expect(await verifyEngines(bundle, "NVIDIA L4")).toEqual([]);
    expect(enginePlan(bundle, "NVIDIA H100 80GB HBM3")).toEqual({ ip2pUnet: "H100" });
    expect(enginePlan(bundle, null)).toEqual({});
  });

  it("reports a wrong hash and a missing file", async () => {
    const bundle = await openBundle(dir);
    const [wrong] = await verifyEngines(bundle, "NVIDIA L40S");
    expect(wrong.ok).toBe(false);
    expect(wrong.problems[0]).toMatch(/^sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}$/);
    const [missing] = await verifyEngines(bundle, "NVIDIA A100-SXM4-80GB");
    expect(missing.problems).toEqual(["cannot be read (ENOENT)"]);
  });
});

describe("verifyBundle on the samDecoder's optional mask statistics", () => {
  /** A copy of the fixture bundle's manifest and models with `samDecoder` replaced by `bytes`. */
  async function bundleWithDecoder(bytes: Uint8Array) {
    const fixtures = (await resolveBundleDir("fixtures")).dir;
    const copy = await mkdtemp(join(tmpdir(), "zone-sam-stats-"));
    const manifest = JSON.parse(await readFile(join(fixtures, "manifest.json"), "utf8"));
    for (const entry of Object.values(manifest.models) as Array<{ file: string }>)
      await copyFile(join(fixtures, entry.file), join(copy, entry.file));
    await writeFile(join(copy, "samDecoder.onnx"), bytes);
    manifest.models.samDecoder = {
      ...manifest.models.samDecoder,
      sha256: await sha256File(join(copy, "samDecoder.onnx")),
      ...onnxSignature(bytes, "samDecoder"),
    };
    await writeFile(join(copy, "manifest.json"), JSON.stringify(manifest));
    return { dir: copy, manifest, fixtures: false };
  }

  it("accepts a decoder with both image_frame and mask_stats", async () => {
    const checks = await verifyBundle(await bundleWithDecoder(samDecoderModel({ statistics: true })));
    expect(checks.find((c) => c.role === "samDecoder")).toMatchObject({ ok: true, problems: [] });
  });

  it("reports a decoder with image_frame but no mask_stats", async () => {
    const g = new GraphBuilder("half");
    g.input("image_embeddings", "float32", [1, 256, 64, 64]);
    g.input("point_coords", "float32", [1, "points", 1, 2]);
    g.input("point_labels", "int64", [1, "points", 1]);
    g.input("image_frame", "int64", [4]);
    g.op("Identity", ["image_embeddings"], {}, "low_res_masks");
    g.op("Identity", ["point_coords"], {}, "iou_scores");
    g.output("low_res_masks", "float32", [1, "points", 3, 256, 256]);
    g.output("iou_scores", "float32", [1, "points", 3]);
    const checks = await verifyBundle(await bundleWithDecoder(g.toBytes()));
    expect(checks.find((c) => c.role === "samDecoder")).toMatchObject({
      ok: false,
      problems: [
        "the mask statistics need both the image_frame input and the mask_stats output; the model has only image_frame",
      ],
    });
    expect(checks.filter((c) => !c.ok).map((c) => c.role)).toEqual(["samDecoder"]);
  });
});
