// What POST /v1/edits answers, for each cache state (MISS, HIT, COALESCED): the image with
// Accept: image/*, links that work at once (also while a free hit's row is not written yet: the
// id is a verifiable reference), X-Request-Id (also forwarded to the GPU function),
// this request's Server-Timing, one cleaning of the instruction, one store of the meta, no upload
// kept, and a GPU answer from another pipeline version refused.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { cleanInstruction } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { MOCK_TIMINGS_MS } from "../test/gpu-mock.ts";
import { mockPart } from "../test/mock-parts.ts";
import {
  createKey,
  createKeyIn,
  editForm,
  editRow,
  expectedCacheKey,
  getWith,
  gpuCalls,
  hitsWritten,
  PNG_1x1,
  postEdit,
  scriptGpu,
  settledUsage,
  storedKeys,
  usageOf,
} from "../test/worker-helpers.ts";
import { app } from "./app.ts";
import { holdHitFlushes } from "./edits/hit-recorder.ts";

interface Resource {
  id: string;
  instruction: string;
  cache: string;
  timingsMs: Record<string, number>;
  links: { self: string; result: string; layer: string; mask: string };
}

const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());

/** Fetches every link of an edit at once and checks each answer. */
async function expectLinksWork(key: string, resource: Resource, instruction: string): Promise<void> {
  const [self, ...parts] = await Promise.all(
    [resource.links.self, resource.links.result, resource.links.layer, resource.links.mask].map((url) =>
      getWith(key, url),
    ),
  );
  expect([self, ...parts].map((r) => r.status)).toEqual([200, 200, 200, 200]);
  expect(((await self.json()) as Resource).id).toBe(resource.id);
  const names = ["result", "layer", "mask"];
  for (const [i, part] of parts.entries()) expect(await bytes(part)).toEqual(mockPart(names[i], instruction));
}

