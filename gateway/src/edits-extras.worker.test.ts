// An edit's attention heatmap and canvas are stored with its other artifacts and served at
// /v1/edits/{id}/attention and /canvas; a compose has neither (404 saying so).
import { SELF } from "cloudflare:test";
import { EDIT_ARTIFACTS, editResourceSchema } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { mockPart } from "../test/mock-parts.ts";
import { createKey, editForm, getWith, PNG_1x1, postEdit, storedKeys } from "../test/worker-helpers.ts";

describe("attention and canvas artifacts", () => {
  it("are linked from the edit, stored beside its result, and served as PNG", async () => {
    const key = await createKey();
    const instruction = "extras: make the boat yellow";
    const res = await postEdit(key, editForm({ instruction }));
    const edit = editResourceSchema.parse(await res.json());
    expect(edit.links.attention).toBe(`${edit.links.self}/attention`);
    expect(edit.links.canvas).toBe(`${edit.links.self}/canvas`);
    for (const name of ["attention", "canvas"] as const) {
      const part = await getWith(key, edit.links[name]);
      expect([part.status, part.headers.get("content-type")]).toEqual([200, "image/png"]);
      expect(new Uint8Array(await part.arrayBuffer())).toEqual(mockPart(name, instruction));
    }
    const stored = (await storedKeys("results/")).filter((k) => k.endsWith("/canvas.png"));
    expect(stored.length).toBeGreaterThan(0);
    expect(EDIT_ARTIFACTS).toEqual(["result", "layer", "mask", "attention", "canvas"]);
  });

  it("are not there for a compose: 404 saying why", async () => {
    const key = await createKey();
    const form = new FormData();
    form.append("image", new Blob([PNG_1x1], { type: "image/png" }), "image.png");
    form.append(
      "edited",
      new Blob([PNG_1x1, new TextEncoder().encode("extras")], { type: "image/png" }),
      "e.png",
    );
    form.append("sam", "off");
    const res = await SELF.fetch("https://api.test/v1/compose", {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${key}` },
    });
    const compose = (await res.json()) as { links: { self: string } };
    const attention = await getWith(key, `${compose.links.self}/attention`);
    expect(attention.status).toBe(404);
    expect(((await attention.json()) as { detail: string }).detail).toMatch(
      /has no attention stored \(a compose has none/,
    );
    expect((await getWith(key, `${compose.links.self}/result`)).status).toBe(200);
  });
});
