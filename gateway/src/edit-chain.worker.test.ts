// Multi-turn chains through the Worker (the GPU function is the declared mock, whose parts name
// the edit that made them): POST /v1/edits with `parent` edits the parent's stored result; the
// cache key covers the chain; the refusals bill and call nothing; the stack lists the chain; the
// render sends the kept layers, the original upload and the last kept result to the GPU
// function's render; a parent cannot be deleted before its children.
import { env, SELF } from "cloudflare:test";
import { editJobSchema } from "@zone/shared";
import { describe, expect, it } from "vitest";
import {
  API,
  createKey,
  createKeyIn,
  editForm,
  eventually,
  getWith,
  gpuCalls,
  PNG_1x1,
  PNG_2x1,
  postEdit,
  scriptGpu,
  settledUsage,
} from "../test/worker-helpers.ts";

interface Resource {
  id: string;
  cache: string;
  links: { self: string; result: string; layer: string; mask: string; attention: string; canvas: string };
}

function childForm(parent: string, instruction: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append("parent", parent);
  form.append("instruction", instruction);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

async function created(res: Response): Promise<Resource> {
  expect(res.status).toBe(201);
  return (await res.json()) as Resource;
}

/** An upload and n-1 turns on it, instructions `${tag} 1` .. `${tag} n`. */
async function chainOf(
  key: string,
  tag: string,
  n: number,
  image: Uint8Array = PNG_1x1,
): Promise<Resource[]> {
  const turns = [await created(await postEdit(key, editForm({ instruction: `${tag} 1` }, image)))];
  for (let k = 2; k <= n; k++)
    turns.push(await created(await postEdit(key, childForm(turns[k - 2].id, `${tag} ${k}`))));
  return turns;
}

const render = (key: string, id: string, body: unknown) =>
  SELF.fetch(`${API}/v1/edits/${id}/render`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  });

