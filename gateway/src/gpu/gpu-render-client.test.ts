import { RENDER_REQUEST_FIELDS as F, ZoneError } from "@zone/shared";
import { describe, expect, it } from "vitest";
import type { GpuClientConfig } from "./gpu-client.ts";
import { callGpuRender } from "./gpu-render-client.ts";

const config: GpuClientConfig = {
  url: "http://gpu.example",
  sharedSecret: "s3cret",
  modalKey: "wk-1",
  modalSecret: "ws-2",
  timeoutMs: 1000,
  retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
};

const JOB = {
  original: new Blob([new Uint8Array([1])]),
  layers: [new Blob([new Uint8Array([2])]), new Blob([new Uint8Array([3])])],
  reference: new Blob([new Uint8Array([4])]),
  params: { rings: ["round", "truncate"] as Array<"round" | "truncate">, output: "png" as const },
  requestId: "req-9",
};

function harness(responses: Array<Response | Error>) {
  const calls: Array<{ url: string; headers: Headers; body: FormData }> = [];
  const deps = {
    fetch: (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), headers: new Headers(init?.headers), body: init?.body as FormData });
      const next = responses.shift();
      if (next instanceof Error) throw next;
      return next ?? new Response("no more", { status: 500 });
    }) as typeof fetch,
    sleep: async () => {},
    random: () => 0.5,
  };
  return { calls, deps };
}

describe("callGpuRender", () => {
  it("posts the original, the layers in order, the reference and the params with the edit call's headers", async () => {
    const h = harness([new Response(new Uint8Array([7, 7]), { headers: { "content-type": "image/png" } })]);
    const out = await callGpuRender(config, JOB, h.deps);
    expect(new Uint8Array(out.bytes)).toEqual(new Uint8Array([7, 7]));
    expect(out.contentType).toBe("image/png");
    const [call] = h.calls;
    expect(call.url).toBe("http://gpu.example/v1/render");
    expect(call.headers.get("authorization")).toBe("Bearer s3cret");
    expect(call.headers.get("modal-key")).toBe("wk-1");
    expect(call.headers.get("x-request-id")).toBe("req-9");
    const layers = await Promise.all(
      call.body.getAll(F.layer).map(async (b) => Array.from(new Uint8Array(await (b as Blob).arrayBuffer()))),
    );
    expect(layers).toEqual([[2], [3]]);
    expect(call.body.get(F.reference)).not.toBeNull();
    expect(JSON.parse(String(call.body.get(F.params)))).toEqual(JOB.params);
  });

  it("retries 503 and connection errors, and maps a 4xx refusal without echoing it", async () => {
    const h = harness([
      new Response("busy", { status: 503 }),
      new Error("reset"),
      new Response(new Uint8Array([1])),
    ]);
    await callGpuRender(config, { ...JOB, reference: null }, h.deps);
    expect(h.calls).toHaveLength(3);
    expect(h.calls[0].body.get(F.reference)).toBeNull();
    const refused = harness([new Response('{"code":"invalid_argument"}', { status: 400 })]);
    const error = await callGpuRender(config, JOB, refused.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZoneError);
    expect((error as ZoneError).code).toBe("upstream_error");
    expect(refused.calls).toHaveLength(1);
  });
});
