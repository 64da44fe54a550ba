// The result's format through the gateway: Accept picks it when no `output` field is sent, the
// field wins, the stored artifact keeps its content type (the answer and the artifact link say
// image/webp or image/jpeg), the format is part of the cache key; and a CMYK JPEG is refused from
// its header (415, the GPU function never called, nothing billed).
import { describe, expect, it } from "vitest";
import { createKey, editForm, getWith, gpuCalls, postEdit, settledUsage } from "../test/worker-helpers.ts";

/** SOI and a baseline SOF0 of a 1x1 frame with `components` components: enough for the header. */
function jpegHeader(components: number): Uint8Array {
  const sof = [0xff, 0xc0, 0, 8 + 3 * components, 8, 0, 1, 0, 1, components];
  for (let c = 1; c <= components; c++) sof.push(c, 0x11, 0);
  return Uint8Array.from([0xff, 0xd8, ...sof, 0xff, 0xd9]);
}

describe("POST /v1/edits: output formats", () => {
  it("Accept: image/webp answers WebP and stores it as WebP; output=jpeg answers JPEG", async () => {
    const key = await createKey();
    const webp = await postEdit(key, editForm({ instruction: "make the sky pink" }), {
      accept: "image/webp",
    });
    expect(webp.status).toBe(201);
    expect(webp.headers.get("content-type")).toBe("image/webp");
    const json = await postEdit(
      key,
      editForm({ instruction: "make the sky pink", output: "jpeg", quality: "70" }),
    );
    expect(json.status).toBe(201);
    const resource = (await json.json()) as {
      links: { result: string; mask: string };
      result: { format: string; quality: number };
    };
    expect(resource.result).toMatchObject({ format: "jpeg", quality: 70 });
    expect((await getWith(key, resource.links.result)).headers.get("content-type")).toBe("image/jpeg");
    expect((await getWith(key, resource.links.mask)).headers.get("content-type")).toBe("image/png");
    // Same picture and instruction, two formats: two GPU calls (the format is in the cache key).
    expect((await gpuCalls("make the sky pink")).calls).toBe(2);
  });

  it("refuses a CMYK JPEG from its header: 415 unsupported_colour_space, no GPU call, nothing billed", async () => {
    const key = await createKey();
    const before = await settledUsage(key);
    const res = await postEdit(key, editForm({ instruction: "make the cmyk blue" }, jpegHeader(4)));
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: "unsupported_colour_space" });
    expect((await gpuCalls("make the cmyk blue")).calls).toBe(0);
    expect((await settledUsage(key)).billedEdits).toBe(before.billedEdits);
  });
});
