// Follows a job through GET /v1/edits/{id}/events (Server-Sent Events read with fetch, so the API
// key goes in the Authorization header): every event in order to `onEvent`, until the final state
// (edit.succeeded, edit.failed or edit.canceled), whose data (the job then) it answers. A stream
// that ends or drops before that is read again with Last-Event-ID = the last complete event's id,
// so the gateway resumes right after it: nothing is missed, nothing is seen twice.
import { call, PlaygroundProblem, pathOf } from "./api.js";
import { SseParser } from "./sse.js";

/** The events that end a job's stream. */
export const FINAL_EVENTS = new Set(["edit.succeeded", "edit.failed", "edit.canceled"]);
/** Reconnections in a row that bring no new event before the page gives up on the stream. */
export const MAX_IDLE_RECONNECTS = 5;
const RECONNECT_DELAY_MS = 500;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One connection: its events to `onEvent`; the final event's, or null if the stream ended first. */
async function readOnce(path, parser, onEvent, signal) {
  const headers = { accept: "text/event-stream" };
  if (parser.lastEventId !== null) headers["last-event-id"] = parser.lastEventId;
  const response = await call(path, { headers, signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      for (const event of done ? parser.finish() : parser.push(value)) {
        const data = JSON.parse(event.data);
        onEvent({ id: Number(event.id), event: event.event, data });
        if (FINAL_EVENTS.has(event.event)) return { event: event.event, data };
      }
      if (done) return null;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * Reads the job's events to its final one; `connections` counts the requests made (the first and
 * every resumption). A problem answer (404, 401) ends it at once; a dropped stream is resumed.
 */
export async function followJob(eventsUrl, onEvent, { signal, connections = () => {} } = {}) {
  const path = pathOf(eventsUrl);
  const parser = new SseParser();
  let idle = 0;
  for (;;) {
    const before = parser.lastEventId;
    connections(parser.lastEventId);
    let final = null;
    try {
      final = await readOnce(path, parser, onEvent, signal);
    } catch (error) {
      if (error.name === "AbortError") throw error;
      if (error instanceof PlaygroundProblem && error.status >= 400 && error.status < 500) throw error;
      // A network error or a 5xx: the stream dropped; resume it below.
    }
    if (final !== null) return final;
    idle = parser.lastEventId === before ? idle + 1 : 0;
    if (idle >= MAX_IDLE_RECONNECTS)
      throw new PlaygroundProblem(0, {
        code: "network",
        title: "Lost the job's events",
        detail: `the event stream ended ${idle} times without a new event`,
      });
    await sleep(RECONNECT_DELAY_MS * idle);
  }
}
