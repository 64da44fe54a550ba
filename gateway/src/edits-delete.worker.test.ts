// DELETE /v1/edits/{id}: artifacts shared by several edits with the same cache key stay while any
// of them lives, and go with the last one; no upload of the photo is ever kept.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  createKey,
  editForm,
  expectedCacheKey,
  getWith,
  gpuCalls,
  PNG_1x1,
  postEdit,
  storedKeys,
} from "../test/worker-helpers.ts";

interface Resource {
  id: string;
  links: { self: string; result: string; layer: string; mask: string };
}

const remove = (key: string, url: string) =>
  SELF.fetch(url, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });

const linkStatuses = (key: string, r: Resource) =>
  Promise.all(
    [r.links.self, r.links.result, r.links.layer, r.links.mask].map(
      async (url) => (await getWith(key, url)).status,
    ),
  );

describe("DELETE /v1/edits/{id}", () => {
  it("keeps shared artifacts for the other edit, and removes them with the last one", async () => {
    const alice = await createKey("alice");
    const bob = await createKey("bob");
    const instruction = "remove the lamp post";
    const cacheKey = await expectedCacheKey(PNG_1x1, { instruction });
    const first = await postEdit(alice, editForm({ instruction }));
    const second = await postEdit(bob, editForm({ instruction }));
    expect([first.headers.get("x-cache"), second.headers.get("x-cache")]).toEqual(["MISS", "HIT"]);
    const a = (await first.json()) as Resource;
    const b = (await second.json()) as Resource;
    expect(await storedKeys("uploads/")).toEqual([]);

    expect((await remove(alice, a.links.self)).status).toBe(204);
    expect(await linkStatuses(alice, a)).toEqual([404, 404, 404, 404]);
    expect(await linkStatuses(bob, b)).toEqual([200, 200, 200, 200]);
    expect(await storedKeys(`results/${cacheKey}/`)).toHaveLength(4);

    expect((await remove(bob, b.links.self)).status).toBe(204);
    expect(await storedKeys(`results/${cacheKey}/`)).toEqual([]);
    expect(await storedKeys("uploads/")).toEqual([]);
    expect(await linkStatuses(bob, b)).toEqual([404, 404, 404, 404]);
    expect((await remove(bob, b.links.self)).status).toBe(404);

    // Nothing of it is left to hit: the same request is computed again.
    const again = await postEdit(bob, editForm({ instruction }));
    expect(again.headers.get("x-cache")).toBe("MISS");
    expect((await gpuCalls(instruction)).calls).toBe(2);
  });
});
