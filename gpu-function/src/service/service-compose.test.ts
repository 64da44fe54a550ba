// POST /v1/compose over real HTTP with the fixture models: another editor's output of a photo
// becomes a local edit (every pixel outside the layer is the original's own), at any size, with
// or without Segment Anything; bad parts are 4xx naming the part.
import { gpuComposeMetaSchema } from "@zone/shared";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, TEST_SECRET } from "../../test/service-support.ts";
import { ellipseMask, syntheticEdit } from "../demo/synthetic-edit.ts";
import { syntheticScene } from "../demo/synthetic-scene.ts";
import { decodeImage, decodeMask, encodePng } from "../image/io.ts";
import type { RgbImage } from "../image/types.ts";

let service: Awaited<ReturnType<typeof startTestService>>;
const W = 96;
const H = 64;
const scene = syntheticScene(W, H);
const region = ellipseMask(W, H, W * 0.32, H * 0.78, H * 0.14, H * 0.14);
const edited = syntheticEdit(scene.image, region, { seed: 3 });
let originalPng: Buffer;
let editedPng: Buffer;

beforeAll(async () => {
  service = await startTestService({ secret: TEST_SECRET, maxPixels: 400 * 400 });
  [originalPng, editedPng] = await Promise.all([encodePng(scene.image), encodePng(edited)]);
  await service.ready;
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

function composeForm(files: Record<string, Uint8Array | string>, params: unknown = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(files)) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value)]), `${name}.png`);
  }
  if (params !== null) form.append("params", typeof params === "string" ? params : JSON.stringify(params));
  return form;
}

function postCompose(body: FormData): Promise<Response> {
  return fetch(`${service.url}/v1/compose`, {
    method: "POST",
    body,
    headers: { authorization: `Bearer ${TEST_SECRET}` },
  });
}

async function composed(res: Response) {
  expect(res.status).toBe(200);
  const form = await res.formData();
  const blob = (name: string) => form.get(name) as Blob;
  const bytes = async (name: string) => new Uint8Array(await blob(name).arrayBuffer());
  return {
    names: [...form.keys()],
    meta: gpuComposeMetaSchema.parse(JSON.parse(await blob("meta").text())),
    result: await decodeImage(await bytes("result")),
    mask: form.has("mask") ? await decodeMask(await bytes("mask")) : null,
    timing: res.headers.get("server-timing") ?? "",
  };
}

/** Pixels outside `mask` (original size) that differ from the original. */
function changedOutside(result: RgbImage, mask: { data: Uint8Array } | null): number {
  if (mask === null) throw new Error("no mask part");
  let n = 0;
  for (let i = 0; i < W * H; i++) {
    if (mask.data[i]) continue;
    for (let c = 0; c < 3; c++) if (result.data[i * 3 + c] !== scene.image.data[i * 3 + c]) n++;
  }
  return n;
}

