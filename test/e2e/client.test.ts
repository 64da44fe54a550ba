// The typed client (@zone/client) against the real local stack on the fixture models: create,
// fetch, download, an idempotent replay, delete, and refusals as ZoneApiError; an async edit
// followed to its end (states and denoising steps reported), a cancel while denoising (the wait
// ends in edit_canceled, nothing billed), and webhook deliveries verified by the example receiver
// with the client's receiveWebhook (a forged one refused); the README's examples.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createZoneClient, type JobUpdate, WEBHOOK_HEADERS, ZoneApiError } from "@zone/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, ROOT } from "../../scripts/dev-stack.ts";
import { freePort, type Stack, startStack } from "./stack.ts";

const STEP_PACE_MS = 100;
let stack: Stack;
let apiKey: string;
let client: ReturnType<typeof createZoneClient>;
let scene: Uint8Array;

/** The ```ts blocks of the README's typed-client section, in order (the sync, async and webhook ones). */
function readmeSnippets(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("The typed client, `@zone/client`");
  const end = readme.indexOf("CORS is off by default.", start);
  expect(start).toBeGreaterThan(-1);
  return [...readme.slice(start, end).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** A README snippet as a file inside the repository (so `@zone/client` resolves), beside photo.png,
 * run as written but for the local stack's URL. */
function snippetFile(index: number): { dir: string; file: string } {
  mkdirSync(join(ROOT, "out"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, "out", "readme-snippet-"));
  const file = join(dir, `snippet-${index}.ts`);
  writeFileSync(file, readmeSnippets()[index].replaceAll("http://127.0.0.1:8787", stack.gatewayUrl));
  writeFileSync(join(dir, "photo.png"), scene);
  return { dir, file };
}

beforeAll(async () => {
  // Webhook retries 1 s apart; each fixture denoising step paced to 100 ms, so an edit of 30 steps
  // denoises for 3 s or more: polls (1 s apart, the gateway's Retry-After) see it mid-denoise.
  stack = await startStack({ quiet: true, webhookRetryBaseSeconds: 1, stepPaceMs: STEP_PACE_MS });
  apiKey = (await createKey(stack.adminToken, "client e2e", stack.gatewayUrl)).key;
  client = createZoneClient({ baseUrl: stack.gatewayUrl, apiKey });
  // The embedded demo scene, as the Worker's assets serve it.
  scene = new Uint8Array(await (await fetch(`${stack.gatewayUrl}/build/demo-scene.png`)).arrayBuffer());
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe("@zone/client against the local stack", () => {
  it("creates an edit, reads it, downloads its artifacts, replays its Idempotency-Key and deletes it", async () => {
    const created = await client.createEdit({
      image: scene,
      filename: "scene.png",
      instruction: "make the ball blue",
      steps: 4,
      idempotencyKey: "client-e2e-1",
    });
    expect(created.cache).toBe("MISS");
    expect(created.replayed).toBe(false);
    expect(created.serverTiming).toMatch(/gpu-total;dur=/);
    expect(created.edit.links.self).toBe(`${stack.gatewayUrl}/v1/edits/${created.edit.id}`);
    expect(created.edit.bundleId).toBe(stack.bundleId);

    expect(await client.getEdit(created.edit)).toMatchObject({ id: created.edit.id, steps: 4 });
    for (const name of ["result", "layer", "mask"] as const) {
      const artifact = await client.downloadArtifact(created.edit, name);
      expect(artifact.contentType).toBe("image/png");
      expect([...artifact.bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    }

    const replay = await client.createEdit({
      image: scene,
      filename: "scene.png",
      instruction: "make the ball blue",
      steps: 4,
      idempotencyKey: "client-e2e-1",
    });
    expect(replay).toMatchObject({ replayed: true });
    expect(replay.edit.id).toBe(created.edit.id);

    await client.deleteEdit(created.edit.id);
    const gone = await client.getEdit(created.edit.id).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(ZoneApiError);
    expect(gone).toMatchObject({ status: 404, code: "not_found" });
  }, 120_000);

  it("throws refusals as ZoneApiError with their code: a text file, an empty instruction, a bad key", async () => {
    const text = await client
      .createEdit({ image: new TextEncoder().encode("not an image"), instruction: "make it blue" })
      .catch((error: unknown) => error);
    expect(text).toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect((text as ZoneApiError).requestId).toBeTruthy();
    const empty = await client
      .createEdit({ image: scene, instruction: "\u0007 " })
      .catch((error: unknown) => error);
    expect(empty).toMatchObject({ status: 422, code: "empty_instruction" });
    const stranger = createZoneClient({ baseUrl: stack.gatewayUrl, apiKey: "ze_live_nope" });
    const refused = await stranger.usage().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ZoneApiError);
    expect(refused).toMatchObject({ status: 401, code: "unauthorized" });
  }, 60_000);

  it("runs an async edit to its end: a 202's job, each state and denoising step seen, the result", async () => {
    const answer = await client.createEdit(
      { image: scene, filename: "scene.png", instruction: "make the ball orange", steps: 30 },
      { respondAsync: true },
    );
    expect(answer.kind).toBe("job");
    if (answer.kind !== "job") return;
    expect(answer.job.id).toMatch(/^ej_/);
    expect(answer.location).toBe(`${stack.gatewayUrl}/v1/edits/${answer.job.id}`);
    expect(answer.retryAfterSeconds).toBe(1);
    expect(["queued", "running"]).toContain(answer.job.status);
    const updates: JobUpdate[] = [];
    const edit = await client.waitForEdit(answer.job, {
      timeoutMs: 90_000,
      onProgress: (update) => updates.push(update),
    });
    expect(edit).toMatchObject({ id: answer.job.id, status: "succeeded", steps: 30, cache: "MISS" });
    expect(updates.at(-1)?.status).toBe("succeeded");
    const denoising = updates.filter((u) => u.status === "running" && u.stage === "denoise");
    expect(denoising.length, JSON.stringify(updates.map((u) => [u.status, u.stage, u.step]))).toBeGreaterThan(
      0,
    );
    for (const u of denoising) {
      expect(u.steps).toBe(30);
      expect(u.step).toBeGreaterThanOrEqual(1);
      expect(u.step).toBeLessThanOrEqual(30);
    }
    const steps = denoising.map((u) => u.step as number);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    const result = await client.downloadArtifact(edit, "result");
    expect([...result.bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  }, 120_000);

  it("cancels a job while it denoises: the wait ends in edit_canceled with the job, nothing billed", async () => {
    const owner = await createKey(stack.adminToken, "client e2e cancel", stack.gatewayUrl);
    const mine = createZoneClient({ baseUrl: stack.gatewayUrl, apiKey: owner.key });
    const credits = async () =>
      (await (
        await fetch(`${stack.gatewayUrl}/admin/accounts/${owner.accountId}/credits`, {
          headers: { authorization: `Bearer ${stack.adminToken}` },
        })
      ).json()) as { balance: number; held: number };
    const before = await credits();
    const answer = await mine.createEdit(
      { image: scene, instruction: "make the ball purple", steps: 50 },
      { respondAsync: true },
    );
    if (answer.kind !== "job") throw new Error("expected a job");
    let canceling: Promise<unknown> | null = null;
    const ended = await mine
      .waitForEdit(answer.job, {
        timeoutMs: 90_000,
        onProgress: ({ stage }) => {
          if (stage === "denoise" && canceling === null) canceling = mine.cancelEdit(answer.job);
        },
      })
      .catch((error: unknown) => error);
    expect(canceling).not.toBeNull();
    expect(await canceling).toMatchObject({ id: answer.job.id, status: "canceled", canceledBy: "requested" });
    expect(ended).toBeInstanceOf(ZoneApiError);
    expect(ended).toMatchObject({
      status: 409,
      code: "edit_canceled",
      job: { id: answer.job.id, status: "canceled", canceledBy: "requested" },
    });
    // Canceled mid-denoise (50 steps of 100 ms or more), far from its end.
    expect((ended as ZoneApiError).job?.progress).toMatchObject({ stage: "denoise", steps: 50 });
    expect(await credits()).toEqual({ ...before, held: 0 });
  }, 120_000);

  it("runs the README's sync and async snippets as written", async () => {
    expect(readmeSnippets()).toHaveLength(3);
    for (const [index, last] of [
      [0, /^ed_\S+ (MISS|HIT) image\/png \d+$/],
      [1, /^e[dj]_\S+ http:\/\/\S+\/result$/],
    ] as const) {
      const { dir, file } = snippetFile(index);
      try {
        const run = spawnSync(process.execPath, [file], {
          cwd: dir,
          encoding: "utf8",
          env: { ...process.env, ZONE_API_KEY: apiKey },
          timeout: 120_000,
        });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout.trim().split("\n").at(-1), run.stdout).toMatch(last);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 150_000);

  it("webhook deliveries verified by the example receiver with receiveWebhook; a forged one refused", async () => {
    const port = await freePort();
    const created = await client.api.POST("/v1/webhooks", {
      body: { url: `http://127.0.0.1:${port}/zone`, events: ["edit.running", "edit.succeeded"] },
    });
    expect(created.response.status).toBe(201);
    const hook = created.data as { id: string; secret: string };
    const receiver = spawn(
      process.execPath,
      ["gateway/client/examples/webhook-receiver.ts", "--port", String(port), "--fail", "1"],
      { env: { ...process.env, WEBHOOK_SECRET: hook.secret }, stdio: ["ignore", "pipe", "inherit"] },
    );
    let printed = "";
    receiver.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      printed += chunk;
    });
    // The README's receiver snippet, on its own port and webhook.
    const snippetPort = await freePort();
    const second = await client.api.POST("/v1/webhooks", {
      body: { url: `http://127.0.0.1:${snippetPort}/hook`, events: ["edit.succeeded"] },
    });
    const snippetHook = second.data as { id: string; secret: string };
    const snippet = snippetFile(2);
    const snippetReceiver = spawn(process.execPath, [snippet.file], {
      env: { ...process.env, WEBHOOK_SECRET: snippetHook.secret, PORT: String(snippetPort) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let snippetPrinted = "";
    snippetReceiver.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      snippetPrinted += chunk;
    });
    const until = async (pattern: RegExp, ms = 60_000) => {
      const deadline = Date.now() + ms;
      while (!pattern.test(printed)) {
        if (Date.now() > deadline) throw new Error(`the receiver never printed ${pattern}:\n${printed}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      await until(new RegExp(`listening on http://127.0.0.1:${port}/`), 20_000);
      const answer = await client.createEdit(
        { image: scene, instruction: "make the ball green", steps: 4 },
        { respondAsync: true },
      );
      if (answer.kind !== "job") throw new Error("expected a job");
      const edit = await client.waitForEdit(answer.job, { timeoutMs: 60_000 });
      const id = edit.id;
      // The first good delivery was answered 503 (--fail 1): retried with the same webhook-id.
      await until(new RegExp(`edit.succeeded ${id} succeeded -> 204`));
      await until(new RegExp(`edit.running ${id} running -> 204`));
      const lines = printed.split("\n").filter((line) => line.includes(id));
      expect(lines.filter((line) => line.includes("-> 503"))).toHaveLength(1);
      const retried = lines.find((line) => line.includes("-> 503"))!.split(" ")[1];
      expect(lines.filter((line) => line.split(" ")[1] === retried)).toHaveLength(2);
      // A delivery that is not the gateway's: refused by the same helper.
      const forged = await fetch(`http://127.0.0.1:${port}/zone`, {
        method: "POST",
        headers: {
          [WEBHOOK_HEADERS.id]: "msg_forged",
          [WEBHOOK_HEADERS.timestamp]: String(Math.floor(Date.now() / 1000)),
          [WEBHOOK_HEADERS.signature]: "v1,bm90IGEgc2lnbmF0dXJl",
        },
        body: JSON.stringify({ type: "edit.succeeded", data: { id } }),
      });
      expect(forged.status).toBe(401);
      await until(/msg_forged refused: bad_signature -> 401/);
      // The snippet got the same job's edit.succeeded, verified (it prints only verified ones).
      const deadline = Date.now() + 60_000;
      while (!new RegExp(`^msg_\\S+ edit.succeeded ${id}$`, "m").test(snippetPrinted)) {
        if (Date.now() > deadline) throw new Error(`the README's receiver printed:\n${snippetPrinted}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      receiver.kill();
      snippetReceiver.kill();
      rmSync(snippet.dir, { recursive: true, force: true });
      for (const hookId of [hook.id, snippetHook.id])
        await client.api.DELETE("/v1/webhooks/{id}", { params: { path: { id: hookId } } });
    }
  }, 120_000);

  /** python3 with `requests`, or null with a printed reason. */
  const python = (() => {
    const probe = spawnSync("python3", ["-c", "import requests"], { encoding: "utf8" });
    if (probe.status === 0) return "python3";
    console.warn("SKIPPED: the Python example: no python3 with `requests` (pip install requests)");
    return null;
  })();

  it.each([
    ["TypeScript", process.execPath, "gateway/client/examples/edit.ts", [], "make the ball blue", "ed_"],
    [
      "TypeScript async",
      process.execPath,
      "gateway/client/examples/edit-async.ts",
      [],
      "make the ball red",
      "ej_",
    ],
    ["Python", python, "gateway/client/examples/edit.py", [], "make the ball blue", "ed_"],
    ["Python --async", python, "gateway/client/examples/edit.py", ["--async"], "make the ball pink", "ej_"],
  ])(
    "runs the README's %s example: the artifacts saved",
    async (_language, command, script, flags, instruction, prefix) => {
      if (command === null) return;
      const dir = mkdtempSync(join(tmpdir(), "zone-client-example-"));
      try {
        const photo = join(dir, "scene.png");
        writeFileSync(photo, scene);
        const run = spawnSync(command, [script, photo, instruction, join(dir, "out"), ...flags], {
          encoding: "utf8",
          env: { ...process.env, ZONE_API_KEY: apiKey, ZONE_API_URL: stack.gatewayUrl },
          timeout: 120_000,
        });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toMatch(new RegExp(`${prefix}\\S+: (MISS|HIT)`));
        // The async runs were polled: a running job was seen on the way.
        if (prefix === "ej_") expect(run.stderr).toMatch(/running/);
        const saved = script.endsWith("edit-async.ts")
          ? ["result.png"]
          : ["layer.png", "mask.png", "result.png"];
        expect(readdirSync(join(dir, "out")).sort()).toEqual(saved);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    150_000,
  );
});
