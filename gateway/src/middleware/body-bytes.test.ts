import { describe, expect, it } from "vitest";
import { drain, drainCeilingBytes, maxRequestBytes } from "./body-bytes.ts";

const env = { MAX_UPLOAD_BYTES: "1000" } as Parameters<typeof maxRequestBytes>[0];

function stream(chunks: number[], onCancel: () => void = () => {}): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(new Uint8Array(chunks[i++]));
      else controller.close();
    },
    cancel: onCancel,
  });
}

describe("body limits", () => {
  it("takes the upload cap plus 64 KiB of form, and drains up to twice that", () => {
    expect(maxRequestBytes(env)).toBe(1000 + 64 * 1024);
    expect(drainCeilingBytes(env)).toBe(2 * (1000 + 64 * 1024));
  });
});

describe("drain", () => {
  it("reads a body to its end", async () => {
    expect(await drain(stream([10, 20, 30]).getReader(), 100)).toBe(60);
  });

  it("stops past the limit and cancels the rest", async () => {
    let canceled = false;
    const read = await drain(stream([40, 40, 40, 40, 40], () => (canceled = true)).getReader(), 100);
    expect(read).toBe(120);
    expect(canceled).toBe(true);
  });

  it("counts what was read before it, and survives a client gone mid-body", async () => {
    expect(await drain(stream([10]).getReader(), 100, 95)).toBe(105);
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("connection reset"));
      },
    });
    expect(await drain(broken.getReader(), 100)).toBe(0);
  });
});
