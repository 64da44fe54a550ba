// A declared mock of the GPU function for the Worker tests: it answers POST /v1/edit with the
// real multipart contract (three distinct tiny PNGs, mock-parts.ts, and a meta that satisfies
// gpuEditMetaSchema and echoes the params), after a short delay so concurrent requests overlap.
// Test controls, each for one instruction (so test files running side by side do not meet):
//   GET  /__calls?instruction=I    how many edits of I it served, the x-request-id of each, and the
//                                  last 40 bytes of each input image as text (a mock part names its edit)
//   POST /__fail?instruction=I&n=N the next N edits of I answer 503
//   POST /__hang?instruction=I&ms=M the next edit of I takes M ms
//   POST /__pipeline?instruction=I&v=V the next edit of I reports pipelineVersion V
// Asked for the progress stream (as the coordinator asks), it streams one progress line per step.
// POST /v1/render (a chain's render) answers, as its "image", a JSON receipt of what it was sent:
// the original's and each layer's and the reference's bytes (as text: the mock parts name their
// edit), and the params, so a test can see which turns the gateway laid over which original.
// A hint in the params is echoed in the meta as used (MOCK_HINT_BOX); a mask hint needs its part.
// POST /v1/compose is answered the same way (gpuComposeMetaSchema, echoing the params); its
// script is named `compose:<tag>`, the tag being the text after the `edited` PNG's IEND
// (composeTag), so each test's composes are its own.
// Runs in Node, as Miniflare's outbound service.
import {
  COMPOSE_REQUEST_FIELDS,
  CONTENT_TYPES,
  EDIT_OUTPUTS,
  EDIT_REQUEST_FIELDS,
  GPU_PROGRESS_STREAM_TYPE,
  type GpuComposeMeta,
  type GpuEditMeta,
  type GpuEditParams,
  type GpuStreamLine,
  gpuComposeMetaSchema,
  gpuComposeParamsSchema,
  gpuEditMetaSchema,
  gpuEditParamsSchema,
  gpuRenderParamsSchema,
  HINT_MASK_FIELD,
  OUTPUT_DEFAULTS,
  RENDER_REQUEST_FIELDS,
} from "@zone/shared";
import { sampleGpuComposeMeta, sampleGpuEditMeta } from "@zone/shared/testing";
import { mockPart } from "./mock-parts.ts";

export const GPU_MOCK_ORIGIN = "http://gpu.test";
export const MOCK_DELAY_MS = 150;
/** The GPU stage timings every mock edit reports. */
export const MOCK_TIMINGS_MS = { denoise: 100, total: 150 };

interface Script {
  calls: number;
  requestIds: Array<string | null>;
  inputs: string[];
  failNext: number;
  hangNextMs: number;
  pipelineVersion: string | null;
}

const scripts = new Map<string, Script>();

function script(instruction: string): Script {
  let s = scripts.get(instruction);
  if (!s) {
    s = { calls: 0, requestIds: [], inputs: [], failNext: 0, hangNextMs: 0, pipelineVersion: null };
    scripts.set(instruction, s);
  }
  return s;
}

function control(url: URL): Response | null {
  const s = script(url.searchParams.get("instruction") ?? "");
  switch (url.pathname) {
    case "/__calls":
      return Response.json({ calls: s.calls, requestIds: s.requestIds, inputs: s.inputs });
    case "/__fail":
      s.failNext = Number(url.searchParams.get("n") ?? 1);
      return Response.json({ failNext: s.failNext });
    case "/__hang":
      s.hangNextMs = Number(url.searchParams.get("ms") ?? 0);
      return Response.json({ hangNextMs: s.hangNextMs });
    case "/__pipeline":
      s.pipelineVersion = url.searchParams.get("v");
      return Response.json({ pipelineVersion: s.pipelineVersion });
    default:
      return null;
  }
}

