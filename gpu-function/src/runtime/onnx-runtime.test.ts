import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModelEntry } from "@zone/shared";
import { ZoneError } from "@zone/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { vaeEncoderModel } from "../fixtures/fixture-models.ts";
import { GraphBuilder } from "../fixtures/onnx-graph.ts";
import { onnxSignature } from "./bundle/onnx-signature.ts";
import { engineFor, ModelSession } from "./onnx-runtime.ts";

let dir: string;
let encoderPath: string;
let encoderSpec: ModelEntry;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "zone-ort-"));
  const bytes = vaeEncoderModel();
  encoderPath = join(dir, "vae-encoder.onnx");
  await writeFile(encoderPath, bytes);
  encoderSpec = { file: "vae-encoder.onnx", sha256: "0".repeat(64), ...onnxSignature(bytes, "vaeEncoder") };
});

async function rejection(promise: Promise<unknown>): Promise<ZoneError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZoneError);
  return error as ZoneError;
}

describe("ModelSession", () => {
  it("runs a model on the CPU and returns float32 host tensors", async () => {
    const session = await ModelSession.create("vaeEncoder", encoderPath, encoderSpec);
    expect(session.provider).toBe("cpu");
    const out = await session.run({
      sample: { dtype: "float32", data: new Float32Array(2 * 3 * 16 * 24).fill(1), dims: [2, 3, 16, 24] },
    });
    expect(out.latent.dims).toEqual([2, 4, 2, 3]);
    expect(out.latent.dtype).toBe("float32");
    // 1x1 projection of a constant image: channel 0 = 0.5 + 0.3 + 0.2.
    expect(out.latent.data[0]).toBeCloseTo(1, 6);
  });

  it("falls back from unavailable providers to the CPU and says why", async () => {
    const log: string[] = [];
    const session = await ModelSession.create("vaeEncoder", encoderPath, encoderSpec, {
      providers: ["tensorrt", "cuda", "cpu"],
      log: (line) => log.push(line),
    });
    expect(session.provider).toBe("cpu");
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/^vaeEncoder: tensorrt (is not installed|failed).*; trying the next provider$/);
    expect(log[1]).toMatch(/^vaeEncoder: cuda (is not installed|failed).*; trying the next provider$/);
  });

  it("refuses a model whose inputs are not the manifest's", async () => {
    const spec = {
      ...encoderSpec,
      inputs: [{ name: "pixels", dtype: "float32" as const, shape: ["batch", 3, "h", "w"] }],
    };
    const error = await rejection(ModelSession.create("vaeEncoder", encoderPath, spec));
    expect(error.code).toBe("model_bundle_invalid");
    expect(error.message).toMatch(/vaeEncoder: the model has inputs \(sample\).*manifest says \(pixels\)/);
  });

  it("names the model, dtypes and shapes when inputs are wrong", async () => {
    const session = await ModelSession.create("vaeEncoder", encoderPath, encoderSpec);
    const wrongName = await rejection(
      session.run({ image: { dtype: "float32", data: new Float32Array(3), dims: [1, 3, 1, 1] } }),
    );
    expect(wrongName.message).toBe("vaeEncoder: got inputs (image), the model takes (sample)");
    const wrongRank = await rejection(
      session.run({ sample: { dtype: "float32", data: new Float32Array(3), dims: [3, 1, 1] } }),
    );
    expect(wrongRank.message).toMatch(
      /input sample has shape \[3, 1, 1\]; the model expects \[batch, 3, height, width\]/,
    );
    const wrongType = await rejection(
      session.run({ sample: { dtype: "int32", data: new Int32Array(3), dims: [1, 3, 1, 1] } }),
    );
    expect(wrongType.message).toMatch(/input sample is int32\[1, 3, 1, 1\]; the model expects float32/);
  });

  it("wraps a failure inside ONNX Runtime with the model's name and the input shapes", async () => {
    const g = new GraphBuilder("reshape");
    g.input("x", "float32", ["n"]);
    g.op("Reshape", ["x", g.constant([2, 2], [2], "int64")], {}, "y");
    g.output("y", "float32", [2, 2]);
    const bytes = g.toBytes();
    const path = join(dir, "reshape.onnx");
    await writeFile(path, bytes);
    const spec = { file: "reshape.onnx", sha256: "0".repeat(64), ...onnxSignature(bytes, "reshape") };
    const session = await ModelSession.create("reshaper", path, spec);
    const failing = await rejection(
      session.run({ x: { dtype: "float32", data: new Float32Array(3), dims: [3] } }),
    );
    expect(failing.code).toBe("model_error");
    expect(failing.message).toMatch(/^reshaper: inference failed \(.+\); inputs: x float32\[3\]$/);
  });

  it("fetches only the outputs asked for, and names an output the model does not have", async () => {
    const g = new GraphBuilder("two-outputs");
    g.input("x", "float32", ["n"]);
    g.op("Neg", ["x"], {}, "negated");
    g.op("Abs", ["x"], {}, "magnitude");
    g.output("negated", "float32", ["n"]);
    g.output("magnitude", "float32", ["n"]);
    const bytes = g.toBytes();
    await writeFile(join(dir, "two.onnx"), bytes);
    const session = await ModelSession.create("two", join(dir, "two.onnx"), {
      file: "two.onnx",
      sha256: "0".repeat(64),
      ...onnxSignature(bytes, "two"),
    });
    const x = { dtype: "float32" as const, data: new Float32Array([-2, 3]), dims: [2] };
    expect(Object.keys(await session.run({ x }))).toEqual(["negated", "magnitude"]);
    const one = await session.run({ x }, ["magnitude"]);
    expect(Object.keys(one)).toEqual(["magnitude"]);
    expect(Array.from(one.magnitude.data as Float32Array)).toEqual([2, 3]);
    const error = await rejection(session.run({ x }, ["magnitude", "mask_stats"]));
    expect(error.code).toBe("model_error");
    expect(error.message).toBe(
      "two: asked for outputs (mask_stats) the model does not have; it has (negated, magnitude)",
    );
  });

  it("converts float16 models at the boundary", async () => {
    const g = new GraphBuilder("half");
    g.input("x", "float16", ["n"]);
    g.op("Mul", ["x", g.constant([0x4000], [], "float16")], {}, "y"); // 2.0 in half
    g.output("y", "float16", ["n"]);
    const bytes = g.toBytes();
    const path = join(dir, "half.onnx");
    await writeFile(path, bytes);
    const session = await ModelSession.create("half", path, {
      file: "half.onnx",
      sha256: "0".repeat(64),
      ...onnxSignature(bytes, "half"),
    });
    const out = await session.run({
      x: { dtype: "float32", data: new Float32Array([1.5, -0.25, 1000]), dims: [3] },
    });
    expect(out.y.dtype).toBe("float32");
    expect(Array.from(out.y.data as Float32Array)).toEqual([3, -0.5, 2000]);
  });
});

