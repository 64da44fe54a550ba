// A declared mock of the GPU function for the Worker tests: it answers POST /v1/edit with the
// real multipart contract (three tiny PNGs and a meta that satisfies gpuEditMetaSchema), after a
// short delay so concurrent requests overlap; GET /__calls says how many edits it served, and
// POST /__fail makes the next N edits answer 503, /__hang?ms=N makes the next one take N ms. Runs in Node, as Miniflare's outbound service.
import { EDIT_REQUEST_FIELDS, type GpuEditMeta, gpuEditMetaSchema, gpuEditParamsSchema } from "@zone/shared";
import { sampleGpuEditMeta } from "@zone/shared/testing";

export const GPU_MOCK_ORIGIN = "http://gpu.test";
// 1x1 PNG (a transparent pixel).
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);

let calls = 0;
let failNext = 0;
let hangNextMs = 0;

export async function gpuMock(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.origin !== GPU_MOCK_ORIGIN) return new Response("the tests reach no other host", { status: 599 });
  if (url.pathname === "/__calls") return Response.json({ calls });
  if (url.pathname === "/__hang") {
    hangNextMs = Number(url.searchParams.get("ms") ?? 0);
    return Response.json({ hangNextMs });
  }
  if (url.pathname === "/__fail") {
    failNext = Number(url.searchParams.get("n") ?? 1);
    return Response.json({ failNext });
  }
  if (url.pathname !== "/v1/edit" || request.method !== "POST")
    return new Response("not found", { status: 404 });
  if (request.headers.get("authorization") !== "Bearer test-gpu-secret")
    return new Response("unauthorized", { status: 401 });
  calls++;
  if (failNext > 0) {
    failNext--;
    return new Response("busy", { status: 503, headers: { "retry-after": "0" } });
  }
  const form = await request.formData();
  const params = gpuEditParamsSchema.parse(JSON.parse(String(form.get(EDIT_REQUEST_FIELDS.params))));
  const image = form.get(EDIT_REQUEST_FIELDS.image);
  if (!(image instanceof Blob)) return new Response("no image", { status: 400 });
  const delay = hangNextMs || 150;
  hangNextMs = 0;
  await new Promise((resolve) => setTimeout(resolve, delay));
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
      timingsMs: { denoise: 100, total: 150 },
    }),
  );
  const out = new FormData();
  for (const name of ["result", "layer", "mask"])
    out.append(name, new Blob([PNG], { type: "image/png" }), `${name}.png`);
  out.append("meta", new Blob([JSON.stringify(meta)], { type: "application/json" }), "meta.json");
  return new Response(out);
}
