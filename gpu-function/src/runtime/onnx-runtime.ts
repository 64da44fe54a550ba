// The one module that talks to ONNX Runtime (onnxruntime-node). Sessions are created from a
// manifest entry with an execution-provider preference list (tensorrt, cuda, cpu): each provider
// that is missing or fails falls through to the next with a logged reason. Inputs are checked
// against the manifest before running (names, dtypes, fixed dimensions); float16 and int64 are
// converted at the boundary so the pipeline only handles float32 / int32. Every failure is a
// ZoneError naming the model, the dtypes and the shapes, never the data.
//
// TensorRT EPContext engines: onnxruntime-node passes only device_id to the TensorRT and CUDA
// providers (onnxruntime issue #26854), so fp16 and engine caching cannot be switched on from
// here. Engines prebuilt for a GPU type (the manifest's `engines`) carry those choices inside;
// when one fits this GPU it is loaded with the TensorRT provider first, and a failure falls back
// to the ONNX graph with the preference list, logged.
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type ModelEntry, type TensorDtype, type TensorSpec, ZoneError } from "@zone/shared";
import * as ort from "onnxruntime-node";
import { fromFloat16Bits, toFloat16Bits } from "./float16.ts";
import { engineKeyFor } from "./gpu-type.ts";

export const EXECUTION_PROVIDERS = ["tensorrt", "cuda", "cpu"] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** "tensorrt,cuda,cpu" as a provider list, or null when a name is not one of EXECUTION_PROVIDERS. */
export function parseProviderList(value: string): ExecutionProvider[] | null {
  const list = value.split(",").map((s) => s.trim());
  return list.every((p) => (EXECUTION_PROVIDERS as ReadonlyArray<string>).includes(p))
    ? (list as ExecutionProvider[])
    : null;
}

export interface RuntimeOptions {
  /** Tried in order; "cpu" always works and should come last. */
  providers: ExecutionProvider[];
  deviceId: number;
  log: (line: string) => void;
  /**
   * This GPU's name and the bundle folder the manifest's engine paths are relative to; null (or
   * no engine for this GPU) loads the ONNX graph only.
   */
  engines: { gpuName: string; bundleDir: string } | null;
}

export const RUNTIME_DEFAULTS: Readonly<RuntimeOptions> = {
  providers: ["cpu"],
  deviceId: 0,
  log: () => {},
  engines: null,
};

/** What the pipeline hands to and gets from a model: float32 or integer data, row-major. */
export type HostTensor =
  | { dtype: "float32"; data: Float32Array; dims: number[] }
  | { dtype: "int32"; data: Int32Array; dims: number[] }
  | { dtype: "int64"; data: BigInt64Array; dims: number[] };

const describeDims = (dims: ReadonlyArray<number | string>) => `[${dims.join(", ")}]`;

function providerOption(
  provider: ExecutionProvider,
  deviceId: number,
): ort.InferenceSession.ExecutionProviderConfig {
  // onnxruntime-node passes only device_id to CUDA and TensorRT (onnxruntime issue #26854).
  return provider === "cpu" ? "cpu" : { name: provider, deviceId };
}

// The CUDA and TensorRT providers are shared libraries that onnxruntime-node's installer adds
// beside its binding (ONNXRUNTIME_NODE_INSTALL=cuda12); without them a session would fail.
function bindingDir(): string | null {
  const dist = dirname(createRequire(import.meta.url).resolve("onnxruntime-node"));
  const bin = join(dist, "..", "bin");
  const napi = existsSync(bin) ? readdirSync(bin).find((d) => d.startsWith("napi-v")) : undefined;
  return napi ? join(bin, napi, process.platform, process.arch) : null;
}

function providerAvailability(provider: ExecutionProvider): string | null {
  if (provider === "cpu") return null;
  if (!ort.listSupportedBackends().some((b) => b.name === provider)) {
    return `${provider} is not supported by this onnxruntime-node build`;
  }
  const dir = bindingDir();
  const library = `libonnxruntime_providers_${provider}.so`;
  if (process.platform === "linux" && dir !== null && !existsSync(join(dir, library))) {
    return `${provider} is not installed (${library} missing; install with ONNXRUNTIME_NODE_INSTALL=cuda12)`;
  }
  return null;
}