describe("POST /v1/compose", () => {
  it("without SAM: the difference's rough mask is the fine mask, and only the edited region changes", async () => {
    const out = await composed(
      await postCompose(
        composeForm({ image: originalPng, edited: editedPng }, { sam: "off", maskSize: "original" }),
      ),
    );
    expect(out.names).toEqual(["result", "layer", "mask", "meta"]);
    expect(out.meta).toMatchObject({
      kind: "compose",
      fixtures: true,
      action: "change",
      original: { width: W, height: H },
      edited: { width: W, height: H, resize: "none" },
      roughSource: "difference",
      fallback: { fineMask: true, reason: "no-candidates" },
      segment: null,
      outputs: ["result", "layer", "mask"],
      result: { format: "png", maskSize: "original" },
    });
    // The global drift and noise outside the region are undone byte for byte.
    expect(changedOutside(out.result, out.mask)).toBe(0);
    expect(out.meta.changedPixels).toBeGreaterThan(0);
    // The changed box lies around the recoloured ellipse (its centre is inside the box).
    const box = out.meta.changedBox!;
    expect(box.x0).toBeLessThanOrEqual(W * 0.32);
    expect(box.x1).toBeGreaterThan(W * 0.32);
    expect(box.y0).toBeLessThanOrEqual(H * 0.78);
    expect(box.y1).toBeGreaterThan(H * 0.78);
    // Nothing decoded far from the region: the top half is the original's.
    expect(out.mask!.data.subarray(0, (W * H) / 2).every((v) => v === 0)).toBe(true);
    for (const stage of ["prepare", "rough", "regionIou", "edgeSmoother", "png", "queue", "total"])
      expect(out.timing).toMatch(new RegExp(`(^|, )${stage};dur=`));
  }, 120_000);

  it("resizes an edited image of another size to the original's frame and says how", async () => {
    const big = await sharp(editedPng)
      .resize(W * 2, H * 2, { fit: "fill" })
      .png()
      .toBuffer();
    const wide = await sharp(editedPng)
      .resize(W * 2, H, { fit: "fill" })
      .png()
      .toBuffer();
    const scaled = await composed(
      await postCompose(
        composeForm({ image: originalPng, edited: big }, { sam: "off", maskSize: "original" }),
      ),
    );
    expect(scaled.meta.edited).toEqual({ width: W * 2, height: H * 2, resize: "scaled" });
    expect([scaled.result.width, scaled.result.height]).toEqual([W, H]);
    expect(changedOutside(scaled.result, scaled.mask)).toBe(0);
    expect(scaled.meta.changedPixels).toBeGreaterThan(0);
    const stretched = await composed(
      await postCompose(
        composeForm({ image: originalPng, edited: wide }, { sam: "off", outputs: ["result"] }),
      ),
    );
    expect(stretched.meta.edited).toEqual({ width: W * 2, height: H, resize: "stretched" });
  }, 120_000);

  it("takes the caller's rough mask, at any size", async () => {
    const rough = await encodePng(ellipseMask(W * 2, H * 2, W * 0.64, H * 1.56, H * 0.3, H * 0.3));
    const out = await composed(
      await postCompose(
        composeForm({ image: originalPng, edited: editedPng, rough }, { sam: "off", maskSize: "original" }),
      ),
    );
    expect(out.meta.roughSource).toBe("given");
    expect(changedOutside(out.result, out.mask)).toBe(0);
  }, 120_000);

  it("segments the edited image with SAM (the original for remove) and reports the candidates", async () => {
    const change = await composed(await postCompose(composeForm({ image: originalPng, edited: editedPng })));
    expect(change.meta.segment).toMatchObject({ mode: "full", image: "canvas" });
    expect(change.meta.segment?.gridPoints).toBe(32 * 32);
    expect(change.timing).toMatch(/(^|, )segment;dur=/);
    const remove = await composed(
      await postCompose(
        composeForm({ image: originalPng, edited: editedPng }, { action: "remove", sam: "guided" }),
      ),
    );
    expect(remove.meta.segment).toMatchObject({ mode: "guided", image: "original" });
    expect(remove.meta.segment!.pointsDecoded).toBeLessThan(32 * 32);
  }, 120_000);

  it("refuses a missing or broken part, naming it, before composing anything", async () => {
    const problem = async (form: FormData) => {
      const res = await postCompose(form);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      return { status: res.status, ...((await res.json()) as { code: string; detail: string }) };
    };
    expect(await problem(composeForm({ image: originalPng }))).toMatchObject({
      status: 400,
      detail: expect.stringContaining('"edited"'),
    });
    expect(await problem(composeForm({ image: originalPng, edited: "text" }))).toMatchObject({
      status: 400,
      detail: expect.stringContaining('"edited" part must be a file'),
    });
    expect(
      await problem(composeForm({ image: originalPng, edited: new TextEncoder().encode("GIF89a nope") })),
    ).toMatchObject({ status: 415, detail: expect.stringContaining("edited") });
    expect(
      await problem(
        composeForm({ image: originalPng, edited: editedPng, rough: new Uint8Array([1, 2, 3]) }, {}),
      ),
    ).toMatchObject({ status: 415, detail: expect.stringContaining("rough") });
    expect(
      await problem(composeForm({ image: originalPng, edited: editedPng }, { sam: "maybe" })),
    ).toMatchObject({ status: 400, code: "invalid_argument", detail: expect.stringContaining("sam") });
    expect(await problem(composeForm({ image: originalPng, edited: editedPng }, null))).toMatchObject({
      status: 400,
      detail: expect.stringContaining('"params"'),
    });
  }, 120_000);
});
