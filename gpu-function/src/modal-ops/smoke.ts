// One edit through a deployed GPU service, as the gateway would send it: wait for /readyz (through
// Modal's proxy this also wakes a container), POST /v1/edit, and check the multipart answer (every
// part present, PNGs that are PNGs, meta that satisfies the internal API's schema).
import { EDIT_OUTPUTS, type GpuEditMeta, gpuEditMetaSchema } from "@zone/shared";

export interface SmokeOptions {
  /** Modal-Key / Modal-Secret (proxy auth) and Authorization (the service's bearer secret). */
  headers: Record<string, string>;
  image: Uint8Array;
  instruction: string;
  steps: number;
  readyTimeoutMs: number;
  pollMs: number;
  fetch: typeof fetch;
  progress: (line: string) => void;
}

export interface SmokeResult {
  readyAfterMs: number;
  editMs: number;
  serverTiming: string;
  partBytes: Record<string, number>;
  meta: GpuEditMeta;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

export class SmokeFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SmokeFailure";
  }
}

async function describeFailure(res: Response): Promise<string> {
  const text = (await res.text()).slice(0, 300);
  return `${res.status} ${res.statusText}: ${text}`;
}

export async function smokeEdit(baseUrl: string, o: SmokeOptions): Promise<SmokeResult> {
  const url = baseUrl.replace(/\/+$/, "");
  const started = Date.now();
  for (;;) {
    const res = await o.fetch(`${url}/readyz`, { headers: o.headers });
    if (res.status === 200) {
      await res.arrayBuffer();
      break;
    }
    if (res.status !== 503) throw new SmokeFailure(`GET /readyz answered ${await describeFailure(res)}`);
    await res.arrayBuffer();
    if (Date.now() - started > o.readyTimeoutMs)
      throw new SmokeFailure(`not ready after ${Math.round(o.readyTimeoutMs / 1000)} s`);
    o.progress(`not ready yet (${Math.round((Date.now() - started) / 1000)} s)`);
    await new Promise((resolve) => setTimeout(resolve, o.pollMs));
  }
  const readyAfterMs = Date.now() - started;

  const form = new FormData();
  form.append("image", new Blob([new Uint8Array(o.image)], { type: "image/png" }), "smoke.png");
  form.append("params", JSON.stringify({ instruction: o.instruction, steps: o.steps }));
  const editStart = Date.now();
  const res = await o.fetch(`${url}/v1/edit`, { method: "POST", body: form, headers: o.headers });
  if (res.status !== 200) throw new SmokeFailure(`POST /v1/edit answered ${await describeFailure(res)}`);
  const parts = await res.formData();
  const editMs = Date.now() - editStart;

  const partBytes: Record<string, number> = {};
  for (const name of EDIT_OUTPUTS) {
    const part = parts.get(name);
    if (!(part instanceof Blob)) throw new SmokeFailure(`the answer has no "${name}" part`);
    const bytes = new Uint8Array(await part.arrayBuffer());
    if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b))
      throw new SmokeFailure(`the "${name}" part is not a PNG`);
    partBytes[name] = bytes.length;
  }
  const metaPart = parts.get("meta");
  if (!(metaPart instanceof Blob)) throw new SmokeFailure('the answer has no "meta" part');
  const parsed = gpuEditMetaSchema.safeParse(JSON.parse(await metaPart.text()));
  if (!parsed.success)
    throw new SmokeFailure(`the meta part does not match the schema: ${parsed.error.message}`);
  return {
    readyAfterMs,
    editMs,
    serverTiming: res.headers.get("server-timing") ?? "",
    partBytes,
    meta: parsed.data,
  };
}
