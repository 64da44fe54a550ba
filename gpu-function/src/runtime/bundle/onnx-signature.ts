// Reads a model's input/output signature (names, element types, shapes with symbolic dimensions)
// straight from the ONNX protobuf, without creating an inference session: `zone models verify`
// checks files that this machine could not run (TensorRT engines, CUDA-only graphs).

import type { TensorDtype, TensorSpec } from "@zone/shared";
import { ZoneError } from "@zone/shared";
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

const DTYPES: Record<number, TensorDtype> = { 1: "float32", 6: "int32", 7: "int64", 10: "float16" };

function spec(info: onnxProto.onnx.IValueInfoProto, where: string): TensorSpec {
  const tensor = info.type?.tensorType;
  const dtype = DTYPES[tensor?.elemType ?? -1];
  if (!tensor || !dtype)
    throw new ZoneError("model_bundle_invalid", `${where} ${info.name}: unsupported element type`);
  const shape = (tensor.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue ?? 0)));
  return { name: info.name ?? "", dtype, shape };
}

export interface OnnxSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

/** Graph inputs that are not initializers, and graph outputs, in declaration order. */
export function onnxSignature(bytes: Uint8Array, label: string): OnnxSignature {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    throw new ZoneError("model_bundle_invalid", `${label}: not an ONNX model (${(cause as Error).message})`, {
      cause,
    });
  }
  const graph = model.graph;
  if (!graph) throw new ZoneError("model_bundle_invalid", `${label}: the ONNX file has no graph`);
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ""));
  return signatureOf({ input: graph.input ?? [], output: graph.output ?? [], initializers }, label);
}

/** The signature of a graph's value infos: inputs that are not initializers, and outputs (also
 * onnx-graph-file.ts's, which reads them from a file without loading it). */
export function signatureOf(
  graph: {
    input: onnxProto.onnx.IValueInfoProto[];
    output: onnxProto.onnx.IValueInfoProto[];
    initializers: ReadonlySet<string>;
  },
  label: string,
): OnnxSignature {
  return {
    inputs: graph.input
      .filter((i) => !graph.initializers.has(i.name ?? ""))
      .map((i) => spec(i, `${label} input`)),
    outputs: graph.output.map((o) => spec(o, `${label} output`)),
  };
}

/** Differences between what the manifest promises and what the file declares; empty when equal. */
export function signatureDifferences(expected: OnnxSignature, actual: OnnxSignature): string[] {
  const problems: string[] = [];
  const compare = (kind: "input" | "output", want: TensorSpec[], got: TensorSpec[]) => {
    const byName = new Map(got.map((t) => [t.name, t]));
    for (const w of want) {
      const g = byName.get(w.name);
      if (!g) {
        problems.push(
          `${kind} ${w.name} is missing (the file has ${got.map((t) => t.name).join(", ") || "none"})`,
        );
        continue;
      }
      if (g.dtype !== w.dtype) problems.push(`${kind} ${w.name}: dtype ${g.dtype}, manifest says ${w.dtype}`);
      if (JSON.stringify(g.shape) !== JSON.stringify(w.shape)) {
        problems.push(
          `${kind} ${w.name}: shape [${g.shape.join(", ")}], manifest says [${w.shape.join(", ")}]`,
        );
      }
    }
    for (const g of got)
      if (!want.some((w) => w.name === g.name)) problems.push(`${kind} ${g.name} is not in the manifest`);
  };
  compare("input", expected.inputs, actual.inputs);
  compare("output", expected.outputs, actual.outputs);
  return problems;
}