function toOrtTensor(name: string, value: HostTensor, spec: TensorSpec, role: string): ort.Tensor {
  const want: TensorDtype = spec.dtype;
  const mismatch = () =>
    new ZoneError(
      "model_error",
      `${role}: input ${name} is ${value.dtype}${describeDims(value.dims)}; the model expects ${want}${describeDims(spec.shape)}`,
    );
  if (want === "float32" || want === "float16") {
    if (value.dtype !== "float32") throw mismatch();
    return want === "float16"
      ? new ort.Tensor("float16", toFloat16Bits(value.data), value.dims)
      : new ort.Tensor("float32", value.data, value.dims);
  }
  if (value.dtype === "float32") throw mismatch();
  if (want === "int64") {
    const data = value.dtype === "int64" ? value.data : BigInt64Array.from(value.data, (v) => BigInt(v));
    return new ort.Tensor("int64", data, value.dims);
  }
  const data = value.dtype === "int32" ? value.data : Int32Array.from(value.data, (v) => Number(v));
  return new ort.Tensor("int32", data, value.dims);
}

function fromOrtTensor(tensor: ort.Tensor): HostTensor {
  const dims = [...tensor.dims];
  switch (tensor.type) {
    case "float32":
      return { dtype: "float32", data: tensor.data as Float32Array, dims };
    case "float16":
      return { dtype: "float32", data: fromFloat16Bits(tensor.data as Uint16Array), dims };
    case "int32":
      return { dtype: "int32", data: tensor.data as Int32Array, dims };
    case "int64":
      return { dtype: "int64", data: tensor.data as BigInt64Array, dims };
    default:
      throw new ZoneError("model_error", `output of type ${tensor.type} is not supported`);
  }
}

function ortLogLevel(): 0 | 1 | 2 | 3 | 4 {
  const level = Number(process.env.ZONE_ORT_LOG_LEVEL ?? 4);
  return ([0, 1, 2, 3, 4] as const).find((l) => l === level) ?? 4;
}

/** The manifest's engine for this GPU, as an absolute path and its key; null when none fits. */
export function engineFor(
  spec: ModelEntry,
  engines: RuntimeOptions["engines"],
): { key: string; path: string } | null {
  if (!engines || !spec.engines) return null;
  const key = engineKeyFor(engines.gpuName, Object.keys(spec.engines));
  return key === null ? null : { key, path: join(engines.bundleDir, spec.engines[key].file) };
}

async function openSession(path: string, providers: ExecutionProvider[], deviceId: number) {
  return ort.InferenceSession.create(path, {
    executionProviders: providers.map((p) => providerOption(p, deviceId)),
    graphOptimizationLevel: "all",
    // ORT's own logger would print failures that our errors already carry, with their reason;
    // ZONE_ORT_LOG_LEVEL=0..4 (verbose..fatal) brings it back for debugging.
    logSeverityLevel: ortLogLevel(),
  });
}

export class ModelSession {
  readonly role: string;
  readonly provider: ExecutionProvider;
  /** "onnx" for the graph, "engine:<GPU type>" for a prebuilt TensorRT EPContext engine. */
  readonly source: string;
  readonly spec: ModelEntry;
  private readonly session: ort.InferenceSession;

  private constructor(
    role: string,
    provider: ExecutionProvider,
    source: string,
    spec: ModelEntry,
    session: ort.InferenceSession,
  ) {
    this.role = role;
    this.provider = provider;
    this.source = source;
    this.spec = spec;
    this.session = session;
  }