async function renderReceipt(request: Request): Promise<Response> {
  if (request.headers.get("authorization") !== "Bearer test-gpu-secret")
    return new Response("unauthorized", { status: 401 });
  const form = await request.formData();
  const params = gpuRenderParamsSchema.parse(JSON.parse(String(form.get(RENDER_REQUEST_FIELDS.params))));
  const text = async (part: File | string | null) =>
    part instanceof Blob ? new TextDecoder().decode(await part.arrayBuffer()).slice(-80) : null;
  const receipt = {
    original: await text(form.get(RENDER_REQUEST_FIELDS.original)),
    layers: await Promise.all(form.getAll(RENDER_REQUEST_FIELDS.layer).map(text)),
    reference: await text(form.get(RENDER_REQUEST_FIELDS.reference)),
    params,
  };
  return new Response(JSON.stringify(receipt), { headers: { "content-type": CONTENT_TYPES[params.output] } });
}

/** The text a test appends after a PNG's IEND to name its composes' script. */
export function composeTag(bytes: Uint8Array): string {
  const text = new TextDecoder("latin1").decode(bytes);
  const end = text.indexOf("IEND");
  return end < 0 ? "" : text.slice(end + 8);
}

async function composeMock(request: Request, form: FormData): Promise<Response> {
  const params = gpuComposeParamsSchema.parse(JSON.parse(String(form.get(COMPOSE_REQUEST_FIELDS.params))));
  const files = [COMPOSE_REQUEST_FIELDS.image, COMPOSE_REQUEST_FIELDS.edited].map((n) => form.get(n));
  if (!files.every((f) => f instanceof Blob)) return new Response("no image or edited", { status: 400 });
  const tag = composeTag(new Uint8Array(await (files[1] as Blob).arrayBuffer()));
  const s = script(`compose:${tag}`);
  s.calls++;
  s.requestIds.push(request.headers.get("x-request-id"));
  if (s.failNext > 0) {
    s.failNext--;
    return new Response("busy", { status: 503, headers: { "retry-after": "0" } });
  }
  await new Promise((resolve) => setTimeout(resolve, s.hangNextMs || MOCK_DELAY_MS));
  s.hangNextMs = 0;
  const meta: GpuComposeMeta = gpuComposeMetaSchema.parse(
    sampleGpuComposeMeta({
      action: params.action,
      fidelity: params.fidelity,
      roughSource: form.get(COMPOSE_REQUEST_FIELDS.rough) === null ? "difference" : "given",
      segment:
        params.sam === "off"
          ? null
          : {
              ...SAMPLE_SEGMENT,
              mode: params.sam,
              image: params.action === "remove" ? "original" : "canvas",
            },
      result: {
        format: params.output,
        quality: params.output === "jpeg" ? (params.quality ?? OUTPUT_DEFAULTS.jpegQuality) : null,
        metadata: params.metadata,
        depth: 8,
        alpha: false,
        icc: false,
        maskSize: params.maskSize,
      },
      timingsMs: MOCK_TIMINGS_MS,
    }),
  );
  const out = new FormData();
  for (const name of EDIT_OUTPUTS)
    out.append(
      name,
      new Blob([mockPart(name, `compose:${tag}`)], {
        type: name === "result" ? CONTENT_TYPES[params.output] : CONTENT_TYPES.png,
      }),
      `${name}.png`,
    );
  out.append("meta", new Blob([JSON.stringify(meta)], { type: "application/json" }), "meta.json");
  return new Response(out);
}

/** Where the mock says every hint landed in the working frame. */
export const MOCK_HINT_BOX = { x0: 1, y0: 2, x1: 3, y1: 4 };

const SAMPLE_SEGMENT = {
  gridPoints: 1024,
  pointsDecoded: 1024,
  masksDecoded: 3072,
  passedIou: 40,
  passedStability: 20,
  measuredBy: "host-meter" as const,
  candidates: 12,
  chosenCandidate: 3,
  chosenIou: 0.8,
  timingsMs: { preprocess: 1, encode: 2, decode: 3, postprocess: 4 },
};

