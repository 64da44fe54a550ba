import { describe, expect, it } from "vitest";
import { ZoneError } from "./errors.ts";
import { type GpuProgressLine, readProgressStream } from "./gpu-progress-stream.ts";

/** A stream of these chunks (strings as UTF-8, bytes as they are). */
function chunks(...parts: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(typeof part === "string" ? encoder.encode(part) : part);
      controller.close();
    },
  });
}

describe("readProgressStream", () => {
  it("hands over each line as it completes, lines split across chunks included, and the bytes after the result", async () => {
    const lines: GpuProgressLine[] = [];
    const binary = new Uint8Array([0, 10, 255, 10, 1]);
    const { end, rest } = await readProgressStream(
      chunks(
        '{"type":"accepted"}\n{"type":"sta',
        'rted"}\n{"type":"progress","stage":"denoise","step":1,"steps":2}\n',
        '{"type":"result","contentType":"multipart/form-data; boundary=x"}\n',
        binary.subarray(0, 2),
        binary.subarray(2),
      ),
      (line) => lines.push(line),
    );
    expect(lines).toEqual([
      { type: "accepted" },
      { type: "started" },
      { type: "progress", stage: "denoise", step: 1, steps: 2 },
    ]);
    expect(end).toEqual({ type: "result", contentType: "multipart/form-data; boundary=x" });
    expect(new Uint8Array(await new Response(rest).arrayBuffer())).toEqual(binary);
  });

  it("keeps bytes that came in the result line's own chunk", async () => {
    const { rest } = await readProgressStream(
      chunks('{"type":"result","contentType":"a/b"}\n--x\n'),
      () => {},
    );
    expect(await new Response(rest).text()).toBe("--x\n");
  });

  it("ends with an error line", async () => {
    const { end } = await readProgressStream(
      chunks('{"type":"error","status":503,"retryAfterSeconds":5,"problem":{"code":"not_ready"}}\n'),
      () => {},
    );
    expect(end).toMatchObject({ type: "error", status: 503, retryAfterSeconds: 5 });
  });

  it("refuses a line off the contract and a stream without an end as upstream_error", async () => {
    for (const body of ['{"type":"accepted"}\nnot json\n', '{"type":"launched"}\n', '{"type":"started"}\n']) {
      const error = await readProgressStream(chunks(body), () => {}).catch((e: unknown) => e);
      expect(error, body).toBeInstanceOf(ZoneError);
      expect((error as ZoneError).code).toBe("upstream_error");
    }
  });
});
