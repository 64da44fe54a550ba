// Test helper: re-saves an ONNX model with its weights in one external data file beside it, as
// onnx.save_model(save_as_external_data=True) does for graphs over 2 GB (every full-size UNet and
// SAM encoder), so the runtime's handling of such bundles is tested without gigabytes.
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** ONNX TensorProto.DataType FLOAT, and DataLocation EXTERNAL. */
const FLOAT = 1;
const EXTERNAL = 1;

function tensorBytes(tensor: onnxProto.onnx.ITensorProto): Uint8Array {
  if (tensor.rawData && tensor.rawData.length > 0) return tensor.rawData;
  if (tensor.dataType === FLOAT && tensor.floatData && tensor.floatData.length > 0) {
    const values = Float32Array.from(tensor.floatData);
    return new Uint8Array(values.buffer);
  }
  throw new Error(`initializer ${tensor.name}: only raw or float data can be moved out`);
}

/** The graph with every initializer's data moved to `location` (offset/length entries), and
 * that file's bytes. */
export function withExternalData(
  model: Uint8Array,
  location: string,
): { graph: Uint8Array; data: Uint8Array } {
  const proto = onnx.ModelProto.decode(model);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of proto.graph?.initializer ?? []) {
    const bytes = tensorBytes(tensor);
    chunks.push(bytes);
    tensor.rawData = new Uint8Array(0);
    tensor.floatData = [];
    tensor.dataLocation = EXTERNAL;
    tensor.externalData = [
      { key: "location", value: location },
      { key: "offset", value: String(offset) },
      { key: "length", value: String(bytes.length) },
    ];
    offset += bytes.length;
  }
  const data = new Uint8Array(offset);
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.length;
  }
  return { graph: onnx.ModelProto.encode(proto).finish(), data };
}