export async function gpuMock(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.origin !== GPU_MOCK_ORIGIN) return new Response("the tests reach no other host", { status: 599 });
  const answered = control(url);
  if (answered) return answered;
  if (url.pathname === "/v1/render" && request.method === "POST") return renderReceipt(request);
  if (!["/v1/edit", "/v1/compose"].includes(url.pathname) || request.method !== "POST")
    return new Response("not found", { status: 404 });
  if (request.headers.get("authorization") !== "Bearer test-gpu-secret")
    return new Response("unauthorized", { status: 401 });
  const form = await request.formData();
  if (url.pathname === "/v1/compose") return composeMock(request, form);
  const params = gpuEditParamsSchema.parse(JSON.parse(String(form.get(EDIT_REQUEST_FIELDS.params))));
  const image = form.get(EDIT_REQUEST_FIELDS.image);
  if (!(image instanceof Blob)) return new Response("no image", { status: 400 });
  // A mask hint's file comes as its own part, and only with a mask hint.
  if (form.get(HINT_MASK_FIELD) instanceof Blob !== (params.hint?.kind === "mask"))
    return new Response("hint part without a mask hint, or the reverse", { status: 400 });
  const s = script(params.instruction);
  s.calls++;
  s.requestIds.push(request.headers.get("x-request-id"));
  s.inputs.push(new TextDecoder().decode(await image.arrayBuffer()).slice(-40));
  if (s.failNext > 0) {
    s.failNext--;
    return new Response("busy", { status: 503, headers: { "retry-after": "0" } });
  }
  const delay = s.hangNextMs || MOCK_DELAY_MS;
  s.hangNextMs = 0;
  if (request.headers.get("accept") === GPU_PROGRESS_STREAM_TYPE)
    return progressStream(delay, params.steps, () => answer(s, params));
  await new Promise((resolve) => setTimeout(resolve, delay));
  return answer(s, params);
}

/**
 * The streamed answer (shared/src/gpu-progress-stream.ts): accepted, started, one progress line
 * per denoising step spread over the delay, then the result line and the multipart answer.
 */
function progressStream(delay: number, steps: number, answer: () => Response): Response {
  const encoder = new TextEncoder();
  const line = (value: GpuStreamLine) => encoder.encode(`${JSON.stringify(value)}\n`);
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(line({ type: "accepted" }));
      controller.enqueue(line({ type: "started" }));
      for (let step = 1; step <= steps; step++) {
        await new Promise((resolve) => setTimeout(resolve, delay / steps));
        controller.enqueue(line({ type: "progress", stage: "denoise", step, steps }));
      }
      const multipart = answer();
      controller.enqueue(line({ type: "result", contentType: multipart.headers.get("content-type") ?? "" }));
      controller.enqueue(new Uint8Array(await multipart.arrayBuffer()));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": GPU_PROGRESS_STREAM_TYPE } });
}

function answer(s: Script, params: GpuEditParams): Response {
  const meta: GpuEditMeta = gpuEditMetaSchema.parse(
    sampleGpuEditMeta({
      instruction: params.instruction,
      action: params.action ?? "change",
      actionSource: params.action ? "override" : "lexicon",
      seed: params.seed,
      steps: params.steps,
      textGuidance: params.textGuidance,
      imageGuidance: params.imageGuidance,
      mode: params.mode,
      magicBrush: params.mode === "default",
      outputs: params.outputs,
      result: {
        format: params.output,
        quality: params.output === "jpeg" ? (params.quality ?? OUTPUT_DEFAULTS.jpegQuality) : null,
        metadata: params.metadata,
        depth: 8,
        alpha: false,
        icc: false,
        maskSize: params.maskSize,
      },
      timingsMs: MOCK_TIMINGS_MS,
      ...(params.hint
        ? { hint: { kind: params.hint.kind, rough: "restricted", sam: "guided", working: MOCK_HINT_BOX } }
        : {}),
      ...(s.pipelineVersion === null ? {} : { pipelineVersion: s.pipelineVersion }),
    }),
  );
  s.pipelineVersion = null;
  const out = new FormData();
  for (const name of params.outputs)
    out.append(
      name,
      new Blob([mockPart(name, params.instruction)], {
        type: name === "result" ? CONTENT_TYPES[params.output] : CONTENT_TYPES.png,
      }),
      `${name}.png`,
    );
  out.append("meta", new Blob([JSON.stringify(meta)], { type: "application/json" }), "meta.json");
  return new Response(out);
}
