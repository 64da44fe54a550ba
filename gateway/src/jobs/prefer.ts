// The request headers that make POST /v1/edits asynchronous (RFC 7240 Prefer, and Cancel-After):
//   Prefer: respond-async     answer 202 with the job at once (unless it is a cache hit)
//   Prefer: wait=N            wait up to N seconds (capped at PREFER_WAIT_MAX_SECONDS), then 202
//   Cancel-After: S           cancel the job if it has not finished S seconds after submission
// Without any of them the edit stays synchronous, as it always was (routes/edits.ts).
import { PREFER_WAIT_MAX_SECONDS, ZoneError } from "@zone/shared";

export interface AsyncPreference {
  /** How long to wait for the result before answering 202, in milliseconds (0: at once). */
  waitMs: number;
  /** The Preference-Applied header's value, naming what was honoured. */
  applied: string;
}

/** The async preference of a Prefer header, or null when it asks for neither async nor a wait. */
export function parsePrefer(header: string | undefined): AsyncPreference | null {
  if (header === undefined) return null;
  let respondAsync = false;
  let wait: number | null = null;
  for (const part of header.split(",")) {
    const [token, ...rest] = part.split(";")[0].split("=");
    const name = token.trim().toLowerCase();
    const value = rest
      .join("=")
      .trim()
      .replace(/^"(.*)"$/, "$1");
    if (name === "respond-async") respondAsync = true;
    else if (name === "wait") {
      // RFC 7240 4.3: wait = delta-seconds. An unreadable one is ignored, as unknown preferences are.
      if (/^\d+$/.test(value)) wait = Math.min(Number(value), PREFER_WAIT_MAX_SECONDS);
    }
  }
  if (respondAsync && wait === null) return { waitMs: 0, applied: "respond-async" };
  if (wait === null) return null;
  return { waitMs: wait * 1000, applied: respondAsync ? `respond-async, wait=${wait}` : `wait=${wait}` };
}

/** Milliseconds until a job is canceled, from Cancel-After (whole seconds), or null when absent. */
export function parseCancelAfter(header: string | undefined, maxMs: number): number | null {
  if (header === undefined) return null;
  if (!/^\s*\d+\s*$/.test(header))
    throw new ZoneError("invalid_argument", "Cancel-After must be a whole number of seconds");
  const ms = Number(header.trim()) * 1000;
  if (ms < 1000) throw new ZoneError("invalid_argument", "Cancel-After must be at least 1 second");
  if (ms > maxMs)
    throw new ZoneError(
      "invalid_argument",
      `Cancel-After may be at most ${Math.floor(maxMs / 1000)} seconds (the longest an edit may run)`,
    );
  return ms;
}
