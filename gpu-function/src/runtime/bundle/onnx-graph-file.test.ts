import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withExternalData } from "../../../test/external-data.ts";
import { openBundle, resolveBundleDir } from "./bundle.ts";
import { readOnnxGraphFile } from "./onnx-graph-file.ts";
import { onnxSignature } from "./onnx-signature.ts";

describe("readOnnxGraphFile", () => {
  it("reads every fixture model's signature as the in-memory decoder does, and no external data", async () => {
    const bundle = await openBundle((await resolveBundleDir("fixtures")).dir, true);
    for (const [role, entry] of Object.entries(bundle.manifest.models)) {
      if (!entry) continue;
      const path = join(bundle.dir, entry.file);
      const fromFile = await readOnnxGraphFile(path, role);
      expect(fromFile).toEqual({ ...onnxSignature(await readFile(path), role), externalData: [] });
      expect({ inputs: fromFile.inputs, outputs: fromFile.outputs }).toEqual({
        inputs: entry.inputs,
        outputs: entry.outputs,
      });
    }
  });

  it("names the external data file of a graph saved with its weights beside it, with the same signature", async () => {
    const fixtures = (await resolveBundleDir("fixtures")).dir;
    const bytes = await readFile(join(fixtures, "ip2pUnet.onnx"));
    const { graph } = withExternalData(bytes, "ip2pUnet.onnx.data");
    const path = join(tmpdir(), `zone-graph-${process.pid}.onnx`);
    await writeFile(path, graph);
    expect(await readOnnxGraphFile(path, "ip2pUnet")).toEqual({
      ...onnxSignature(bytes, "ip2pUnet"),
      externalData: ["ip2pUnet.onnx.data"],
    });
  });

  it("refuses a truncated file and one that is not ONNX", async () => {
    const fixtures = (await resolveBundleDir("fixtures")).dir;
    const bytes = await readFile(join(fixtures, "vaeDecoder.onnx"));
    const path = join(tmpdir(), `zone-graph-cut-${process.pid}.onnx`);
    await writeFile(path, bytes.subarray(0, bytes.length - 100));
    await expect(readOnnxGraphFile(path, "vaeDecoder")).rejects.toMatchObject({
      code: "model_bundle_invalid",
    });
    await writeFile(path, "not a model at all");
    await expect(readOnnxGraphFile(path, "vaeDecoder")).rejects.toMatchObject({
      code: "model_bundle_invalid",
    });
  });
});
