// POST /v1/compose in workerd against the GPU mock: a compose is billed once as its own (cheaper)
// operation, cached by both images' hashes, the rough mask's and the params, readable, servable and
// deletable as an edit of the account; every bad input is a 4xx problem+json naming the field,
// with no GPU call, nothing stored and nothing billed.
import { env, SELF } from "cloudflare:test";
import { composeResourceSchema, gpuComposeParamsSchema, PIPELINE_VERSION } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { composeTag } from "../test/gpu-mock.ts";
import { mockPart } from "../test/mock-parts.ts";
import {
  API,
  createKeyIn,
  getWith,
  gpuCalls,
  PNG_1x1,
  PNG_2x1,
  scriptGpu,
  storedKeys,
} from "../test/worker-helpers.ts";
import { DEFAULT_PRICES } from "./billing/prices.ts";
import { cacheScope, sha256Hex } from "./cache/cache-key.ts";
import { composeCacheKey } from "./compose/compose-key.ts";

const COMPOSE = DEFAULT_PRICES.compose;
const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" };

/** PNG_1x1 with `tag` after its IEND: a distinct edited image whose composes the mock counts apart. */
function tagged(tag: string, base: Uint8Array = PNG_1x1): Uint8Array {
  const tail = new TextEncoder().encode(tag);
  const out = new Uint8Array(base.length + tail.length);
  out.set(base);
  out.set(tail, base.length);
  return out;
}

function composeForm(
  files: Partial<Record<"image" | "edited" | "rough", Uint8Array | string>>,
  fields: Record<string, string> = {},
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(files)) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, new Blob([value], { type: "image/png" }), `${name}.png`);
  }
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