  /**
   * Creates a session for `path`: this GPU's TensorRT engine when the manifest has one, else the
   * providers in order; validates names against `spec`.
   */
  static async create(
    role: string,
    path: string,
    spec: ModelEntry,
    options: Partial<RuntimeOptions> = {},
  ): Promise<ModelSession> {
    const o = { ...RUNTIME_DEFAULTS, ...options };
    const engine = engineFor(spec, o.engines);
    if (engine) {
      const unavailable = providerAvailability("tensorrt");
      if (unavailable) {
        o.log(`${role}: engine for ${engine.key} not used: ${unavailable}; loading the ONNX graph`);
      } else {
        try {
          // Nodes outside the engine, if any, run on CUDA rather than the CPU when it is there.
          const helpers: ExecutionProvider[] = providerAvailability("cuda") === null ? ["cuda"] : [];
          const session = await openSession(engine.path, ["tensorrt", ...helpers], o.deviceId);
          const model = new ModelSession(role, "tensorrt", `engine:${engine.key}`, spec, session);
          model.checkSignature();
          return model;
        } catch (error) {
          if (error instanceof ZoneError) throw error;
          const reason = (error as Error).message.split("\n")[0];
          o.log(`${role}: engine for ${engine.key} failed (${reason}); loading the ONNX graph`);
        }
      }
    }
    const reasons: string[] = [];
    for (const provider of o.providers) {
      const unavailable = providerAvailability(provider);
      if (unavailable) {
        reasons.push(unavailable);
        o.log(`${role}: ${unavailable}; trying the next provider`);
        continue;
      }
      try {
        const session = await openSession(path, [provider], o.deviceId);
        const model = new ModelSession(role, provider, "onnx", spec, session);
        model.checkSignature();
        return model;
      } catch (error) {
        if (error instanceof ZoneError) throw error;
        const reason = `${provider} failed: ${(error as Error).message.split("\n")[0]}`;
        reasons.push(reason);
        o.log(`${role}: ${reason}; trying the next provider`);
      }
    }
    throw new ZoneError(
      "model_error",
      `${role}: no execution provider could load ${path} (${reasons.join("; ")})`,
    );
  }

  private checkSignature(): void {
    const names = (specs: TensorSpec[]) => specs.map((s) => s.name).sort();
    const wantIn = names(this.spec.inputs);
    const wantOut = names(this.spec.outputs);
    const gotIn = [...this.session.inputNames].sort();
    const gotOut = [...this.session.outputNames].sort();
    if (wantIn.join() !== gotIn.join() || wantOut.join() !== gotOut.join()) {
      throw new ZoneError(
        "model_bundle_invalid",
        `${this.role}: the model has inputs (${gotIn.join(", ")}) and outputs (${gotOut.join(", ")}); the manifest says (${wantIn.join(", ")}) and (${wantOut.join(", ")})`,
      );
    }
  }

  /**
   * Runs the model; `inputs` must name exactly the manifest's inputs. `outputs` (default: all)
   * picks the outputs to fetch: on a GPU the others are never copied to the host.
   */
  async run(
    inputs: Record<string, HostTensor>,
    outputs?: readonly string[],
  ): Promise<Record<string, HostTensor>> {
    const feeds: Record<string, ort.Tensor> = {};
    const given = Object.keys(inputs).sort();
    const expected = this.spec.inputs.map((s) => s.name).sort();
    if (given.join() !== expected.join()) {
      throw new ZoneError(
        "model_error",
        `${this.role}: got inputs (${given.join(", ")}), the model takes (${expected.join(", ")})`,
      );
    }
    for (const spec of this.spec.inputs) {
      const value = inputs[spec.name];
      const fixedMismatch =
        value.dims.length !== spec.shape.length ||
        spec.shape.some((d, i) => typeof d === "number" && d !== value.dims[i]);
      if (fixedMismatch) {
        throw new ZoneError(
          "model_error",
          `${this.role}: input ${spec.name} has shape ${describeDims(value.dims)}; the model expects ${describeDims(spec.shape)}`,
        );
      }
      feeds[spec.name] = toOrtTensor(spec.name, value, spec, this.role);
    }
    const unknown = outputs?.filter((name) => !this.spec.outputs.some((o) => o.name === name)) ?? [];
    if (unknown.length > 0) {
      throw new ZoneError(
        "model_error",
        `${this.role}: asked for outputs (${unknown.join(", ")}) the model does not have; it has (${this.spec.outputs.map((o) => o.name).join(", ")})`,
      );
    }
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = outputs ? await this.session.run(feeds, [...outputs]) : await this.session.run(feeds);
    } catch (cause) {
      const shapes = Object.entries(feeds)
        .map(([name, t]) => `${name} ${t.type}${describeDims(t.dims)}`)
        .join(", ");
      throw new ZoneError(
        "model_error",
        `${this.role}: inference failed (${(cause as Error).message.split("\n")[0]}); inputs: ${shapes}`,
        {
          cause,
        },
      );
    }
    const out: Record<string, HostTensor> = {};
    for (const [name, tensor] of Object.entries(results)) out[name] = fromOrtTensor(tensor as ort.Tensor);
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
