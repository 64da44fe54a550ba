// What verification needs from a model file on disk, read without loading it: the graph's inputs
// and outputs (as onnx-signature.ts decodes them from bytes) and the external data files its
// weights are stored in. A graph with embedded weights is its weights (up to 2 GB: a full-size
// text encoder is 0.5 GB, an fp16 UNet 1.6 GB); reading it whole to look at a few hundred bytes
// cost 5.7 s and 1.6 GB of memory per UNet. So this walks the protobuf with positioned reads:
// ModelProto.graph (field 7) -> GraphProto.input/output (11, 12), decoded by onnx-proto, and
// .initializer (5) -> TensorProto.name (8), external_data (13), data_location (14); every other
// field, raw weights included, is skipped by its length. Hand-written because protobuf libraries
// decode whole messages from memory; the wire format is five rules (varint, fixed32/64, length).
import { type FileHandle, open } from "node:fs/promises";
import { ZoneError } from "@zone/shared";
import onnxProto from "onnx-proto";
import { type OnnxSignature, signatureOf } from "./onnx-signature.ts";

const { onnx } = onnxProto;

export interface OnnxGraphFile extends OnnxSignature {
  /** The files the graph's weights are stored in beside it (TensorProto external data
   * `location`s, relative to the graph's folder), each once; empty when all weights are inside. */
  externalData: string[];
}

const FIELD = { modelGraph: 7, graphInitializer: 5, graphInput: 11, graphOutput: 12 } as const;
const TENSOR = { name: 8, externalData: 13, dataLocation: 14 } as const;
/** ONNX TensorProto.DataLocation.EXTERNAL */
const EXTERNAL = 1;
const WINDOW = 64 << 10;

/** Positioned reads through a small window. */
class FileReader {
  #file: FileHandle;
  #buffer = Buffer.alloc(WINDOW);
  #start = 0;
  #length = 0;
  readonly size: number;

  constructor(file: FileHandle, size: number) {
    this.#file = file;
    this.size = size;
  }

  async byte(at: number): Promise<number> {
    if (at < this.#start || at >= this.#start + this.#length) {
      const { bytesRead } = await this.#file.read(this.#buffer, 0, WINDOW, at);
      if (bytesRead === 0) throw new RangeError("past the end");
      this.#start = at;
      this.#length = bytesRead;
    }
    return this.#buffer[at - this.#start];
  }

  async bytes(at: number, length: number): Promise<Uint8Array> {
    const out = Buffer.alloc(length);
    const { bytesRead } = await this.#file.read(out, 0, length, at);
    if (bytesRead !== length) throw new RangeError("past the end");
    return out;
  }
}

interface Field {
  number: number;
  wire: number;
  /** Varint value (wire 0) or payload length (wire 2). */
  value: number;
  /** Where the payload starts (wire 2) or the next field does. */
  at: number;
  end: number;
}

async function varint(r: FileReader, at: number): Promise<[number, number]> {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const b = await r.byte(at + i);
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return [value, at + i + 1];
  }
  throw new RangeError("varint too long");
}

async function* fields(r: FileReader, from: number, to: number): AsyncGenerator<Field> {
  let at = from;
  while (at < to) {
    const [key, afterKey] = await varint(r, at);
    const number = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const [value, next] = await varint(r, afterKey);
      yield { number, wire, value, at: next, end: next };
      at = next;
    } else if (wire === 1 || wire === 5) {
      const next = afterKey + (wire === 1 ? 8 : 4);
      yield { number, wire, value: 0, at: next, end: next };
      at = next;
    } else if (wire === 2) {
      const [length, payload] = await varint(r, afterKey);
      const end = payload + length;
      if (end > to) throw new RangeError("a field runs past its message");
      yield { number, wire, value: length, at: payload, end };
      at = end;
    } else throw new RangeError(`wire type ${wire}`);
  }
  if (at !== to) throw new RangeError("a message runs past its end");
}

async function tensorFacts(r: FileReader, from: number, to: number) {
  let name = "";
  let external = false;
  const entries: Uint8Array[] = [];
  for await (const f of fields(r, from, to)) {
    if (f.number === TENSOR.name && f.wire === 2)
      name = Buffer.from(await r.bytes(f.at, f.value)).toString("utf8");
    else if (f.number === TENSOR.dataLocation && f.wire === 0) external = f.value === EXTERNAL;
    else if (f.number === TENSOR.externalData && f.wire === 2) entries.push(await r.bytes(f.at, f.value));
  }
  const location = entries
    .map((e) => onnx.StringStringEntryProto.decode(e))
    .find((e) => e.key === "location")?.value;
  return { name, external, location };
}

export async function readOnnxGraphFile(path: string, label: string): Promise<OnnxGraphFile> {
  const file = await open(path, "r");
  try {
    const r = new FileReader(file, (await file.stat()).size);
    const inputs: onnxProto.onnx.IValueInfoProto[] = [];
    const outputs: onnxProto.onnx.IValueInfoProto[] = [];
    const initializers = new Set<string>();
    const externalData = new Set<string>();
    let graphs = 0;
    for await (const m of fields(r, 0, r.size)) {
      if (m.number !== FIELD.modelGraph || m.wire !== 2) continue;
      graphs++;
      for await (const g of fields(r, m.at, m.end)) {
        if (g.wire !== 2) continue;
        if (g.number === FIELD.graphInput)
          inputs.push(onnx.ValueInfoProto.decode(await r.bytes(g.at, g.value)));
        else if (g.number === FIELD.graphOutput)
          outputs.push(onnx.ValueInfoProto.decode(await r.bytes(g.at, g.value)));
        else if (g.number === FIELD.graphInitializer) {
          const tensor = await tensorFacts(r, g.at, g.end);
          initializers.add(tensor.name);
          if (!tensor.external) continue;
          if (!tensor.location)
            throw new ZoneError(
              "model_bundle_invalid",
              `${label}: initializer ${tensor.name} is external but names no file`,
            );
          externalData.add(tensor.location);
        }
      }
    }
    if (graphs === 0) throw new ZoneError("model_bundle_invalid", `${label}: the ONNX file has no graph`);
    return {
      ...signatureOf({ input: inputs, output: outputs, initializers }, label),
      externalData: [...externalData],
    };
  } catch (cause) {
    if (cause instanceof ZoneError) throw cause;
    throw new ZoneError("model_bundle_invalid", `${label}: not an ONNX model (${(cause as Error).message})`, {
      cause,
    });
  } finally {
    await file.close();
  }
}
