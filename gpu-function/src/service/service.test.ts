// The GPU service over real HTTP on localhost with the fixture models: the happy path, every bad
// input, authentication, and what /metrics reports afterwards. One service (one cold load) for
// the whole file.
import { gpuEditMetaSchema, REQUEST_ID_MAX_LENGTH } from "@zone/shared";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  editForm,
  metricsText,
  metricValue,
  postEdit,
  scenePng,
  startTestService,
  TEST_SECRET,
} from "../../test/service-support.ts";
import { BEARER_CHALLENGE } from "./auth.ts";
import type { RunningService } from "./server.ts";

let service: Awaited<ReturnType<typeof startTestService>>;
let png: Buffer;

beforeAll(async () => {
  service = await startTestService({
    secret: TEST_SECRET,
    maxPixels: 100 * 100,
    maxBodyBytes: 200 * 1024,
  });
  png = await scenePng(64, 48);
  await service.ready;
});

afterAll(async () => {
  await service?.stop();
});

async function problemOf(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as {
    status: number;
    code: string;
    detail: string;
    type: string;
    instance: string;
  };
}

async function partsOf(res: Response) {
  const form = await res.formData();
  const parts: Record<string, Blob> = {};
  for (const [name, value] of form.entries()) parts[name] = value as Blob;
  return parts;
}

