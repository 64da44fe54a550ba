import { editResourceSchema } from "@zone/shared";
import { sampleGpuEditMeta } from "@zone/shared/testing";
import { describe, expect, it } from "vitest";
import { editResource } from "./edit-resource.ts";

describe("editResource", () => {
  const meta = sampleGpuEditMeta({ instruction: "make it red", seed: 9, timingsMs: { denoise: 5 } });

  it("is the schema's picked meta fields plus the edit's identity and links, nothing internal", () => {
    const resource = editResource(meta, { id: "ed_1", createdAt: 0, cache: "HIT" }, "https://api.test");
    // Every field of the schema; `hint` only when the edit had one.
    const optional = ["hint"];
    expect(Object.keys(resource).sort()).toEqual(
      Object.keys(editResourceSchema.shape)
        .filter((k) => !optional.includes(k))
        .sort(),
    );
    const hinted = editResource(
      {
        ...meta,
        hint: { kind: "box", rough: "restricted", sam: "guided", working: { x0: 0, y0: 0, x1: 2, y1: 2 } },
      },
      { id: "ed_3", createdAt: 0, cache: "MISS" },
      "",
    );
    expect(hinted.hint).toMatchObject({ kind: "box", rough: "restricted" });
    expect(resource).toMatchObject({
      id: "ed_1",
      status: "succeeded",
      createdAt: "1970-01-01T00:00:00.000Z",
      instruction: "make it red",
      pipelineVersion: meta.pipelineVersion,
      seed: 9,
      cache: "HIT",
      cached: true,
      timingsMs: { denoise: 5 },
      links: {
        self: "https://api.test/v1/edits/ed_1",
        result: "https://api.test/v1/edits/ed_1/result",
        layer: "https://api.test/v1/edits/ed_1/layer",
        mask: "https://api.test/v1/edits/ed_1/mask",
        attention: "https://api.test/v1/edits/ed_1/attention",
        canvas: "https://api.test/v1/edits/ed_1/canvas",
      },
    });
    expect(resource).not.toHaveProperty("providers");
    expect(editResource(meta, { id: "ed_2", createdAt: 0, cache: "MISS" }, "").cached).toBe(false);
  });
});
