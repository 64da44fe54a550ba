// POST /v1/render over real HTTP with the fixture models: an edit's layer over its upload is its
// result file byte for byte; no layer is the upload's pixels; the bad inputs are 4xx problem+json.
import { RENDER_REQUEST_FIELDS as F, type GpuRenderParamsInput } from "@zone/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editForm, postEdit, scenePng, startTestService, TEST_SECRET } from "../../test/service-support.ts";

let service: Awaited<ReturnType<typeof startTestService>>;
let png: Buffer;
let edit: { result: Uint8Array; layer: Uint8Array };

beforeAll(async () => {
  service = await startTestService({ secret: TEST_SECRET, maxPixels: 100 * 100, maxBodyBytes: 200 * 1024 });
  png = await scenePng(64, 48);
  await service.ready;
  const form = await (
    await postEdit(service, editForm(png, { instruction: "make the ball blue", steps: 2 }))
  ).formData();
  const bytes = async (name: string) => new Uint8Array(await (form.get(name) as Blob).arrayBuffer());
  edit = { result: await bytes("result"), layer: await bytes("layer") };
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

function renderForm(
  layers: Uint8Array[],
  params: GpuRenderParamsInput | string,
  reference?: Uint8Array,
): FormData {
  const form = new FormData();
  form.append(F.original, new Blob([new Uint8Array(png)]), "original.png");
  for (const layer of layers) form.append(F.layer, new Blob([new Uint8Array(layer)]), "layer.png");
  if (reference) form.append(F.reference, new Blob([new Uint8Array(reference)]), "reference.png");
  form.append(F.params, typeof params === "string" ? params : JSON.stringify(params));
  return form;
}

const postRender = (body: FormData, secret: string | null = TEST_SECRET) =>
  fetch(`${service.url}/v1/render`, {
    method: "POST",
    body,
    headers: secret === null ? {} : { authorization: `Bearer ${secret}` },
  });

describe("POST /v1/render", () => {
  it("lays an edit's layer over its upload: the edit's result file, byte for byte", async () => {
    const res = await postRender(renderForm([edit.layer], { rings: ["round"] }, edit.result));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(edit.result))).toBe(true);
  });

  it("with no layer, answers the upload's pixels (as PNG)", async () => {
    const res = await postRender(renderForm([], { rings: [] }));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });

  it.each([
    [
      "a ring count that is not the layer count",
      () => renderForm([edit.layer], { rings: [] }),
      400,
      "invalid_argument",
    ],
    ["an unknown parameter", () => renderForm([], '{"rings":[],"sam":"off"}'), 400, "invalid_argument"],
    ["quality without jpeg", () => renderForm([], { rings: [], quality: 80 }), 400, "invalid_argument"],
    [
      "a layer that is not an image",
      () => renderForm([new Uint8Array([1, 2, 3])], { rings: ["round"] }),
      415,
      "unsupported_image",
    ],
  ])("refuses %s", async (_what, body, status, code) => {
    const res = await postRender(body());
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { code: string }).code).toBe(code);
  });

  it("refuses a layer of another size than the original (422 size_mismatch)", async () => {
    const other = await scenePng(32, 24);
    const res = await postRender(renderForm([other], { rings: ["round"] }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe("size_mismatch");
  });

  it("needs the bearer secret", async () => {
    expect((await postRender(renderForm([], { rings: [] }), null)).status).toBe(401);
  });
});
