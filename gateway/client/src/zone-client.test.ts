// The client's joins, against a scripted fetch: the key and a fresh Idempotency-Key on each POST
// (kept across its retries), problem details as ZoneApiError, the artifact path.
import { describe, expect, it } from "vitest";
import { ZoneApiError } from "./problem-error.ts";
import { createZoneClient } from "./zone-client.ts";

const EDIT = { id: "ed_x", cache: "MISS", links: { self: "", result: "", layer: "", mask: "" } };

describe("createZoneClient", () => {
  it("sends the key, an Idempotency-Key per createEdit (the same on its retry) and the form", async () => {
    const seen: Request[] = [];
    let keys = 0;
    const client = createZoneClient({
      baseUrl: "http://gateway.test/",
      apiKey: "ze_test_abc",
      idempotencyKey: () => `key-${++keys}`,
      retry: { sleep: async () => {} },
      fetch: async (request) => {
        seen.push(request);
        return seen.length === 1
          ? new Response("{}", { status: 503, headers: { "retry-after": "1" } })
          : Response.json(EDIT, {
              status: 201,
              headers: { "x-cache": "MISS", "server-timing": "total;dur=3" },
            });
      },
    });
    const answer = await client.createEdit({
      image: new Uint8Array([1, 2, 3]),
      instruction: "make it red",
      steps: 4,
    });
    expect(answer).toMatchObject({ cache: "MISS", serverTiming: "total;dur=3", replayed: false });
    expect(seen.map((r) => r.headers.get("idempotency-key"))).toEqual(["key-1", "key-1"]);
    expect(seen[1].headers.get("authorization")).toBe("Bearer ze_test_abc");
    expect(seen[1].url).toBe("http://gateway.test/v1/edits");
    const form = await seen[1].formData();
    expect(form.get("instruction")).toBe("make it red");
    expect(form.get("steps")).toBe("4");
    expect((await (form.get("image") as Blob).arrayBuffer()).byteLength).toBe(3);
    await client.createEdit({ image: new Uint8Array([1]), instruction: "again" });
    expect(seen[2].headers.get("idempotency-key")).toBe("key-2");
    await client.createEdit({ image: new Uint8Array([1]), instruction: "mine", idempotencyKey: "chosen" });
    expect(seen[3].headers.get("idempotency-key")).toBe("chosen");
  });

  it("throws problem details as ZoneApiError with code, status and Retry-After", async () => {
    const client = createZoneClient({
      baseUrl: "http://gateway.test",
      apiKey: "ze_test_abc",
      retry: { attempts: 1 },
      fetch: async () =>
        new Response(
          JSON.stringify({
            type: "t",
            title: "Too many requests",
            status: 429,
            detail: "slow down",
            code: "rate_limited",
          }),
          { status: 429, headers: { "content-type": "application/problem+json", "retry-after": "60" } },
        ),
    });
    const error = await client.getEdit("ed_x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZoneApiError);
    expect(error).toMatchObject({
      status: 429,
      code: "rate_limited",
      retryAfterSeconds: 60,
      message: "Too many requests: slow down",
    });
  });

  it("downloads an artifact by the edit's id and the artifact's name", async () => {
    const urls: string[] = [];
    const client = createZoneClient({
      baseUrl: "http://gateway.test",
      apiKey: "ze_test_abc",
      fetch: async (request) => {
        urls.push(request.url);
        return new Response(new Uint8Array([137, 80]), { headers: { "content-type": "image/png" } });
      },
    });
    const artifact = await client.downloadArtifact("ed_x", "mask");
    expect(urls).toEqual(["http://gateway.test/v1/edits/ed_x/mask"]);
    expect(artifact).toEqual({ bytes: new Uint8Array([137, 80]), contentType: "image/png" });
  });
});
