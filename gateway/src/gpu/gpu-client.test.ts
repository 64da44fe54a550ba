import {
  CALLER_IMAGE_ERRORS,
  EDIT_ARTIFACTS,
  GPU_PROGRESS_STREAM_TYPE,
  PIPELINE_VERSION,
  ZoneError,
} from "@zone/shared";
import { sampleGpuEditMeta } from "@zone/shared/testing";
import { describe, expect, it } from "vitest";
import { callGpuFunction, type GpuClientConfig } from "./gpu-client.ts";

const config: GpuClientConfig = {
  url: "http://gpu.example",
  sharedSecret: "s3cret",
  modalKey: "wk-1",
  modalSecret: "ws-2",
  timeoutMs: 1000,
  retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
};

const META = sampleGpuEditMeta({ bundleId: "b" });
const JOB = { image: new Blob([]), params: { instruction: "x" } };

function okResponse(meta: unknown = META, parts: ReadonlyArray<string> = EDIT_ARTIFACTS): Response {
  const form = new FormData();
  for (const name of parts) form.append(name, new Blob([new Uint8Array([1, 2, 3])]), `${name}.png`);
  form.append("meta", new Blob([JSON.stringify(meta)], { type: "application/json" }), "meta.json");
  return new Response(form, { headers: { "server-timing": "total;dur=1" } });
}

function harness(responses: Array<Response | Error>) {
  const calls: Array<{ url: string; headers: Headers }> = [];
  const sleeps: number[] = [];
  const deps = {
    fetch: (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), headers: new Headers(init?.headers) });
      const next = responses.shift();
      if (next instanceof Error) throw next;
      return next ?? new Response("no more", { status: 500 });
    }) as typeof fetch,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  };
  return { calls, sleeps, deps };
}

async function failure(promise: Promise<unknown>): Promise<ZoneError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZoneError);
  return error as ZoneError;
}