describe("POST /v1/edits answers", () => {
  it.each([["image/png"], ["image/*"]])(
    "Accept: %s gives the result PNG on MISS, HIT and COALESCED, equal to GET .../result",
    async (accept) => {
      const key = await createKey();
      const instruction = `paint the fence (${accept})`;
      const expected = mockPart("result", instruction);
      const miss = await postEdit(key, editForm({ instruction }), { accept });
      expect(miss.status).toBe(201);
      expect(miss.headers.get("x-cache")).toBe("MISS");
      expect(miss.headers.get("content-type")).toBe("image/png");
      expect(await bytes(miss)).toEqual(expected);
      const hit = await postEdit(key, editForm({ instruction }), { accept });
      expect([hit.status, hit.headers.get("x-cache")]).toEqual([201, "HIT"]);
      expect(await bytes(hit)).toEqual(expected);
      const location = hit.headers.get("location");
      expect(location).toBeTruthy();
      expect(await bytes(await getWith(key, `${location}/result`))).toEqual(expected);

      const again = `${instruction} again`;
      await scriptGpu("hang", again, { ms: "400" });
      const concurrent = await Promise.all(
        Array.from({ length: 5 }, () => postEdit(key, editForm({ instruction: again }), { accept })),
      );
      const states = concurrent.map((r) => r.headers.get("x-cache"));
      expect(states.filter((s) => s === "MISS")).toHaveLength(1);
      expect(states).toContain("COALESCED");
      for (const r of concurrent) {
        expect(r.status).toBe(201);
        expect(await bytes(r)).toEqual(mockPart("result", again));
      }
      expect(await settledUsage(key)).toMatchObject({ billedEdits: 2, cacheHits: 5, totalRequests: 7 });
    },
  );

  it("every link works the moment a HIT or COALESCED answer arrives, and usage counts each answer once written", async () => {
    const key = await createKey();
    const instruction = "make the door green";
    const first = (await (await postEdit(key, editForm({ instruction }))).json()) as Resource;
    await expectLinksWork(key, first, instruction);
    for (let i = 0; i < 3; i++) {
      const hit = await postEdit(key, editForm({ instruction }));
      expect(hit.headers.get("x-cache")).toBe("HIT");
      await expectLinksWork(key, (await hit.json()) as Resource, instruction);
    }
    expect(await settledUsage(key)).toMatchObject({ billedEdits: 1, cacheHits: 3, totalRequests: 4 });

    const together = "make the door blue";
    await scriptGpu("hang", together, { ms: "400" });
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => postEdit(key, editForm({ instruction: together }))),
    );
    const coalesced = answers.filter((r) => r.headers.get("x-cache") === "COALESCED");
    expect(coalesced.length).toBeGreaterThan(0);
    for (const r of answers) await expectLinksWork(key, (await r.json()) as Resource, together);
    expect(await settledUsage(key)).toMatchObject({ billedEdits: 2, cacheHits: 6, totalRequests: 8 });
  });

  it("every link of a HIT and of a COALESCED answer works while its row is not written (recorder held)", async () => {
    const key = await createKey();
    const instruction = "make the boat red";
    expect((await postEdit(key, editForm({ instruction }))).headers.get("x-cache")).toBe("MISS");
    const together = "make the boat blue";
    await scriptGpu("hang", together, { ms: "300" });
    const release = holdHitFlushes();
    const held: string[] = [];
    try {
      const hit = await postEdit(key, editForm({ instruction }));
      expect(hit.headers.get("x-cache")).toBe("HIT");
      const resource = (await hit.json()) as Resource;
      held.push(resource.id);
      expect(await editRow(resource.id)).toBeNull();
      await expectLinksWork(key, resource, instruction);
      expect(await getWith(key, resource.links.self).then((r) => r.json())).toEqual(resource);

      const answers = await Promise.all(
        Array.from({ length: 3 }, () => postEdit(key, editForm({ instruction: together }))),
      );
      const coalesced = answers.filter((r) => r.headers.get("x-cache") === "COALESCED");
      expect(coalesced.length).toBeGreaterThan(0);
      for (const r of coalesced) {
        const edit = (await r.json()) as Resource;
        held.push(edit.id);
        expect(await editRow(edit.id)).toBeNull();
        await expectLinksWork(key, edit, together);
        expect(((await getWith(key, edit.links.self).then((s) => s.json())) as Resource).cache).toBe(
          "COALESCED",
        );
      }
      // Still unwritten: the links above were answered from the ids alone.
      for (const id of held) expect(await editRow(id)).toBeNull();
      expect((await usageOf(key)).cacheHits).toBe(0);
    } finally {
      release();
    }
    await hitsWritten();
    const rows = await Promise.all(held.map(editRow));
    expect(rows.map((r) => [r?.cache, r?.kind])).toEqual([
      ["HIT", "cache_hit"],
      ...held.slice(1).map(() => ["COALESCED", "cache_hit"]),
    ]);
    expect(await usageOf(key)).toMatchObject({ billedEdits: 2, cacheHits: 3, totalRequests: 5 });
  });

  it("writes a MISS's row and ledger entry before its answer, a HIT's after it, however slow D1 is, and the HIT's links work at once", async () => {
    const key = await createKey();
    const instruction = "make the kite orange";
    // The app itself, on a D1 whose batches (the edit and ledger writes) take 300 ms.
    const slowDb = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "batch")
          return async (statements: D1PreparedStatement[]) => {
            await new Promise((r) => setTimeout(r, 300));
            return target.batch(statements);
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const post = async () => {
      const ctx = createExecutionContext();
      const response = await app.fetch(
        new Request("https://api.test/v1/edits", {
          method: "POST",
          body: editForm({ instruction }),
          headers: { authorization: `Bearer ${key}` },
        }),
        { ...env, DB: slowDb },
        ctx,
      );
      const resource = (await response.json()) as Resource;
      return { ctx, resource, state: response.headers.get("x-cache"), row: await editRow(resource.id) };
    };
    const miss = await post();
    expect([miss.state, miss.row?.cache, miss.row?.kind]).toEqual(["MISS", "MISS", "billed"]);
    await waitOnExecutionContext(miss.ctx);

    const hit = await post();
    expect([hit.state, hit.row]).toEqual(["HIT", null]);
    await expectLinksWork(key, hit.resource, instruction);
    expect(await editRow(hit.resource.id)).toBeNull();
    await waitOnExecutionContext(hit.ctx);
    expect(await editRow(hit.resource.id)).toMatchObject({
      cache: "HIT",
      kind: "cache_hit",
      deleted_at: null,
    });
  });

  it("puts X-Request-Id on 201 answers (JSON and image) and forwards it to the GPU function", async () => {
    const key = await createKey();
    const instruction = "add a red balloon";
    const miss = await postEdit(key, editForm({ instruction }));
    expect(miss.status).toBe(201);
    const id = miss.headers.get("x-request-id");
    expect(id).toBeTruthy();
    expect((await gpuCalls(instruction)).requestIds).toEqual([id]);
    const hit = await postEdit(key, editForm({ instruction }), { accept: "image/png" });
    expect(hit.status).toBe(201);
    expect(hit.headers.get("x-request-id")).toBeTruthy();
    expect(hit.headers.get("x-request-id")).not.toBe(id);
    const given = await postEdit(key, editForm({ instruction: "add a blue balloon" }), {
      "x-request-id": "client-chosen-1",
    });
    expect(given.headers.get("x-request-id")).toBe("client-chosen-1");
    expect((await gpuCalls("add a blue balloon")).requestIds).toEqual(["client-chosen-1"]);
  });

  it("Server-Timing is this request's: the GPU stages on a MISS, only the gateway's spans on a HIT", async () => {
    const key = await createKey();
    const instruction = "make the car yellow";
    const miss = await postEdit(key, editForm({ instruction }));
    const missTiming = miss.headers.get("server-timing") ?? "";
    expect(missTiming).toContain(`gpu-denoise;dur=${MOCK_TIMINGS_MS.denoise}`);
    expect(missTiming).toContain('cache;desc="MISS"');
    expect(missTiming).toMatch(/(^|, )total;dur=\d/);
    const hit = await postEdit(key, editForm({ instruction }));
    const hitTiming = hit.headers.get("server-timing") ?? "";
    expect(hitTiming).toContain('cache;desc="HIT"');
    expect(hitTiming).toMatch(/(^|, )total;dur=\d/);
    expect(hitTiming).not.toMatch(/gpu-|denoise/);
    // The resource keeps the GPU's timings of the computation that made the result.
    expect(((await hit.json()) as Resource).timingsMs).toEqual(MOCK_TIMINGS_MS);
  });

  it("cleans the instruction once: the GPU and the meta get exactly the cleaned text", async () => {
    const key = await createKey();
    const raw = "  Make\u00a0the   CAT\tblue &amp; white ";
    const cleaned = cleanInstruction(raw);
    const created = (await (await postEdit(key, editForm({ instruction: raw }))).json()) as Resource;
    expect(created.instruction).toBe(cleaned);
    expect((await gpuCalls(cleaned)).calls).toBe(1);
    expect((await getWith(key, created.links.self).then((r) => r.json())) as Resource).toEqual(created);
  });

  it("stores the meta once, in R2, and the upload only as the result's original (for a chain's render)", async () => {
    const owner = await createKeyIn("owner");
    const key = owner.key;
    const instruction = "make the roof red";
    const created = (await (await postEdit(key, editForm({ instruction, seed: "4" }))).json()) as Resource;
    const cacheKey = await expectedCacheKey(PNG_1x1, { instruction, seed: 4 }, owner);
    expect((await storedKeys(`results/${cacheKey}/`)).sort()).toEqual(
      ["attention.png", "canvas.png", "layer.png", "mask.png", "meta.json", "original.png", "result.png"].map(
        (n) => `results/${cacheKey}/${n}`,
      ),
    );
    const original = await env.ARTIFACTS.get(`results/${cacheKey}/original.png`);
    expect(new Uint8Array((await original?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(PNG_1x1);
    expect(await storedKeys("uploads/")).toEqual([]);
    const row = await env.DB.prepare("SELECT cache_key, meta FROM edits WHERE id = ?")
      .bind(created.id)
      .first<{ cache_key: string; meta: string | null }>();
    expect(row).toEqual({ cache_key: cacheKey, meta: null });
  });

  it("refuses a GPU answer from another pipeline version: 502, nothing stored, nothing billed", async () => {
    const owner = await createKeyIn("owner");
    const key = owner.key;
    const instruction = "make the bike silver";
    await scriptGpu("pipeline", instruction, { v: "zone-r0-deadbeef" });
    const refused = await postEdit(key, editForm({ instruction }));
    expect(refused.status).toBe(502);
    const problem = (await refused.json()) as { code: string; detail: string };
    expect(problem.code).toBe("upstream_error");
    expect(problem.detail).toContain("zone-r0-deadbeef");
    const cacheKey = await expectedCacheKey(PNG_1x1, { instruction }, owner);
    expect(await storedKeys(`results/${cacheKey}/`)).toEqual([]);
    expect((await usageOf(key)).totalRequests).toBe(0);
    const next = await postEdit(key, editForm({ instruction }));
    expect([next.status, next.headers.get("x-cache")]).toEqual([201, "MISS"]);
    expect((await gpuCalls(instruction)).calls).toBe(2);
  });
});