const remove = (key: string, id: string) =>
  SELF.fetch(`${API}/v1/edits/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });

describe("POST /v1/edits with parent", () => {
  it("edits the parent's result: each turn's GPU input is the turn before's result part", async () => {
    const key = await createKey();
    const turns = await chainOf(key, "chain input", 4);
    expect(turns.map((t) => t.cache)).toEqual(["MISS", "MISS", "MISS", "MISS"]);
    for (let k = 2; k <= 4; k++) {
      const { calls, inputs } = await gpuCalls(`chain input ${k}`);
      expect(calls).toBe(1);
      expect(inputs[0]).toMatch(new RegExp(`result:chain input ${k - 1}$`));
    }
    // Its row names its parent, written before the answer.
    const row = await env.DB.prepare("SELECT parent_id FROM edits WHERE id = ?").bind(turns[3].id).first();
    expect(row).toEqual({ parent_id: turns[2].id });
  });

  it("keys the chain, not only the input bytes: the same result under another parent is another edit", async () => {
    const key = await createKey();
    // The mock's result depends on the instruction only: both roots' results are byte-identical.
    const [a] = await chainOf(key, "chain key", 1, PNG_1x1);
    const [b] = await chainOf(key, "chain key", 1, PNG_2x1);
    const onA = await created(await postEdit(key, childForm(a.id, "chain key child")));
    const onB = await created(await postEdit(key, childForm(b.id, "chain key child")));
    expect([onA.cache, onB.cache]).toEqual(["MISS", "MISS"]);
    // The same parent and instruction again is a hit, with its row (naming the parent) already written.
    const again = await created(await postEdit(key, childForm(a.id, "chain key child")));
    expect(again.cache).toBe("HIT");
    const row = await env.DB.prepare("SELECT parent_id, cache FROM edits WHERE id = ?")
      .bind(again.id)
      .first();
    expect(row).toEqual({ parent_id: a.id, cache: "HIT" });
    expect((await gpuCalls("chain key child")).calls).toBe(2);
  });

  it("refuses both, neither, an unknown, another account's and a lossy parent, billing and calling nothing", async () => {
    const alice = await createKeyIn("alice");
    const bob = await createKey("bob");
    const [root] = await chainOf(alice.key, "chain refuse", 1);
    const jpeg = await created(
      await postEdit(alice.key, editForm({ instruction: "chain refuse jpeg", output: "jpeg" })),
    );
    const before = await settledUsage(alice.key);
    const both = editForm({ instruction: "chain refuse child", parent: root.id });
    const neither = new FormData();
    neither.append("instruction", "chain refuse child");
    const cases: Array<[string, string, FormData, number, string]> = [
      ["both", alice.key, both, 422, "image_or_parent"],
      ["neither", alice.key, neither, 422, "image_or_parent"],
      ["unknown", alice.key, childForm(`ed_${"A".repeat(80)}`, "chain refuse child"), 404, "not_found"],
      ["not an id", alice.key, childForm("nope", "chain refuse child"), 404, "not_found"],
      ["another account's", bob, childForm(root.id, "chain refuse child"), 404, "not_found"],
      ["lossy", alice.key, childForm(jpeg.id, "chain refuse child"), 422, "lossy_parent"],
    ];
    for (const [what, key, form, status, code] of cases) {
      const res = await postEdit(key, form);
      expect(res.status, what).toBe(status);
      expect(res.headers.get("content-type"), what).toBe("application/problem+json");
      const problem = (await res.json()) as { code: string; detail: string };
      expect(problem.code, what).toBe(code);
      if (code !== "not_found") expect(problem.detail, what).toMatch(/parent/);
    }
    expect((await gpuCalls("chain refuse child")).calls).toBe(0);
    expect((await settledUsage(alice.key)).billedEdits).toBe(before.billedEdits);
  });
});

describe("GET /v1/edits/{id}/stack and /original", () => {
  it("lists the chain from the upload to this edit, each turn with its links", async () => {
    const key = await createKey();
    const turns = await chainOf(key, "chain stack", 3);
    const res = await getWith(key, `${turns[2].links.self}/stack`);
    expect(res.status).toBe(200);
    const stack = (await res.json()) as {
      id: string;
      original: { link: string; width: number };
      turns: Array<{
        turn: number;
        id: string;
        instruction: string;
        links: Resource["links"];
        changedBox: unknown;
      }>;
    };
    expect(stack.id).toBe(turns[2].id);
    expect(stack.turns.map((t) => [t.turn, t.id, t.instruction])).toEqual(
      turns.map((t, i) => [i + 1, t.id, `chain stack ${i + 1}`]),
    );
    expect(stack.turns[1].links).toEqual(turns[1].links);
    expect(stack.turns[0]).toHaveProperty("changedBox");
    const original = await getWith(key, stack.original.link);
    expect(original.status).toBe(200);
    expect(new Uint8Array(await original.arrayBuffer())).toEqual(PNG_1x1);
    // The first turn's stack is itself; another account sees nothing.
    const first = (await (await getWith(key, `${turns[0].links.self}/stack`)).json()) as { turns: unknown[] };
    expect(first.turns).toHaveLength(1);
    expect((await getWith(await createKey(), `${turns[2].links.self}/stack`)).status).toBe(404);
  });
});

describe("POST /v1/edits/{id}/render", () => {
  interface Receipt {
    original: string;
    layers: string[];
    reference: string | null;
    params: { rings: string[]; output: string; quality?: number };
  }
  const receipt = async (res: Response) => {
    expect(res.status).toBe(200);
    return JSON.parse(new TextDecoder().decode(await res.arrayBuffer())) as Receipt;
  };

  it("sends the kept layers in order, the original and the last kept result; free", async () => {
    const key = await createKey();
    const turns = await chainOf(key, "chain render", 4);
    const before = await settledUsage(key);
    const all = await receipt(await render(key, turns[3].id, {}));
    expect(all.layers.map((l) => l.slice(-20))).toEqual(
      [1, 2, 3, 4].map((k) => `layer:chain render ${k}`.slice(-20)),
    );
    expect(all.reference).toMatch(/result:chain render 4$/);
    expect(all.original).toBe(new TextDecoder().decode(PNG_1x1).slice(-80));
    expect(all.params).toEqual({ rings: ["round", "round", "round", "round"], output: "png" });
    // Undo: without the last turn, the parent's result is the reference.
    const undo = await receipt(await render(key, turns[3].id, { without: [turns[3].id] }));
    expect(undo.layers).toHaveLength(3);
    expect(undo.reference).toMatch(/result:chain render 3$/);
    // A middle turn left out.
    const res = await render(key, turns[3].id, { without: [turns[1].id], output: "jpeg", quality: 70 });
    expect(res.headers.get("x-render-turns")).toBe("1,3,4");
    const middle = await receipt(res);
    expect(middle.layers.map((l) => l.match(/chain render \d$/)?.[0])).toEqual([
      "chain render 1",
      "chain render 3",
      "chain render 4",
    ]);
    expect(middle.params).toMatchObject({ output: "jpeg", quality: 70 });
    // Every turn left out: the original alone, no reference.
    const none = await receipt(await render(key, turns[3].id, { without: turns.map((t) => t.id) }));
    expect([none.layers, none.reference]).toEqual([[], null]);
    expect((await settledUsage(key)).billedEdits).toBe(before.billedEdits);
  });

  it("refuses a turn of another chain (422 not_in_chain), bad JSON and unknown fields (400)", async () => {
    const key = await createKey();
    const turns = await chainOf(key, "chain render refuse", 2);
    const [other] = await chainOf(key, "chain render other", 1);
    const notIn = await render(key, turns[1].id, { without: [other.id] });
    expect(notIn.status).toBe(422);
    expect(((await notIn.json()) as { code: string }).code).toBe("not_in_chain");
    expect((await render(key, turns[1].id, "{")).status).toBe(400);
    expect((await render(key, turns[1].id, { without: [], sam: "off" })).status).toBe(400);
    expect((await render(key, turns[1].id, { quality: 50 })).status).toBe(400);
    expect((await render(await createKey(), turns[1].id, {})).status).toBe(404);
  });
});

describe("DELETE in a chain", () => {
  it("refuses to delete a parent of a live edit (409 has_children), then deletes from the tip", async () => {
    const key = await createKey();
    const turns = await chainOf(key, "chain delete", 3);
    const refused = await remove(key, turns[1].id);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe("has_children");
    expect((await remove(key, turns[2].id)).status).toBe(204);
    expect((await remove(key, turns[1].id)).status).toBe(204);
    expect((await remove(key, turns[0].id)).status).toBe(204);
  });
});

describe("OpenAPI of chains", () => {
  it("documents parent, the stack, the original and the render, each with its operation id", async () => {
    const spec = (await (await SELF.fetch(`${API}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId?: string; requestBody?: unknown }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(spec.paths["/v1/edits/{id}/stack"].get.operationId).toBe("getEditStack");
    expect(spec.paths["/v1/edits/{id}/original"].get.operationId).toBe("getEditOriginal");
    expect(spec.paths["/v1/edits/{id}/render"].post.operationId).toBe("renderEditStack");
    expect(spec.components.schemas).toHaveProperty("EditStack");
    expect(spec.components.schemas).toHaveProperty("RenderRequest");
    expect(JSON.stringify(spec.paths["/v1/edits"].post.requestBody)).toMatch(/"parent":\{"type":"string"/);
  });
});