function postCompose(key: string, form: FormData, headers: Record<string, string> = {}) {
  return SELF.fetch(`${API}/v1/compose`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
}

async function liveAccount(name: string, balance: number) {
  const owner = await createKeyIn(name, undefined, "live");
  const url = `${API}/admin/accounts/${owner.accountId}/credits`;
  const { balance: start } = (await (await SELF.fetch(url, { headers: admin })).json()) as {
    balance: number;
  };
  await SELF.fetch(url, { method: "POST", headers: admin, body: JSON.stringify({ units: balance - start }) });
  return owner;
}

async function balanceOf(accountId: string): Promise<{ balance: number; held: number }> {
  const res = await SELF.fetch(`${API}/admin/accounts/${accountId}/credits`, { headers: admin });
  return (await res.json()) as { balance: number; held: number };
}

async function billed(accountId: string) {
  const { results } = await env.DB.prepare(
    "SELECT operation, units FROM ledger WHERE account_id = ? AND kind = 'billed'",
  )
    .bind(accountId)
    .all<{ operation: string; units: number }>();
  return results;
}

const calls = async (edited: Uint8Array) => (await gpuCalls(`compose:${composeTag(edited)}`)).calls;

describe("POST /v1/compose", () => {
  it("composes once, bills `compose` at its price, answers a repeat from cache, and reads back as an edit", async () => {
    const owner = await liveAccount("composer", 100);
    const edited = tagged("c1");
    const res = await postCompose(owner.key, composeForm({ image: PNG_1x1, edited }, { sam: "off" }));
    expect([res.status, res.headers.get("x-cache")]).toEqual([201, "MISS"]);
    const resource = composeResourceSchema.parse(await res.json());
    expect(resource).toMatchObject({
      kind: "compose",
      status: "succeeded",
      cache: "MISS",
      cached: false,
      pipelineVersion: PIPELINE_VERSION,
      roughSource: "difference",
      segment: null,
      fallback: { fineMask: true, reason: "no-candidates" },
      edited: { resize: "none" },
    });
    expect(res.headers.get("location")).toBe(resource.links.self);
    expect(resource.links.self).toBe(`${API}/v1/edits/${resource.id}`);
    expect(COMPOSE).toBeLessThan(DEFAULT_PRICES.fast_edit);
    expect(await balanceOf(owner.accountId)).toMatchObject({ balance: 100 - COMPOSE, held: 0 });
    expect(await billed(owner.accountId)).toEqual([{ operation: "compose", units: COMPOSE }]);

    const repeat = await postCompose(owner.key, composeForm({ image: PNG_1x1, edited }, { sam: "off" }));
    expect(repeat.headers.get("x-cache")).toBe("HIT");
    expect(await calls(edited)).toBe(1);
    expect((await balanceOf(owner.accountId)).balance).toBe(100 - COMPOSE);

    // The id is an edit of the account: its resource, its artifacts, its deletion.
    const read = await getWith(owner.key, resource.links.self);
    expect(read.status).toBe(200);
    expect(composeResourceSchema.parse(await read.json())).toMatchObject({
      id: resource.id,
      kind: "compose",
    });
    for (const name of ["result", "layer", "mask"] as const) {
      const part = await getWith(owner.key, resource.links[name]);
      expect(new Uint8Array(await part.arrayBuffer())).toEqual(
        mockPart(name, `compose:${composeTag(edited)}`),
      );
    }
    const gone = await SELF.fetch(resource.links.self, {
      method: "DELETE",
      headers: { authorization: `Bearer ${owner.key}` },
    });
    expect(gone.status).toBe(204);
    expect((await getWith(owner.key, resource.links.self)).status).toBe(404);
  });

  it("keys the cache on both images, the rough mask and the params, apart from every edit", async () => {
    const owner = await createKeyIn("keyed");
    const edited = tagged("c2");
    const first = await postCompose(owner.key, composeForm({ image: PNG_1x1, edited }));
    expect(first.headers.get("x-cache")).toBe("MISS");
    const { outputs: _, ...params } = gpuComposeParamsSchema.parse({});
    const key = await composeCacheKey({
      imageSha256: await sha256Hex(PNG_1x1),
      editedSha256: await sha256Hex(edited),
      roughSha256: null,
      params,
      scope: cacheScope(env, { accountId: owner.accountId, environment: "test" }),
      bundleVersion: env.BUNDLE_VERSION,
      pipelineVersion: PIPELINE_VERSION,
    });
    expect((await storedKeys(`results/${key}/`)).sort()).toEqual(
      ["layer.png", "mask.png", "meta.json", "result.png"].map((n) => `results/${key}/${n}`),
    );
    const variants: Array<[string, FormData]> = [
      ["another original", composeForm({ image: PNG_2x1, edited })],
      ["a rough mask", composeForm({ image: PNG_1x1, edited, rough: PNG_1x1 })],
      ["another rough mask", composeForm({ image: PNG_1x1, edited, rough: PNG_2x1 })],
      ["sam off", composeForm({ image: PNG_1x1, edited }, { sam: "off" })],
      ["action remove", composeForm({ image: PNG_1x1, edited }, { action: "remove" })],
      ["mask size", composeForm({ image: PNG_1x1, edited }, { maskSize: "original" })],
    ];
    for (const [what, form] of variants)
      expect((await postCompose(owner.key, form)).headers.get("x-cache"), what).toBe("MISS");
    expect(await calls(edited)).toBe(1 + variants.length);
    // The mock says what it was sent: remove segments the original, a given mask is "given".
    const remove = await postCompose(
      owner.key,
      composeForm({ image: PNG_1x1, edited }, { action: "remove" }),
    );
    expect(await remove.json()).toMatchObject({ cache: "HIT", segment: { image: "original" } });
  });

  it("refuses bad input with a 4xx naming the field: no GPU call, nothing stored or billed", async () => {
    const owner = await liveAccount("careless", 100);
    const edited = tagged("c3");
    const problem = async (form: FormData) => {
      const res = await postCompose(owner.key, form);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      return { status: res.status, ...((await res.json()) as { code: string; detail: string }) };
    };
    const cases: Array<[FormData, number, RegExp]> = [
      [composeForm({ image: PNG_1x1 }), 400, /`edited`/],
      [composeForm({ edited }), 400, /`image`/],
      [composeForm({ image: PNG_1x1, edited: "text" }), 400, /`edited` must be a file/],
      [
        composeForm({ image: PNG_1x1, edited: new TextEncoder().encode("GIF89a") }),
        415,
        /`edited` is not PNG/,
      ],
      [composeForm({ image: PNG_1x1, edited, rough: PNG_1x1.slice(0, 20) }), 422, /`rough`/],
      [composeForm({ image: PNG_1x1, edited }, { sam: "maybe" }), 400, /sam/],
      [composeForm({ image: PNG_1x1, edited }, { instruction: "x" }), 400, /instruction/],
      [composeForm({ image: PNG_1x1, edited }, { quality: "80" }), 400, /quality/],
      [
        composeForm({ image: PNG_1x1, edited: new Uint8Array(120_000), rough: new Uint8Array(90_000) }),
        413,
        /together/,
      ],
    ];
    for (const [form, status, detail] of cases) {
      const p = await problem(form);
      expect(p.status, p.detail).toBe(status);
      expect(p.detail).toMatch(detail);
    }
    const twice = composeForm({ image: PNG_1x1, edited });
    twice.append("edited", new Blob([edited]), "again.png");
    expect(await problem(twice)).toMatchObject({
      status: 400,
      detail: expect.stringMatching(/edited.*2 times/),
    });
    expect(await calls(edited)).toBe(0);
    expect(await balanceOf(owner.accountId)).toMatchObject({ balance: 100, held: 0 });
    expect(await billed(owner.accountId)).toEqual([]);
  });

  it("answers 402 when the balance does not cover a compose, and refunds a failed one", async () => {
    const broke = await liveAccount("broke-composer", COMPOSE - 1);
    const edited = tagged("c4");
    const refused = await postCompose(broke.key, composeForm({ image: PNG_1x1, edited }));
    expect(refused.status).toBe(402);
    expect(await refused.json()).toMatchObject({
      code: "insufficient_credits",
      price: COMPOSE,
      detail: expect.stringContaining("a compose costs"),
    });
    expect(await calls(edited)).toBe(0);

    const unlucky = await liveAccount("unlucky-composer", 50);
    const failing = tagged("c5");
    await scriptGpu("fail", `compose:${composeTag(failing)}`, { n: "5" });
    const failed = await postCompose(unlucky.key, composeForm({ image: PNG_1x1, edited: failing }));
    expect(failed.status).toBe(503);
    expect(await balanceOf(unlucky.accountId)).toMatchObject({ balance: 50, held: 0 });
    expect(await billed(unlucky.accountId)).toEqual([]);
  });
});

describe("OpenAPI for /v1/compose", () => {
  it("documents the operation, its files and fields, the Compose schema and the errors it can return", async () => {
    interface Operation {
      operationId: string;
      requestBody: {
        content: Record<
          string,
          { schema: { required: string[]; properties: Record<string, { enum?: string[] }> } }
        >;
      };
      responses: Record<string, unknown>;
    }
    const spec = (await (await SELF.fetch(`${API}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { required: string[] }> };
    };
    const post = spec.paths["/v1/compose"].post;
    expect(post.operationId).toBe("createCompose");
    const form = post.requestBody.content["multipart/form-data"].schema;
    expect(form.required).toEqual(["image", "edited"]);
    expect(Object.keys(form.properties)).toEqual(
      expect.arrayContaining(["image", "edited", "rough", "action", "sam", "output", "maskSize"]),
    );
    expect(form.properties.sam.enum).toEqual(["full", "guided", "off"]);
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(["201", "400", "401", "402", "413", "415", "422", "429", "503"]),
    );
    expect(spec.components.schemas.Compose.required).toEqual(
      expect.arrayContaining(["kind", "changedBox", "edited", "links", "cache"]),
    );
    expect(JSON.stringify(spec.paths["/v1/edits/{id}"].get.responses["200"])).toContain("Compose");
  });
});
