// The typed client (@zone/client) against the real local stack on the fixture models: create,
// fetch, download, an idempotent replay, delete, and refusals as ZoneApiError.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createZoneClient, ZoneApiError } from "@zone/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey } from "../../scripts/dev-stack.ts";
import { type Stack, startStack } from "./stack.ts";

let stack: Stack;
let apiKey: string;
let client: ReturnType<typeof createZoneClient>;
let scene: Uint8Array;

beforeAll(async () => {
  stack = await startStack({ quiet: true });
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

  /** python3 with `requests`, or null with a printed reason. */
  const python = (() => {
    const probe = spawnSync("python3", ["-c", "import requests"], { encoding: "utf8" });
    if (probe.status === 0) return "python3";
    console.warn("SKIPPED: the Python example: no python3 with `requests` (pip install requests)");
    return null;
  })();

  it.each([
    ["TypeScript", process.execPath, "gateway/client/examples/edit.ts"],
    ["Python", python, "gateway/client/examples/edit.py"],
  ])(
    "runs the README's %s example: the three artifacts saved",
    async (_language, command, script) => {
      if (command === null) return;
      const dir = mkdtempSync(join(tmpdir(), "zone-client-example-"));
      try {
        const photo = join(dir, "scene.png");
        writeFileSync(photo, scene);
        const run = spawnSync(command, [script, photo, "make the ball blue", join(dir, "out")], {
          encoding: "utf8",
          env: { ...process.env, ZONE_API_KEY: apiKey, ZONE_API_URL: stack.gatewayUrl },
          timeout: 120_000,
        });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/ed_\S+: (MISS|HIT)/);
        expect(readdirSync(join(dir, "out")).sort()).toEqual(["layer.png", "mask.png", "result.png"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    150_000,
  );
});
