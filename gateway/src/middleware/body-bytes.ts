// How many request-body bytes the gateway takes and how many it reads to throw away: the one
// owner of both limits, for the size check (size-limit.ts) and the drain (drain-body.ts).
//
// Why throw bytes away: workerd closes a connection whose request body is left unread, and an
// HTTP client that already sent its next request on that kept-alive connection, or that is still
// writing the body (Node's fetch does both), then fails with EPIPE or ECONNRESET instead of
// reading the answer. So an answer that did not need the body (401, 413, 429, 415, 400) is sent
// after the body is read, up to DRAIN_FACTOR times the largest body the API takes; past that the
// connection is closed, and only clients that read an early answer (curl) see it.
import { limitsFrom } from "../edits/edit-request.ts";
import type { Env } from "../env.ts";

/** Room for the multipart framing and the text fields around the image. */
const FORM_OVERHEAD_BYTES = 64 * 1024;
const DRAIN_FACTOR = 2;

/** The largest request body POST /v1/edits takes: the upload cap plus the form around it. */
export function maxRequestBytes(env: Env): number {
  return limitsFrom(env).maxUploadBytes + FORM_OVERHEAD_BYTES;
}

/** The most bytes of an unneeded body read (and discarded) before answering. */
export function drainCeilingBytes(env: Env): number {
  return DRAIN_FACTOR * maxRequestBytes(env);
}

/** Reads `reader` to its end or until `limit` bytes in all (`already` counted); never throws. */
export async function drain(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
  already = 0,
): Promise<number> {
  let read = already;
  try {
    while (read <= limit) {
      const { done, value } = await reader.read();
      if (done) return read;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away mid-body: nothing left to answer.
  }
  return read;
}