describe("TensorRT EPContext engines", () => {
  const withEngines = () => ({
    ...encoderSpec,
    engines: {
      H100: { file: "engines/h100/vae-encoder_ctx.onnx", sha256: "1".repeat(64) },
      A100: { file: "engines/a100/vae-encoder_ctx.onnx", sha256: "2".repeat(64) },
    },
  });

  it("picks the engine for this GPU, relative to the bundle", () => {
    const engines = { gpuName: "NVIDIA H100 80GB HBM3", bundleDir: "/models/b1" };
    expect(engineFor(withEngines(), engines)).toEqual({
      key: "H100",
      path: "/models/b1/engines/h100/vae-encoder_ctx.onnx",
    });
    expect(engineFor(withEngines(), { ...engines, gpuName: "NVIDIA L4" })).toBeNull();
    expect(engineFor(encoderSpec, engines)).toBeNull();
    expect(engineFor(withEngines(), null)).toBeNull();
  });

  it("falls back to the ONNX graph when the engine cannot be used, and says why", async () => {
    const log: string[] = [];
    const session = await ModelSession.create("vaeEncoder", encoderPath, withEngines(), {
      providers: ["cpu"],
      engines: { gpuName: "NVIDIA H100 80GB HBM3", bundleDir: dir },
      log: (line) => log.push(line),
    });
    expect(session.provider).toBe("cpu");
    expect(session.source).toBe("onnx");
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(
      /^vaeEncoder: engine for H100 (not used: tensorrt|failed).*; loading the ONNX graph$/,
    );
  });
});
