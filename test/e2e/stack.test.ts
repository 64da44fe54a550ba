// The real stack over HTTP: the gateway under wrangler dev in front of `zone serve` on the fixture
// models. Slow to start (about half a minute), so one stack serves every case here.
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CALLER_IMAGE_ERRORS, composeResourceSchema } from "@zone/shared";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticScene } from "../../gpu-function/src/demo/synthetic-scene.ts";
import { decodeImage, decodeMask } from "../../gpu-function/src/image/io.ts";
import { createKey } from "../../scripts/dev-stack.ts";
import { REPO_ROOT, sharedImage } from "../shared-data.ts";
import { gpuEditCalls, type Stack, startStack } from "./stack.ts";

const run = promisify(execFile);
const photoPath = sharedImage("chelsea.png");
let stack: Stack;
let key: string;

beforeAll(async () => {
  stack = await startStack({ quiet: true });
  key = (await createKey(stack.adminToken, "e2e", stack.gatewayUrl)).key;
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

async function edit(
  image: Blob,
  fields: Record<string, string>,
  apiKey = key,
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  form.append("image", image, "photo");
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return fetch(`${stack.gatewayUrl}/v1/edits`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${apiKey}`, ...headers },
  });
}

/** The chain's own key: the cases below count their key's usage. */
let chainKey: string;

async function chainTurn(fields: Record<string, string>, image: Blob | null): Promise<EditJson> {
  const form = new FormData();
  if (image !== null) form.append("image", image, "photo");
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${stack.gatewayUrl}/v1/edits`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${chainKey}` },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as EditJson;
}

interface EditJson {
  id: string;
  links: { self: string; result: string; layer: string };
}

const bytesOf = async (url: string, init: RequestInit = {}) => {
  const res = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${chainKey}`, ...init.headers },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

// Runs before the cases below, the last of which restarts the GPU function.
describe("a chain of 3 turns through the gateway and the GPU function's render (fixture models)", () => {
  beforeAll(async () => {
    chainKey = (await createKey(stack.adminToken, "e2e-chain", stack.gatewayUrl)).key;
  });

  it("renders all layers to the last result and the undo to the parent's result, byte for byte", async () => {
    const photo = new Blob(
      [
        await sharp(Buffer.from(syntheticScene(64, 48, 4).image.data), {
          raw: { width: 64, height: 48, channels: 3 },
        })
          .png()
          .toBuffer(),
      ],
      { type: "image/png" },
    );
    const turns = [await chainTurn({ instruction: "make the ball blue", steps: "2" }, photo)];
    for (const instruction of ["add a hat", "remove the box"])
      turns.push(await chainTurn({ instruction, steps: "2", parent: turns[turns.length - 1].id }, null));
    const stackJson = (await (
      await fetch(`${turns[2].links.self}/stack`, { headers: { authorization: `Bearer ${chainKey}` } })
    ).json()) as { turns: Array<{ id: string }> };
    expect(stackJson.turns.map((t) => t.id)).toEqual(turns.map((t) => t.id));
    const render = (without: string[]) =>
      bytesOf(`${turns[2].links.self}/render`, {
        method: "POST",
        body: JSON.stringify({ without }),
        headers: { "content-type": "application/json" },
      });
    expect((await render([])).equals(await bytesOf(turns[2].links.result))).toBe(true);
    expect((await render([turns[2].id])).equals(await bytesOf(turns[1].links.result))).toBe(true);
    expect((await render([turns[1].id, turns[2].id])).equals(await bytesOf(turns[0].links.result))).toBe(
      true,
    );
  }, 120_000);
});

describe.skipIf(photoPath === null)("the local stack end to end (chelsea.png, fixture models)", () => {
  let photo: Blob;
  beforeAll(async () => {
    photo = new Blob([await readFile(photoPath!)], { type: "image/png" });
  });

  it("answers 401, 413, 415 and 400 without reaching the GPU function", async () => {
    const before = await gpuEditCalls(stack);
    expect(
      (await edit(photo, { instruction: "x" }, "ze_live_000000000000000000000000000000000000")).status,
    ).toBe(401);
    expect((await edit(new Blob([new Uint8Array(21 * 1024 * 1024)]), { instruction: "x" })).status).toBe(413);
    expect(
      (await edit(new Blob([new TextEncoder().encode("GIF89a not really")]), { instruction: "x" })).status,
    ).toBe(415);
    const bad = await edit(photo, { instruction: "make it red", steps: "500" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect(await gpuEditCalls(stack)).toBe(before);
  });

  it("answers a photo cut after its header with the GPU function's own 4xx, nothing stored or billed", async () => {
    const truncatedKey = (await createKey(stack.adminToken, "e2e-truncated", stack.gatewayUrl)).key;
    const head = new Blob([(await photo.arrayBuffer()).slice(0, 100)], { type: "image/png" });
    const res = await edit(head, { instruction: "make it red" }, truncatedKey);
    // The header passes the gateway; libvips, in the GPU function, cannot read 100 bytes of a PNG
    // (its "corrupt header" is answered as unsupported_image, 415). The gateway passes that on.
    const problem = (await res.json()) as { code: string; detail: string; status: number };
    expect(res.status).toBe(415);
    expect(problem).toMatchObject({ code: "unsupported_image", status: 415 });
    expect(problem.detail).toBe(CALLER_IMAGE_ERRORS.unsupported_image);
    const usage = (await (
      await fetch(`${stack.gatewayUrl}/v1/usage`, { headers: { authorization: `Bearer ${truncatedKey}` } })
    ).json()) as Record<string, number>;
    expect(usage).toMatchObject({ billedEdits: 0, cacheHits: 0, totalRequests: 0 });
  });

  it("edits, serves the repeat from cache without a GPU call, coalesces 20 concurrent requests, bills once each", async () => {
    const before = await gpuEditCalls(stack);
    const first = await edit(photo, { instruction: "make the cat black", steps: "4" });
    expect(first.status).toBe(201);
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(first.headers.get("x-request-id")).toBeTruthy();
    expect(first.headers.get("server-timing")).toMatch(/gpu-denoise;dur=/);
    const body = (await first.json()) as { links: Record<"self" | "result" | "layer" | "mask", string> };
    const result = await fetch(body.links.result, { headers: { authorization: `Bearer ${key}` } });
    expect(result.headers.get("content-type")).toBe("image/png");
    const resultBytes = new Uint8Array(await result.arrayBuffer());

    const repeat = await edit(photo, { instruction: "Make the cat  BLACK", steps: "4" });
    expect(repeat.status).toBe(201);
    expect(repeat.headers.get("x-cache")).toBe("HIT");
    expect(repeat.headers.get("x-request-id")).toBeTruthy();
    expect(repeat.headers.get("server-timing")).not.toMatch(/gpu-/);
    // Every link of a hit works at once: its id is a verifiable reference, read until its edit row
    // (written in a batch after the answer) lands.
    const hit = (await repeat.json()) as typeof body;
    const links = await Promise.all(
      Object.values(hit.links).map((url) => fetch(url, { headers: { authorization: `Bearer ${key}` } })),
    );
    expect(Object.keys(hit.links)).toEqual(["self", "result", "layer", "mask", "attention", "canvas"]);
    expect(links.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const image = await edit(photo, { instruction: "make the cat black", steps: "4" }, key, {
      accept: "image/*",
    });
    expect([image.status, image.headers.get("content-type")]).toEqual([201, "image/png"]);
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(resultBytes);
    expect(await gpuEditCalls(stack)).toBe(before + 1);

    const concurrent = await Promise.all(
      Array.from({ length: 20 }, () => edit(photo, { instruction: "remove the cat", steps: "4", seed: "9" })),
    );
    expect(concurrent.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(concurrent.filter((r) => r.headers.get("x-cache") === "MISS")).toHaveLength(1);
    expect(await gpuEditCalls(stack)).toBe(before + 2);

    // Billed edits are recorded before their answer; free hits in batches right after theirs
    // (HIT_FLUSH_MS, 200 ms, plus the D1 write): give them a bounded moment.
    let usage: Record<string, number> = {};
    for (let i = 0; i < 60 && usage.cacheHits !== 21; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 50));
      usage = (await (
        await fetch(`${stack.gatewayUrl}/v1/usage`, { headers: { authorization: `Bearer ${key}` } })
      ).json()) as Record<string, number>;
      if (i === 0) expect(usage.billedEdits).toBe(2);
    }
    expect(usage).toMatchObject({ billedEdits: 2, cacheHits: 21, totalRequests: 23 });
  }, 120_000);

  it("rate-limits a key past 60 requests a minute with 429 and Retry-After", async () => {
    const noisy = (await createKey(stack.adminToken, "noisy", stack.gatewayUrl)).key;
    // The limiter counts in windows aligned to the clock's minute, so a run that straddles a
    // minute gets up to 60 more: send until the first 429 (at most three windows' worth).
    const statuses: number[] = [];
    let refused: Response | null = null;
    while (refused === null && statuses.length < 180) {
      const res = await edit(new Blob([new Uint8Array(8)]), { instruction: "x" }, noisy);
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(refused, `no 429 in ${statuses.length} requests`).not.toBeNull();
    // At least the minute's 60 went through (each refused as not an image, 415) before it.
    const before = statuses.slice(0, -1);
    expect(before.length).toBeGreaterThanOrEqual(60);
    expect(new Set(before)).toEqual(new Set([415]));
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused?.headers.get("content-type")).toBe("application/problem+json");
  }, 180_000);

  it("answers transport abuse itself: a short body, a 30 MB Content-Length over a tiny body, a 21 MB chunked upload without a key", async () => {
    const { hostname, port } = new URL(stack.gatewayUrl);
    // A raw HTTP/1.1 exchange: the request as written, the client's side closed, the answer read.
    const exchange = (head: string, body: Buffer | string) =>
      new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(head);
          socket.end(body);
        });
        let text = "";
        socket.on("data", (chunk) => {
          text += chunk.toString("latin1");
        });
        socket.setTimeout(30_000, () => socket.destroy(new Error("no answer within 30 s")));
        socket.on("error", reject);
        socket.on("close", () => {
          const [status = "", ...headers] = text.slice(0, text.indexOf("\r\n\r\n")).split("\r\n");
          const contentType = headers.find((h) => h.toLowerCase().startsWith("content-type:")) ?? "";
          resolve({
            status: Number(status.split(" ")[1]),
            contentType: contentType.slice(contentType.indexOf(":") + 1).trim(),
            body: text.slice(text.indexOf("\r\n\r\n") + 4),
          });
        });
      });
    const form = '--b\r\nContent-Disposition: form-data; name="instruction"\r\n\r\nhi\r\n--b--\r\n';
    const head = (extra: string, withKey = true) =>
      `POST /v1/edits HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n${withKey ? `Authorization: Bearer ${key}\r\n` : ""}Content-Type: multipart/form-data; boundary=b\r\n${extra}\r\n`;

    const short = await exchange(head(`Content-Length: ${form.length + 100}\r\n`), form);
    expect([short.status, short.contentType]).toEqual([400, "application/problem+json"]);
    const claimed = await exchange(head("Content-Length: 31457280\r\n"), form);
    expect([claimed.status, claimed.contentType]).toEqual([413, "application/problem+json"]);
    const big = Buffer.alloc(21 * 1024 * 1024);
    const chunked = Buffer.concat([
      Buffer.from(`${big.length.toString(16)}\r\n`),
      big,
      Buffer.from("\r\n0\r\n\r\n"),
    ]);
    const upload = await exchange(head("Transfer-Encoding: chunked\r\n", false), chunked);
    expect([upload.status, upload.contentType]).toEqual([413, "application/problem+json"]);
    // Another client is answered at once afterwards.
    const started = Date.now();
    expect((await fetch(`${stack.gatewayUrl}/healthz`, { signal: AbortSignal.timeout(10_000) })).status).toBe(
      200,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 120_000);

  // Last: it restarts the GPU function (its counters start again from zero).
  it("stays up when the GPU function dies: 503 problem+json with Retry-After, nothing billed, then edits again once it is restarted", async () => {
    const usage = async () =>
      (await (
        await fetch(`${stack.gatewayUrl}/v1/usage`, { headers: { authorization: `Bearer ${key}` } })
      ).json()) as {
        billedEdits: number;
        balance: number;
        held: number;
      };
    const before = await usage();
    await stack.killGpu();
    const down = await edit(photo, { instruction: "make the cat grey", steps: "2" });
    expect(down.status).toBe(503);
    expect(down.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(down.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await down.json()) as { code: string }).code).toBe("upstream_unavailable");
    expect(await usage()).toMatchObject({
      billedEdits: before.billedEdits,
      balance: before.balance,
      held: 0,
    });
    await stack.gpuReady();
    expect(stack.supervisorLog[0]).toMatch(/^the GPU function exited \(SIGKILL\); restarting it in/);
    const up = await edit(photo, { instruction: "make the cat grey", steps: "2" });
    expect([up.status, up.headers.get("x-cache")]).toEqual([201, "MISS"]);
    expect((await usage()).billedEdits).toBe(before.billedEdits + 1);
  }, 240_000);
});

// The README's compose example, as written there (the demo's files in a temporary folder).
describe("POST /v1/compose through the local stack (README example)", () => {
  it("makes the demo's simulated global edit a local edit: curl in, every pixel outside the layer the original's", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zone-compose-e2e-"));
    await run(process.execPath, [join(REPO_ROOT, "gpu-function", "bin", "zone.js"), "demo", "--out", dir]);
    const auth = `Authorization: Bearer ${key}`;
    const { stdout } = await run("curl", [
      "-s",
      "-H",
      auth,
      "-F",
      `image=@${join(dir, "original.png")}`,
      "-F",
      `edited=@${join(dir, "edited.png")}`,
      "-F",
      "sam=off",
      "-F",
      "maskSize=original",
      `${stack.gatewayUrl}/v1/compose`,
    ]);
    const resource = composeResourceSchema.parse(JSON.parse(stdout));
    expect(resource).toMatchObject({ kind: "compose", cache: "MISS", fallback: { reason: "no-candidates" } });
    const fetched = async (url: string) => {
      const out = join(dir, `${url.split("/").at(-1)}.png`);
      await run("curl", ["-s", "-H", auth, "-o", out, url]);
      return readFile(out);
    };
    const [original, result, mask] = await Promise.all([
      readFile(join(dir, "original.png")).then((b) => decodeImage(b)),
      fetched(resource.links.result).then((b) => decodeImage(b)),
      fetched(resource.links.mask).then((b) => decodeMask(b)),
    ]);
    expect([result.width, result.height]).toEqual([original.width, original.height]);
    let outside = 0;
    for (let i = 0; i < mask.data.length; i++)
      if (mask.data[i] === 0)
        for (let c = 0; c < 3; c++) if (result.data[i * 3 + c] !== original.data[i * 3 + c]) outside++;
    expect(outside).toBe(0);
    // The ball (the demo's target, centred at 0.32 w, 0.78 h) is where it changed.
    const box = resource.changedBox!;
    expect(box.x0 < original.width * 0.32 && box.x1 > original.width * 0.32).toBe(true);
    expect(box.y0 < original.height * 0.78 && box.y1 > original.height * 0.78).toBe(true);
    expect(resource.changedPixels).toBeLessThan((original.width * original.height) / 10);
  }, 120_000);
});
