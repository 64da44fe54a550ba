// Edit ids are verifiable references (edits/edit-id.ts): until a free hit's row lands, GET answers
// from the id alone, so the id must prove it was made by this gateway for this account. Forged
// ids (another cache key, a changed tag), another account's ids and malformed ids are all 404,
// with the message of an unknown edit; a deleted edit is 404 although its id still verifies.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mockPart } from "../test/mock-parts.ts";
import {
  API,
  createKey,
  createKeyIn,
  editForm,
  editRow,
  expectedCacheKey,
  getWith,
  hitsWritten,
  PNG_1x1,
  postEdit,
} from "../test/worker-helpers.ts";
import { decodeEditId, encodeEditId, verifyEditId } from "./edits/edit-id.ts";
import { holdHitFlushes } from "./edits/hit-recorder.ts";

interface Resource {
  id: string;
  links: { self: string; result: string; layer: string; mask: string };
}

const url = (id: string, artifact?: string) => `${API}/v1/edits/${id}${artifact ? `/${artifact}` : ""}`;

/** GET of the id and of its result: both 404 with the unknown-edit message. */
async function expectUnknown(key: string, id: string): Promise<void> {
  for (const target of [url(id), url(id, "result")]) {
    const res = await getWith(key, target);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { detail: string }).detail).toBe(`no edit ${id}`);
  }
}

/** A HIT answered while the recorder is held, so its id has no row: GET can go by the id only. */
async function heldHit(key: string, instruction: string, run: (hit: Resource) => Promise<void>) {
  expect((await postEdit(key, editForm({ instruction }))).headers.get("x-cache")).toBe("MISS");
  const release = holdHitFlushes();
  try {
    const answer = await postEdit(key, editForm({ instruction }));
    expect(answer.headers.get("x-cache")).toBe("HIT");
    const hit = (await answer.json()) as Resource;
    expect(await editRow(hit.id)).toBeNull();
    expect((await getWith(key, hit.links.result)).status).toBe(200);
    await run(hit);
  } finally {
    release();
  }
}

describe("edit ids", () => {
  it("a forged id is 404: another result's cache key in it, or one changed byte of its tag", async () => {
    const alice = await createKey("alice");
    const bob = await createKeyIn("bob");
    // Bob's result exists; Alice tries to reach it by putting its cache key in her own id.
    const bobs = "make the tent green";
    expect((await postEdit(bob.key, editForm({ instruction: bobs }))).status).toBe(201);
    const bobsKey = await expectedCacheKey(PNG_1x1, { instruction: bobs }, bob);
    await heldHit(alice, "make the tent red", async (hit) => {
      const fields = decodeEditId(hit.id);
      expect(fields).not.toBeNull();
      if (fields === null) return;
      const swapped = encodeEditId({ ...fields, cacheKey: bobsKey }, fields.nonce, fields.tag);
      await expectUnknown(alice, swapped);
      for (const i of [0, 11]) {
        const tag = fields.tag.slice();
        tag[i] ^= 0x01;
        await expectUnknown(alice, encodeEditId(fields, fields.nonce, tag));
      }
      const nonce = fields.nonce.slice();
      nonce[0] ^= 0x80;
      await expectUnknown(alice, encodeEditId(fields, nonce, fields.tag));
      await expectUnknown(alice, encodeEditId({ ...fields, cache: "MISS" }, fields.nonce, fields.tag));
      // The untouched id still works, and says what was answered.
      const self = await getWith(alice, hit.links.self);
      expect(self.status).toBe(200);
      expect(((await self.json()) as { cache: string }).cache).toBe("HIT");
    });
  });

  it("another account's id is 404, with the same message as an unknown one, before and after its row lands", async () => {
    const owner = await createKey("owner");
    const stranger = await createKey("stranger");
    const instruction = "make the scarf yellow";
    let id = "";
    await heldHit(owner, instruction, async (hit) => {
      id = hit.id;
      await expectUnknown(stranger, hit.id);
      for (const artifact of ["layer", "mask"])
        expect((await getWith(stranger, url(hit.id, artifact))).status).toBe(404);
      const del = await SELF.fetch(hit.links.self, {
        method: "DELETE",
        headers: { authorization: `Bearer ${stranger}` },
      });
      expect(del.status).toBe(404);
      expect(await editRow(hit.id)).toBeNull();
    });
    await hitsWritten();
    expect(await editRow(id)).not.toBeNull();
    await expectUnknown(stranger, id);
    const mine = await getWith(owner, url(id, "result"));
    expect(new Uint8Array(await mine.arrayBuffer())).toEqual(mockPart("result", instruction));
  });

  it("a malformed id is 404", async () => {
    const key = await createKey();
    const real = ((await (await postEdit(key, editForm({ instruction: "add a cloud" }))).json()) as Resource)
      .id;
    for (const id of [
      "ed_short",
      `ed_${"A".repeat(80)}`,
      `${real}A`,
      real.slice(0, -1),
      real.replace("ed_", "ex_"),
      `ed_${real.slice(3, 40)}+${real.slice(41)}`,
    ])
      await expectUnknown(key, id);
  });

  it("ids are unique per request, and a hit's id verifies only for its account and this secret", async () => {
    const key = await createKey();
    const instruction = "add a small boat";
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(((await (await postEdit(key, editForm({ instruction }))).json()) as Resource).id);
    expect(new Set(ids).size).toBe(4);
    const accountId = (
      await env.DB.prepare("SELECT account_id FROM edits WHERE id = ?").bind(ids[0]).first<{
        account_id: string;
      }>()
    )?.account_id;
    expect(accountId).toBeTruthy();
    const ref = await verifyEditId(env.KEY_PEPPER, accountId ?? "", ids[1]);
    expect(ref?.cacheKey).toBe(
      await expectedCacheKey(PNG_1x1, { instruction }, { accountId: accountId ?? "" }),
    );
    expect(ref?.cache).toBe("HIT");
    expect(await verifyEditId(`${env.KEY_PEPPER}!`, accountId ?? "", ids[1])).toBeNull();
    expect(await verifyEditId(env.KEY_PEPPER, `${accountId}x`, ids[1])).toBeNull();
  });
});