describe("POST /v1/edit", () => {
  it("edits the photo and answers multipart with result, layer, mask, meta and Server-Timing", async () => {
    const res = await postEdit(service, editForm(png, { instruction: "make the ball blue", steps: 2 }), {
      headers: { "x-request-id": "req-123" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    expect(res.headers.get("x-request-id")).toBe("req-123");
    expect(service.log.entries.find((e) => e.message === "request" && e.status === 200)).toMatchObject({
      requestId: "req-123",
      path: "/v1/edit",
    });
    const timing = res.headers.get("server-timing") ?? "";
    for (const stage of [
      "queue",
      "classify",
      "encode",
      "denoise",
      "decode",
      "localize",
      "compose",
      "png",
      "total",
    ])
      expect(timing).toMatch(new RegExp(`(^|, )${stage};dur=[0-9.]+`));

    const parts = await partsOf(res);
    expect(Object.keys(parts)).toEqual(["result", "layer", "mask", "meta"]);
    expect(parts.result.type).toBe("image/png");
    const result = await sharp(Buffer.from(await parts.result.arrayBuffer())).metadata();
    expect([result.format, result.width, result.height, result.channels]).toEqual(["png", 64, 48, 3]);
    const layer = await sharp(Buffer.from(await parts.layer.arrayBuffer())).metadata();
    expect([layer.width, layer.height, layer.channels]).toEqual([64, 48, 4]);

    expect(parts.meta.type).toBe("application/json");
    const meta = gpuEditMetaSchema.parse(JSON.parse(await parts.meta.text()));
    expect(meta).toMatchObject({
      fixtures: true,
      instruction: "make the ball blue",
      seed: 42,
      steps: 2,
      original: { width: 64, height: 48 },
      // 64 x 48 is not enlarged: padded to 64 x 64 (8 rows above, 8 below).
      working: { width: 64, height: 64 },
      outputs: ["result", "layer", "mask"],
      providers: { ip2pUnet: "cpu", vaeDecoder: "cpu" },
    });
    expect(meta.bundleId).toMatch(/^fixtures-v1-/);
    expect(meta.timingsMs.total).toBeGreaterThan(meta.timingsMs.denoise);
    const mask = await sharp(Buffer.from(await parts.mask.arrayBuffer())).metadata();
    expect([mask.width, mask.height, mask.channels]).toEqual([meta.working.width, meta.working.height, 1]);
  });

  it("sends only the outputs asked for, and the same bytes for the same request", async () => {
    const params = {
      instruction: "remove the ball",
      action: "remove" as const,
      steps: 2,
      seed: 7,
      outputs: ["layer" as const],
    };
    const first = await partsOf(await postEdit(service, editForm(png, params)));
    const second = await partsOf(await postEdit(service, editForm(png, params)));
    expect(Object.keys(first)).toEqual(["layer", "meta"]);
    expect(
      Buffer.from(await first.layer.arrayBuffer()).equals(Buffer.from(await second.layer.arrayBuffer())),
    ).toBe(true);
    expect(JSON.parse(await first.meta.text())).toMatchObject({
      action: "remove",
      actionSource: "override",
      seed: 7,
      outputs: ["layer"],
      fidelity: "corrected",
    });
  });

  it("passes fidelity release on to the pipeline and reports it", async () => {
    const params = {
      instruction: "remove the ball",
      steps: 1,
      fidelity: "release" as const,
      outputs: ["mask" as const],
    };
    const parts = await partsOf(await postEdit(service, editForm(png, params)));
    expect(JSON.parse(await parts.meta.text())).toMatchObject({ fidelity: "release" });
  });
});

describe("bad input is a 4xx problem+json", () => {
  const truncated = () => png.subarray(0, Math.floor(png.length / 2));

  it.each([
    [
      "a JSON body instead of multipart",
      () => JSON.stringify({ instruction: "x" }),
      415,
      "unsupported_media_type",
    ],
    ["no params part", () => editForm(png, null), 400, "bad_request"],
    ["params that are not JSON", () => editForm(png, "{instruction:"), 400, "bad_request"],
    ["params out of range", () => editForm(png, { instruction: "x", steps: 0 }), 400, "invalid_argument"],
    [
      "an unknown parameter",
      () => editForm(png, '{"instruction":"x","sampler":"ddim"}'),
      400,
      "invalid_argument",
    ],
    ["no image part", () => editForm(null, { instruction: "x" }), 400, "bad_request"],
    ["an image sent as a text field", () => editForm("not a file", { instruction: "x" }), 400, "bad_request"],
    ["an empty image", () => editForm(new Uint8Array(0), { instruction: "x" }), 415, "unsupported_image"],
    [
      "bytes that are not an image",
      () => editForm(Buffer.from("GIF? no."), { instruction: "x" }),
      415,
      "unsupported_image",
    ],
    ["a truncated PNG", () => editForm(truncated(), { instruction: "x" }), 422, "image_truncated"],
  ])("%s", async (_, body, status, code) => {
    const res = await postEdit(service, body());
    expect(res.status).toBe(status);
    const problem = await problemOf(res);
    expect(problem).toMatchObject({ status, code, instance: "/v1/edit" });
    expect(problem.type).toBe(`https://zone-edit.dev/problems/${code.replaceAll("_", "-")}`);
  });

  it("names the parameter that is wrong", async () => {
    const problem = await problemOf(
      await postEdit(service, editForm(png, '{"instruction":"x","mode":"turbo"}')),
    );
    expect(problem.detail).toMatch(/^invalid params: mode: /);
  });

  it("refuses too many pixels (413 image_too_large)", async () => {
    const big = await scenePng(120, 100);
    const res = await postEdit(service, editForm(big, { instruction: "x" }));
    expect(res.status).toBe(413);
    expect((await problemOf(res)).detail).toMatch(/image is 120x100 .* over the 0\.0 MP limit/);
  });

  it("refuses a body over the size limit (413 payload_too_large)", async () => {
    const res = await postEdit(service, editForm(new Uint8Array(300 * 1024), { instruction: "x" }));
    expect(res.status).toBe(413);
    expect((await problemOf(res)).code).toBe("payload_too_large");
  });

  it("answers unknown routes with 404", async () => {
    const res = await fetch(`${service.url}/v2/nothing`);
    expect(res.status).toBe(404);
    expect((await problemOf(res)).code).toBe("not_found");
  });
});

describe("X-Request-Id (hono's requestId with the shared options)", () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const idOf = async (path: string, given?: string) =>
    (
      await fetch(`${service.url}${path}`, { headers: given === undefined ? {} : { "x-request-id": given } })
    ).headers.get("x-request-id");

  it.each([
    ["the longest kept (128 characters)", true, "a".repeat(REQUEST_ID_MAX_LENGTH)],
    ["one character longer", false, "a".repeat(REQUEST_ID_MAX_LENGTH + 1)],
    ["word characters, - and =", true, "gw_1-a="],
    ["a character outside [A-Za-z0-9_=-]", false, "req.1"],
  ])("%s: kept %s", async (_, kept, given) => {
    const id = await idOf("/healthz", given);
    if (kept) expect(id).toBe(given);
    else expect(id).toMatch(UUID);
  });

  it("makes one up when none is sent, and sends it on problem responses too", async () => {
    expect(await idOf("/healthz")).toMatch(UUID);
    expect(await idOf("/v2/nothing", "req-404")).toBe("req-404");
    expect(await idOf("/v2/nothing")).toMatch(UUID);
  });
});

describe("authentication", () => {
  it.each([
    ["no Authorization header", null, undefined],
    ["a wrong token", "wrong-secret-0123456789", undefined],
    ["a token one character short", TEST_SECRET.slice(0, -1), undefined],
    ["another scheme", null, { authorization: `Basic ${TEST_SECRET}` }],
  ])("refuses %s with 401 and WWW-Authenticate", async (_, secret, headers) => {
    const res = await postEdit(service, editForm(png, { instruction: "x" }), { secret, headers });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(BEARER_CHALLENGE);
    // Refused before the upload was read: the socket is not reused.
    expect(res.headers.get("connection")).toBe("close");
    const problem = await problemOf(res);
    expect(problem.code).toBe("unauthorized");
    expect(problem.detail).not.toContain(TEST_SECRET);
  });

  it("protects /metrics, but not the probes", async () => {
    expect((await fetch(`${service.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
  });
});

describe("GET /readyz and /metrics after a cold load", () => {
  it("reports the bundle and the providers", async () => {
    const res = await fetch(`${service.url}/readyz`);
    expect(await res.json()).toMatchObject({
      ready: true,
      phase: "ready",
      fixtures: true,
      gpu: null,
      providers: { textEncoder: "cpu", ip2pUnet: "cpu" },
    });
  });

  it("logged seconds per model and the warm-up", () => {
    const loaded = service.log.entries.filter((e) => e.message === "loaded model");
    expect(loaded.map((e) => e.role)).toEqual(
      expect.arrayContaining(["textEncoder", "vaeEncoder", "vaeDecoder", "ip2pUnet", "magicBrushUnet"]),
    );
    for (const entry of loaded) expect(entry).toMatchObject({ provider: "cpu", source: "onnx" });
    expect(service.log.entries.some((e) => e.message === "warm-up edit done")).toBe(true);
    expect(service.log.entries.find((e) => e.message === "execution plan")?.plan).toMatch(/no GPU found/);
  });

  it("counts requests by status, edit and stage durations, queue depth and model load", async () => {
    const text = await metricsText(service as RunningService);
    // Four edits above succeed (the first describe block).
    expect(metricValue(text, 'zone_http_requests_total{route="/v1/edit",method="POST",status="200"}')).toBe(
      4,
    );
    expect(metricValue(text, 'zone_http_requests_total{route="/v1/edit",method="POST",status="401"}')).toBe(
      4,
    );
    expect(metricValue(text, 'zone_http_requests_total{route="/v1/edit",method="POST",status="415"}')).toBe(
      3,
    );
    expect(metricValue(text, 'zone_edit_duration_seconds_count{outcome="ok"}')).toBe(4);
    expect(metricValue(text, 'zone_edit_duration_seconds_count{outcome="image_truncated"}')).toBe(1);
    expect(metricValue(text, 'zone_edit_stage_duration_seconds_count{stage="denoise"}')).toBe(4);
    expect(metricValue(text, 'zone_edit_stage_duration_seconds_count{stage="queue"}')).toBe(4);
    expect(metricValue(text, "zone_edit_queue_depth")).toBe(0);
    expect(metricValue(text, "zone_edits_running")).toBe(0);
    expect(metricValue(text, "zone_ready")).toBe(1);
    expect(
      metricValue(text, 'zone_model_load_seconds{role="ip2pUnet",provider="cpu",source="onnx"}'),
    ).toBeGreaterThan(0);
    expect(metricValue(text, 'zone_cold_start_seconds{phase="warmup"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^# TYPE zone_edit_duration_seconds histogram$/m);
  });
});
