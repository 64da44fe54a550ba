// POST /v1/edit with `Accept: GPU_PROGRESS_STREAM_TYPE` (@zone/shared gpu-progress-stream.ts):
// the same edit as handleEdit, answered as a stream of progress lines and then the multipart
// answer, or an error line carrying the problem it would have answered with. The stream's reader
// going away (the gateway canceling) aborts the edit, as the request's own signal does.
import { GPU_PROGRESS_STREAM_TYPE, type GpuStreamLine, toProblem, ZoneError } from "@zone/shared";
import type { EditProgress } from "../pipeline/zone-edit.ts";
import type { ServiceDeps } from "./app.ts";
import { handleEdit } from "./edit-handler.ts";

const encoder = new TextEncoder();

export const wantsProgressStream = (request: Request): boolean =>
  request.headers.get("accept") === GPU_PROGRESS_STREAM_TYPE;

/** A pipeline event as a progress line: stage, and step k of n (from 1) while denoising. */
export function progressLine(event: EditProgress): GpuStreamLine {
  return event.stage === "denoise"
    ? { type: "progress", stage: "denoise", step: event.step, steps: event.total }
    : { type: "progress", stage: event.stage, step: null, steps: null };
}

export function errorLine(error: unknown): GpuStreamLine {
  const problem = toProblem(error);
  return {
    type: "error",
    status: problem.status,
    retryAfterSeconds: error instanceof ZoneError ? (error.retryAfterSeconds ?? null) : null,
    problem,
  };
}

export function handleStreamedEdit(deps: ServiceDeps, request: Request): Response {
  const gone = new AbortController();
  let out: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
    },
    cancel() {
      gone.abort(new ZoneError("client_closed_request", "the client closed the stream"));
    },
  });
  const send = (line: GpuStreamLine) => {
    if (!gone.signal.aborted) out.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
  };
  const run = async () => {
    send({ type: "accepted" });
    try {
      const answer = await handleEdit(deps, request, {
        signal: gone.signal,
        onStart: () => send({ type: "started" }),
        onProgress: (event) => send(progressLine(event)),
      });
      send({ type: "result", contentType: answer.headers.get("content-type") ?? "multipart/form-data" });
      const bytes = new Uint8Array(await answer.arrayBuffer());
      if (!gone.signal.aborted) out.enqueue(bytes);
    } catch (error) {
      if (!(error instanceof ZoneError))
        deps.log.error("streamed edit failed", { error: (error as Error).message });
      send(errorLine(error));
    }
    if (!gone.signal.aborted) out.close();
  };
  void run();
  return new Response(body, {
    status: 200,
    headers: { "content-type": GPU_PROGRESS_STREAM_TYPE, "cache-control": "no-store" },
  });
}
