// Region hints through the pipeline and the GPU service (fixture models): a box, point or mask
// restricts the rough mask to the hint and runs Segment Anything guided over it, the meta says
// so, the diffusion is untouched; a hint outside the image, a mask of another size or a missing
// mask part is a 422 `invalid_hint` naming the field.
import { gpuEditMetaSchema } from "@zone/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  editForm,
  fixtureModelsOnce,
  postEdit,
  scenePng,
  startTestService,
} from "../../test/service-support.ts";
import { syntheticScene } from "../demo/synthetic-scene.ts";
import { encodePng } from "../image/io.ts";
import { createMask, maskBoundingBox } from "../image/types.ts";
import { workingResolution } from "../image/working-resolution.ts";
import { boxToWorking } from "../localize/region-hint.ts";
import { zoneEdit } from "../pipeline/zone-edit.ts";

const models = fixtureModelsOnce();
const W = 64;
const H = 48;
const scene = syntheticScene(W, H);

describe("zoneEdit with a region hint", () => {
  it("restricts M_b to a box, guides SAM over it, and leaves the canvas as it was", async () => {
    const { models: m } = await models();
    const params = { instruction: "make the ball blue", steps: 1 };
    const plain = await zoneEdit(m, scene.image, params);
    const box = { kind: "box" as const, x0: 8, y0: 24, x1: 32, y1: 48 };
    const hinted = await zoneEdit(m, scene.image, { ...params, hint: box });
    expect(Buffer.from(hinted.canvas.data).equals(Buffer.from(plain.canvas.data))).toBe(true);
    const inFrame = boxToWorking(box, workingResolution(W, H));
    expect(hinted.meta.hint).toMatchObject({ kind: "box", sam: "guided", working: inFrame });
    const rough = maskBoundingBox(hinted.masks.rough)!;
    expect(rough.x0).toBeGreaterThanOrEqual(inFrame.x0);
    expect(rough.y0).toBeGreaterThanOrEqual(inFrame.y0);
    expect(rough.x1).toBeLessThanOrEqual(inFrame.x1);
    expect(rough.y1).toBeLessThanOrEqual(inFrame.y1);
    expect(hinted.meta.segment).toMatchObject({ mode: "guided" });
    expect(hinted.meta.segment!.pointsDecoded).toBeLessThan(plain.meta.segment!.pointsDecoded);
    expect(plain.meta.hint).toBeUndefined();
  }, 120_000);

  it("takes a point and a mask", async () => {
    const { models: m } = await models();
    const point = await zoneEdit(m, scene.image, {
      instruction: "make the ball blue",
      steps: 1,
      hint: { kind: "point", x: 20, y: 37 },
    });
    expect(point.meta.hint).toMatchObject({ kind: "point", sam: "guided" });
    const mask = createMask(W, H);
    for (let y = 30; y < 46; y++) mask.data.fill(255, y * W + 10, y * W + 30);
    const masked = await zoneEdit(m, scene.image, {
      instruction: "make the ball blue",
      steps: 1,
      hint: { kind: "mask", mask },
    });
    expect(masked.meta.hint).toMatchObject({ kind: "mask", working: { x0: 10, y0: 38, x1: 30, y1: 54 } });
  }, 120_000);
});

describe("POST /v1/edit with a region hint", () => {
  let service: Awaited<ReturnType<typeof startTestService>>;
  let png: Buffer;
  beforeAll(async () => {
    service = await startTestService({ maxPixels: 100 * 100 }, { loadModels: models });
    png = await scenePng(W, H);
    await service.ready;
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
  });

  const withMask = (mask: Uint8Array | null, params: unknown) => {
    const form = editForm(png, JSON.stringify(params));
    if (mask) form.append("hint", new Blob([new Uint8Array(mask)]), "hint.png");
    return form;
  };

  it("answers the hint in the meta, with a mask hint's part", async () => {
    const mask = createMask(W, H);
    mask.data.fill(255, 30 * W, 46 * W);
    const res = await postEdit(
      service,
      withMask(await encodePng(mask), { instruction: "make it red", steps: 1, hint: { kind: "mask" } }),
    );
    expect(res.status).toBe(200);
    const meta = gpuEditMetaSchema.parse(
      JSON.parse(await ((await res.formData()).get("meta") as Blob).text()),
    );
    expect(meta.hint).toMatchObject({ kind: "mask", sam: "guided" });
  }, 120_000);

  it("refuses a hint that does not fit the image with 422 invalid_hint naming the field", async () => {
    const problem = async (form: FormData) => {
      const res = await postEdit(service, form);
      return { status: res.status, ...((await res.json()) as { code: string; detail: string }) };
    };
    const base = { instruction: "make it red", steps: 1 };
    expect(await problem(withMask(null, { ...base, hint: { kind: "point", x: W, y: 0 } }))).toMatchObject({
      status: 422,
      code: "invalid_hint",
      detail: expect.stringMatching(/^point: /),
    });
    expect(
      await problem(withMask(null, { ...base, hint: { kind: "box", x0: 0, y0: 0, x1: 10, y1: H + 1 } })),
    ).toMatchObject({ status: 422, detail: expect.stringMatching(/^box: /) });
    expect(await problem(withMask(null, { ...base, hint: { kind: "mask" } }))).toMatchObject({
      status: 422,
      detail: expect.stringMatching(/^mask: .*missing/),
    });
    const small = await encodePng(createMask(W / 2, H / 2));
    expect(await problem(withMask(small, { ...base, hint: { kind: "mask" } }))).toMatchObject({
      status: 422,
      detail: expect.stringMatching(/^mask: 32x24, but the image is 64x48/),
    });
    expect(await problem(withMask(small, base))).toMatchObject({ status: 400, code: "bad_request" });
    expect(
      await problem(withMask(null, { ...base, hint: { kind: "box", x0: 5, y0: 0, x1: 5, y1: 4 } })),
    ).toMatchObject({ status: 400, code: "invalid_argument", detail: expect.stringContaining("hint") });
  }, 120_000);
});
