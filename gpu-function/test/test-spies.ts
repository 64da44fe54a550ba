// Test support, not production code: a ZoneModels whose every ModelSession records what it was
// given (a copy: the pipeline reuses its buffers) and what it answered, and whose tokenizer
// records every text it tokenizes. A role's run can be replaced by a fake that may call the real
// model (e.g. to keep its attention output and replace only the noise prediction).

import type { ZoneModels } from "../src/pipeline/zone-models.ts";
import type { HostTensor, ModelSession } from "../src/runtime/onnx-runtime.ts";
import type { ClipTokenizer } from "../src/runtime/tokenizer/clip-tokenizer.ts";

export type SpiedRole = keyof ZoneModels["sessions"] | "samEncoder" | "samDecoder";

type Tensors = Record<string, HostTensor>;

export interface RecordedRun {
  inputs: Tensors;
  outputs: Tensors;
}

/** Replaces a session's run; `real` runs the model itself. */
export type RunFake = (inputs: Tensors, real: (inputs: Tensors) => Promise<Tensors>) => Promise<Tensors>;

export interface SpiedModels {
  models: ZoneModels;
  runs: Record<SpiedRole, RecordedRun[]>;
  /** Every text given to the tokenizer's encode or tokenCount, in order. */
  tokenized: string[];
}

function copyTensors(tensors: Tensors): Tensors {
  return Object.fromEntries(
    Object.entries(tensors).map(([name, t]) => [name, { ...t, dims: [...t.dims], data: t.data.slice() }]),
  ) as Tensors;
}

function spySession(session: ModelSession, record: RecordedRun[], fake?: RunFake): ModelSession {
  const real = (inputs: Tensors, outputs?: readonly string[]) => session.run(inputs, outputs);
  // Everything but run is the real session's (role, spec, provider...).
  const spy = Object.create(session) as ModelSession;
  spy.run = async (inputs, outputs) => {
    const given = copyTensors(inputs);
    const answer = fake ? await fake(inputs, (i) => real(i, outputs)) : await real(inputs, outputs);
    record.push({ inputs: given, outputs: answer });
    return answer;
  };
  return spy;
}

function spyTokenizer(tokenizer: ClipTokenizer, texts: string[]): ClipTokenizer {
  const spy = Object.create(tokenizer) as ClipTokenizer;
  spy.encode = (text) => {
    texts.push(text);
    return tokenizer.encode(text);
  };
  spy.tokenCount = (text) => {
    texts.push(text);
    return tokenizer.tokenCount(text);
  };
  return spy;
}

export function spyModels(models: ZoneModels, fakes: Partial<Record<SpiedRole, RunFake>> = {}): SpiedModels {
  const runs = {
    textEncoder: [],
    vaeEncoder: [],
    vaeDecoder: [],
    ip2pUnet: [],
    magicBrushUnet: [],
    actionClassifier: [],
    samEncoder: [],
    samDecoder: [],
  } as Record<SpiedRole, RecordedRun[]>;
  const wrap = (role: SpiedRole, session: ModelSession) => spySession(session, runs[role], fakes[role]);
  const s = models.sessions;
  const tokenized: string[] = [];
  return {
    models: {
      ...models,
      sessions: {
        textEncoder: wrap("textEncoder", s.textEncoder),
        vaeEncoder: wrap("vaeEncoder", s.vaeEncoder),
        vaeDecoder: wrap("vaeDecoder", s.vaeDecoder),
        ip2pUnet: wrap("ip2pUnet", s.ip2pUnet),
        magicBrushUnet: wrap("magicBrushUnet", s.magicBrushUnet),
        actionClassifier: s.actionClassifier && wrap("actionClassifier", s.actionClassifier),
      },
      sam: models.sam && {
        encoder: wrap("samEncoder", models.sam.encoder),
        decoder: wrap("samDecoder", models.sam.decoder),
      },
      tokenizer: spyTokenizer(models.tokenizer, tokenized),
    },
    runs,
    tokenized,
  };
}

/** A float32 (B, ...) tensor's item b, as a view. */
export function batchItem(tensor: HostTensor, b: number): Float32Array {
  const data = tensor.data as Float32Array;
  const per = data.length / tensor.dims[0];
  return data.subarray(b * per, (b + 1) * per);
}
