// The GPU function's streamed answer to POST /v1/edit (internal API), asked for with
// `Accept: GPU_PROGRESS_STREAM_TYPE`. Why a stream: one connection carries the progress and the
// result, so there is nothing to poll and no callback URL to expose, the gateway's closing of it
// is the cancellation (the GPU function stops at its next denoising step), and its first bytes
// leave at once, so a proxy that answers slow requests with a redirect (Modal web endpoints: 303
// after 150 s) sees a response that has started.
//
// The body: newline-terminated JSON lines (gpuStreamLineSchema), in this order:
//   {"type":"accepted"}                                   the request was read; waiting for a GPU slot
//   {"type":"started"}                                    the edit runs
//   {"type":"progress","stage":...,"step":k,"steps":n}    each stage, and each denoising step k of n
// then exactly one of
//   {"type":"result","contentType":"multipart/form-data; boundary=..."}  and, after its newline,
//                                                          the bytes of the usual multipart answer
//   {"type":"error","status":503,"retryAfterSeconds":5,"problem":{...}}   the problem+json it
//                                                          would have answered with that status
import { z } from "zod";
import { ZoneError } from "./errors.ts";

export const GPU_PROGRESS_STREAM_TYPE = "application/vnd.zone-edit.progress-stream";

export const gpuStreamLineSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("accepted") }),
  z.object({ type: z.literal("started") }),
  z.object({
    type: z.literal("progress"),
    stage: z.string(),
    step: z.number().int().nullable(),
    steps: z.number().int().nullable(),
  }),
  z.object({ type: z.literal("result"), contentType: z.string() }),
  z.object({
    type: z.literal("error"),
    status: z.number().int(),
    retryAfterSeconds: z.number().nullable(),
    problem: z.object({ code: z.string() }).passthrough(),
  }),
]);
export type GpuStreamLine = z.infer<typeof gpuStreamLineSchema>;

/** The lines before the end: progress of the edit. */
export type GpuProgressLine = Extract<GpuStreamLine, { type: "accepted" | "started" | "progress" }>;
/** The last line: the result (the multipart answer follows it) or the error. */
export type GpuEndLine = Extract<GpuStreamLine, { type: "result" | "error" }>;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function parseLine(text: string): GpuStreamLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const line = gpuStreamLineSchema.safeParse(json);
  if (!line.success)
    throw new ZoneError("upstream_error", "the GPU function's progress stream broke the contract");
  return line.data;
}

/**
 * Reads a progress stream: hands each progress line to `onLine` as it arrives and resolves with
 * the end line and the bytes after it (the multipart answer after a result line). A line off the
 * contract, or a stream that ends without an end line, is an upstream_error ZoneError; a lost
 * connection rejects as the stream's read does (the caller may retry that).
 */
export async function readProgressStream(
  body: ReadableStream<Uint8Array>,
  onLine: (line: GpuProgressLine) => void,
): Promise<{ end: GpuEndLine; rest: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  for (;;) {
    let newline = buffer.indexOf(10);
    while (newline >= 0) {
      const text = decoder.decode(buffer.subarray(0, newline));
      buffer = buffer.subarray(newline + 1);
      const line = parseLine(text);
      if (line.type === "result" || line.type === "error") {
        const leftover = buffer;
        const rest = new ReadableStream<Uint8Array>({
          start(controller) {
            if (leftover.length > 0) controller.enqueue(leftover);
          },
          async pull(controller) {
            const { done, value } = await reader.read();
            if (done) controller.close();
            else controller.enqueue(value);
          },
          cancel(reason) {
            return reader.cancel(reason);
          },
        });
        return { end: line, rest };
      }
      onLine(line);
      newline = buffer.indexOf(10);
    }
    const { done, value } = await reader.read();
    if (done)
      throw new ZoneError("upstream_error", "the GPU function's progress stream ended without a result");
    buffer = concat(buffer, value);
  }
}
