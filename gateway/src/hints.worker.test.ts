// Region hints on POST /v1/edits in workerd against the GPU mock: `point`, `box` or a `mask` file
// reach the GPU function (a mask as its own part), are part of the cache key (a mask by its hash),
// show in the resource, and a malformed or out-of-range hint is a 422 `invalid_hint` naming the
// field, with no GPU call and nothing billed.
import { env, SELF } from "cloudflare:test";
import { cleanInstruction, editResourceSchema, gpuEditParamsSchema, PIPELINE_VERSION } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { MOCK_HINT_BOX } from "../test/gpu-mock.ts";
import {
  createKeyIn,
  editForm,
  gpuCalls,
  PNG_1x1,
  PNG_2x1,
  postEdit,
  storedKeys,
} from "../test/worker-helpers.ts";
import { cacheKey, cacheScope, sha256Hex } from "./cache/cache-key.ts";

function withMask(fields: Record<string, string>, mask: Uint8Array | string, image = PNG_2x1): FormData {
  const form = editForm(fields, image);
  if (typeof mask === "string") form.append("mask", mask);
  else form.append("mask", new Blob([mask], { type: "image/png" }), "mask.png");
  return form;
}

/** PNG_2x1 with a tag after its IEND: another mask file of the same size. */
function taggedMask(tag: string): Uint8Array {
  const tail = new TextEncoder().encode(tag);
  const out = new Uint8Array(PNG_2x1.length + tail.length);
  out.set(PNG_2x1);
  out.set(tail, PNG_2x1.length);
  return out;
}

describe("region hints on POST /v1/edits", () => {
  it("sends a point or a box to the GPU function, keys the cache on it and says it was used", async () => {
    const owner = await createKeyIn("hinter");
    const instruction = "hint: make the door red";
    const plain = await postEdit(owner.key, editForm({ instruction }, PNG_2x1));
    expect(plain.headers.get("x-cache")).toBe("MISS");
    expect(editResourceSchema.parse(await plain.json()).hint).toBeUndefined();
    const point = await postEdit(owner.key, editForm({ instruction, point: "1,0" }, PNG_2x1));
    expect(point.headers.get("x-cache")).toBe("MISS");
    expect(editResourceSchema.parse(await point.json()).hint).toEqual({
      kind: "point",
      rough: "restricted",
      sam: "guided",
      working: MOCK_HINT_BOX,
    });
    expect(
      (await postEdit(owner.key, editForm({ instruction, point: " 1, 0" }, PNG_2x1))).headers.get("x-cache"),
    ).toBe("HIT");
    expect(
      (await postEdit(owner.key, editForm({ instruction, point: "0,0" }, PNG_2x1))).headers.get("x-cache"),
    ).toBe("MISS");
    const box = await postEdit(owner.key, editForm({ instruction, box: "0,0,2,1" }, PNG_2x1));
    expect(box.headers.get("x-cache")).toBe("MISS");
    expect(await box.json()).toMatchObject({ hint: { kind: "box" } });
    expect((await gpuCalls(instruction)).calls).toBe(4);
  });

  it("sends a mask hint as its own part and keys the cache on the mask's bytes", async () => {
    const owner = await createKeyIn("masker");
    const instruction = "hint: make the roof green";
    const mask = taggedMask("m1");
    const first = await postEdit(owner.key, withMask({ instruction }, mask));
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ hint: { kind: "mask" } });
    const { outputs: _, ...params } = gpuEditParamsSchema.parse({
      instruction: cleanInstruction(instruction),
      hint: { kind: "mask" },
    });
    const key = await cacheKey({
      imageSha256: await sha256Hex(PNG_2x1),
      params: { ...params, instruction: cleanInstruction(instruction) },
      scope: cacheScope(env, { accountId: owner.accountId, environment: "test" }),
      bundleVersion: env.BUNDLE_VERSION,
      pipelineVersion: PIPELINE_VERSION,
      hintMaskSha256: await sha256Hex(mask),
    });
    expect(await storedKeys(`results/${key}/meta.json`)).toEqual([`results/${key}/meta.json`]);
    expect((await postEdit(owner.key, withMask({ instruction }, mask))).headers.get("x-cache")).toBe("HIT");
    expect(
      (await postEdit(owner.key, withMask({ instruction }, taggedMask("m2")))).headers.get("x-cache"),
    ).toBe("MISS");
    expect((await gpuCalls(instruction)).calls).toBe(2);
  });

  it("refuses a malformed or out-of-range hint with 422 invalid_hint naming the field, before any GPU call", async () => {
    const owner = await createKeyIn("careless-hinter");
    const instruction = "hint: never computed";
    const cases: Array<[FormData, RegExp]> = [
      [editForm({ instruction, point: "2,0" }, PNG_2x1), /^point: \(2, 0\) is outside the 2x1 image/],
      [editForm({ instruction, point: "0,1" }, PNG_2x1), /^point: /],
      [editForm({ instruction, point: "a,b" }, PNG_2x1), /^point: "a,b" is not 2 whole numbers/],
      [editForm({ instruction, point: "-1,0" }, PNG_2x1), /^point: /],
      [editForm({ instruction, point: "1" }, PNG_2x1), /^point: /],
      [editForm({ instruction, box: "0,0,3,1" }, PNG_2x1), /^box: .*reaches outside the 2x1 image/],
      [editForm({ instruction, box: "1,0,1,1" }, PNG_2x1), /^box: .*x1 > x0/],
      [editForm({ instruction, box: "0,0,1" }, PNG_2x1), /^box: /],
      [editForm({ instruction, point: "0,0", box: "0,0,1,1" }, PNG_2x1), /^point and box: send at most one/],
      [withMask({ instruction, point: "0,0" }, PNG_2x1), /^point and mask: /],
      [withMask({ instruction }, PNG_1x1), /^mask: 1x1, but the image is 2x1/],
      [withMask({ instruction }, "not a file"), /^mask: must be an image file/],
    ];
    for (const [form, detail] of cases) {
      const res = await postEdit(owner.key, form);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const problem = (await res.json()) as { status: number; code: string; detail: string };
      expect([problem.status, problem.code], problem.detail).toEqual([422, "invalid_hint"]);
      expect(problem.detail).toMatch(detail);
    }
    const notImage = await postEdit(owner.key, withMask({ instruction }, new TextEncoder().encode("GIF89a")));
    expect(await notImage.json()).toMatchObject({
      status: 415,
      detail: expect.stringContaining("hint `mask`"),
    });
    expect((await gpuCalls(instruction)).calls).toBe(0);
  });
});

describe("OpenAPI for hints and the new artifacts", () => {
  it("lists point, box and mask on the edit form, and attention and canvas as artifacts", async () => {
    const spec = (await (await SELF.fetch("https://api.test/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const text = JSON.stringify(spec.paths["/v1/edits"]);
    for (const field of ['"point"', '"box"', '"mask"', "invalid_hint"]) expect(text).toContain(field);
    expect(JSON.stringify(spec.paths["/v1/edits/{id}/{artifact}"])).toContain(
      '"enum":["result","layer","mask","attention","canvas"]',
    );
  });
});