describe("callGpuFunction", () => {
  it("posts the image with the bearer secret and Modal proxy auth, and parses the multipart answer", async () => {
    const h = harness([okResponse()]);
    const result = await callGpuFunction(
      config,
      { image: new Blob([new Uint8Array([9])]), params: { instruction: "x" }, requestId: "req-7" },
      h.deps,
    );
    expect(h.calls[0].url).toBe("http://gpu.example/v1/edit");
    expect(h.calls[0].headers.get("authorization")).toBe("Bearer s3cret");
    expect(h.calls[0].headers.get("modal-key")).toBe("wk-1");
    expect(h.calls[0].headers.get("modal-secret")).toBe("ws-2");
    expect(h.calls[0].headers.get("x-request-id")).toBe("req-7");
    expect(result.meta.bundleId).toBe("b");
    expect(new Uint8Array(result.parts.layer)).toEqual(new Uint8Array([1, 2, 3]));
    expect(result.serverTiming).toBe("total;dur=1");
  });

  it("retries 503 and connection errors with backoff, honouring Retry-After", async () => {
    const h = harness([
      new Response("busy", { status: 503, headers: { "retry-after": "2" } }),
      new TypeError("connection refused"),
      okResponse(),
    ]);
    const result = await callGpuFunction(config, JOB, h.deps);
    expect(result.attempts).toBe(3);
    expect(h.sleeps).toEqual([2000, 100]); // Retry-After wins over 50 ms of jitter; then 0.5 * 200
  });

  it("gives up after the last attempt with 503 and a Retry-After for the caller", async () => {
    const h = harness([502, 503, 504].map((status) => new Response("x", { status })));
    const error = await failure(callGpuFunction(config, JOB, h.deps));
    expect(error.code).toBe("upstream_timeout");
    expect(error.status).toBe(504);
    expect(h.calls).toHaveLength(3);
  });

  it("does not retry a 4xx (a gateway bug) and reports 502 without the GPU function's body", async () => {
    const h = harness([new Response("bad params at /srv/internal", { status: 400 })]);
    const error = await failure(callGpuFunction(config, JOB, h.deps));
    expect(error.code).toBe("upstream_error");
    expect(error.message).toBe("the GPU function refused the edit (400)");
    expect(h.calls).toHaveLength(1);
  });

  const problem = (status: number, code: string) =>
    new Response(JSON.stringify({ status, code, detail: "image part at /tmp/zone-123 failed in libvips" }), {
      status,
      headers: { "content-type": "application/problem+json" },
    });

  it.each([
    [422, "image_truncated"],
    [415, "unsupported_image"],
    [413, "image_too_large"],
  ] as const)(
    "answers the GPU function's %i %s about the caller's image as the same 4xx",
    async (status, code) => {
      const h = harness([problem(status, code)]);
      const error = await failure(callGpuFunction(config, JOB, h.deps));
      expect(error.code).toBe(code);
      expect(error.status).toBe(status);
      expect(error.message).toBe(CALLER_IMAGE_ERRORS[code]);
      expect(error.message).not.toMatch(/tmp|libvips/);
      expect(h.calls).toHaveLength(1);
    },
  );

  it("keeps other GPU problem codes internal (502)", async () => {
    const h = harness([problem(400, "invalid_argument")]);
    expect((await failure(callGpuFunction(config, JOB, h.deps))).code).toBe("upstream_error");
  });

  it("does not retry a timeout (the edit may still be running) and reports 504", async () => {
    const timeout = new DOMException("timed out", "TimeoutError");
    const h = harness([timeout as unknown as Error]);
    const error = await failure(callGpuFunction(config, JOB, h.deps));
    expect(error.code).toBe("upstream_timeout");
    expect(h.calls).toHaveLength(1);
  });

  it("closes the request when the job's signal aborts (the GPU function stops), without retrying", async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const deps = {
      fetch: (async (_url: string | URL | Request, init?: RequestInit) => {
        seen = init?.signal ?? undefined;
        controller.abort();
        throw seen?.reason ?? new Error("aborted");
      }) as typeof fetch,
      sleep: async () => {},
      random: () => 0.5,
    };
    const error = await failure(callGpuFunction(config, { ...JOB, signal: controller.signal }, deps));
    expect(error.code).toBe("edit_canceled");
    expect(seen?.aborted).toBe(true);
    // Already canceled: not even one call.
    const h = harness([okResponse()]);
    expect((await failure(callGpuFunction(config, { ...JOB, signal: controller.signal }, h.deps))).code).toBe(
      "edit_canceled",
    );
    expect(h.calls).toHaveLength(0);
  });

  it("asks for the progress stream when told to listen, hands over each line, then parses the answer after it", async () => {
    const multipart = okResponse();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('{"type":"accepted"}\n{"type":"started"}\n'));
        controller.enqueue(encoder.encode('{"type":"progress","stage":"denoise","step":1,"steps":1}\n'));
        const type = multipart.headers.get("content-type");
        controller.enqueue(encoder.encode(`${JSON.stringify({ type: "result", contentType: type })}\n`));
        controller.enqueue(new Uint8Array(await multipart.arrayBuffer()));
        controller.close();
      },
    });
    const h = harness([new Response(body, { headers: { "content-type": GPU_PROGRESS_STREAM_TYPE } })]);
    const lines: unknown[] = [];
    const result = await callGpuFunction(config, { ...JOB, onProgress: (line) => lines.push(line) }, h.deps);
    expect(h.calls[0].headers.get("accept")).toBe(GPU_PROGRESS_STREAM_TYPE);
    expect(lines).toEqual([
      { type: "accepted" },
      { type: "started" },
      { type: "progress", stage: "denoise", step: 1, steps: 1 },
    ]);
    expect(result.meta).toEqual(META);
    expect(new Uint8Array(result.parts.mask)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("handles a stream's error line as the status it carries: a 503 is retried", async () => {
    const line = { type: "error", status: 503, retryAfterSeconds: 0, problem: { code: "not_ready" } };
    const stream = new Response(`${JSON.stringify(line)}\n`, {
      headers: { "content-type": GPU_PROGRESS_STREAM_TYPE },
    });
    const h = harness([stream, okResponse()]);
    const result = await callGpuFunction(config, { ...JOB, onProgress: () => {} }, h.deps);
    expect(result.attempts).toBe(2);
    const refused = {
      type: "error",
      status: 422,
      retryAfterSeconds: null,
      problem: { code: "image_truncated" },
    };
    const h2 = harness([
      new Response(`${JSON.stringify(refused)}\n`, { headers: { "content-type": GPU_PROGRESS_STREAM_TYPE } }),
    ]);
    const error = await failure(callGpuFunction(config, { ...JOB, onProgress: () => {} }, h2.deps));
    expect(error.code).toBe("image_truncated");
    expect(h2.calls).toHaveLength(1);
  });

  it("follows Modal's 303 to the result URL with GET, keeping the bearer secret and the proxy-auth headers", async () => {
    const seeOther = (location: string) => new Response(null, { status: 303, headers: { location } });
    const h = harness([
      seeOther("/v1/edit?__modal_function_call_id=fc-1"),
      seeOther("http://gpu.example/v1/edit?__modal_function_call_id=fc-1&wait=2"),
      okResponse(),
    ]);
    const methods: string[] = [];
    const redirects: string[] = [];
    const fetchOf = h.deps.fetch;
    h.deps.fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      methods.push(init?.method ?? "GET");
      redirects.push(String(init?.redirect));
      return fetchOf(url, init);
    }) as typeof fetch;
    const result = await callGpuFunction(config, JOB, h.deps);
    expect(result.meta).toEqual(META);
    expect(h.calls.map((c) => c.url)).toEqual([
      "http://gpu.example/v1/edit",
      "http://gpu.example/v1/edit?__modal_function_call_id=fc-1",
      "http://gpu.example/v1/edit?__modal_function_call_id=fc-1&wait=2",
    ]);
    expect(methods).toEqual(["POST", "GET", "GET"]);
    expect(redirects).toEqual(["manual", "manual", "manual"]);
    for (const call of h.calls) {
      expect(call.headers.get("authorization")).toBe("Bearer s3cret");
      expect(call.headers.get("modal-key")).toBe("wk-1");
      expect(call.headers.get("modal-secret")).toBe("ws-2");
    }
  });

  it("refuses a 303 to another origin (it would hand over the secrets)", async () => {
    const h = harness([
      new Response(null, { status: 303, headers: { location: "https://elsewhere.example/x" } }),
    ]);
    const error = await failure(callGpuFunction(config, JOB, h.deps));
    expect(error.code).toBe("upstream_error");
    expect(h.calls).toHaveLength(1);
  });

  it("rejects an answer whose meta breaks the contract", async () => {
    const form = new FormData();
    form.append("meta", "{}");
    const h = harness([new Response(form)]);
    expect((await failure(callGpuFunction(config, JOB, h.deps))).code).toBe("upstream_error");
  });

  it("refuses a result from another pipeline version, naming both, without retrying", async () => {
    const h = harness([okResponse({ ...META, pipelineVersion: "zone-r0-00000000" }), okResponse()]);
    const error = await failure(callGpuFunction(config, JOB, h.deps));
    expect(error.code).toBe("upstream_error");
    expect(error.message).toContain("zone-r0-00000000");
    expect(error.message).toContain(PIPELINE_VERSION);
    expect(h.calls).toHaveLength(1);
  });

  it("reports unparsable meta as a contract failure, not as an unreachable GPU", async () => {
    const form = new FormData();
    form.append("meta", "{not json");
    const h = harness([new Response(form)]);
    const error = await failure(callGpuFunction(config, JOB, h.deps));
    expect(error.code).toBe("upstream_error");
    expect(h.calls).toHaveLength(1);
  });

  it("asks for every output and sends the params as given", async () => {
    let sent: unknown = null;
    const deps = {
      ...harness([]).deps,
      fetch: (async (_url: string | URL | Request, init?: RequestInit) => {
        sent = JSON.parse(String((init?.body as FormData | undefined)?.get("params")));
        return okResponse();
      }) as typeof fetch,
    };
    await callGpuFunction(config, { image: new Blob([]), params: { instruction: "x", seed: 7 } }, deps);
    expect(sent).toEqual({
      instruction: "x",
      seed: 7,
      outputs: ["result", "layer", "mask", "attention", "canvas"],
    });
  });

  it("refuses an edit answer without its attention or canvas part (nothing would be stored)", async () => {
    const h = harness([okResponse(META, ["result", "layer", "mask", "attention"])]);
    const error = await failure(callGpuFunction(config, JOB, h.deps));
    expect([error.code, error.message]).toEqual(["upstream_error", "the GPU function sent no canvas"]);
  });
});