describe("an async job's id as a chain's turn", () => {
  it("is a parent, a turn of the stack and a render's tip once succeeded; not before", async () => {
    const key = await createKey();
    const submitted = await postEdit(key, editForm({ instruction: "chain job 1" }, PNG_1x1), {
      prefer: "respond-async",
    });
    expect(submitted.status).toBe(202);
    const job = editJobSchema.parse(await submitted.json());
    expect(job.id).toMatch(/^ej_/);
    const done = await eventually(
      async () => editJobSchema.parse(await (await getWith(key, job.links.self)).json()),
      (j) => j.finishedAt !== null,
      5_000,
    );
    expect(done.status).toBe("succeeded");
    // The job continues as a parent: the next turn's GPU input is the job's result.
    const next = await created(await postEdit(key, childForm(job.id, "chain job 2")));
    const { inputs } = await gpuCalls("chain job 2");
    expect(inputs[0]).toMatch(/result:chain job 1$/);
    const stack = (await (await getWith(key, `${next.links.self}/stack`)).json()) as {
      turns: Array<{ id: string; instruction: string }>;
    };
    expect(stack.turns.map((t) => [t.id, t.instruction])).toEqual([
      [job.id, "chain job 1"],
      [next.id, "chain job 2"],
    ]);
    // Undo the second turn: the render's tip is the job, its result the job's.
    const undo = await render(key, next.id, { without: [next.id] });
    expect(undo.status).toBe(200);
    expect(undo.headers.get("x-render-turns")).toBe("1");
    // A job still running (the GPU mock holds it) is no turn yet.
    await scriptGpu("hang", "chain job open", { ms: "1500" });
    const open = editJobSchema.parse(
      await (
        await postEdit(key, editForm({ instruction: "chain job open" }, PNG_2x1), { prefer: "respond-async" })
      ).json(),
    );
    expect(open.finishedAt).toBeNull();
    const refused = await postEdit(key, childForm(open.id, "chain job 3"));
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/once the job has succeeded/);
    expect((await getWith(key, `${open.links.self}/stack`)).status).toBe(404);
    expect((await gpuCalls("chain job 3")).calls).toBe(0);
  });
});
