// What makes POST /v1/edits asynchronous (RFC 7240 Prefer, and Cancel-After), as createEdit's
// second argument; the gateway reads these headers in gateway/src/jobs/prefer.ts.

/**
 * createEdit's second argument: make the edit a job. `respondAsync`: 202 with the job at once;
 * `wait`: wait up to this many seconds (the gateway caps it: PREFER_WAIT_MAX_SECONDS, and says so in preferenceApplied) for the edit, then 202;
 * `cancelAfterSeconds`: the gateway cancels the job (never billed) if it has not finished by then.
 * A cache hit is answered at once (an EditAnswer) either way.
 */
export interface AsyncEditOptions {
  respondAsync?: boolean;
  wait?: number;
  cancelAfterSeconds?: number;
}

/** The Prefer and Cancel-After headers of AsyncEditOptions (none when it asks for neither). */
export function asyncEditHeaders(options: AsyncEditOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const prefer: string[] = [];
  if (options.respondAsync) prefer.push("respond-async");
  if (options.wait !== undefined) {
    if (!Number.isInteger(options.wait) || options.wait < 0)
      throw new RangeError(`wait is whole seconds (0 or more), not ${options.wait}`);
    prefer.push(`wait=${options.wait}`);
  }
  if (prefer.length > 0) headers.prefer = prefer.join(", ");
  if (options.cancelAfterSeconds !== undefined) {
    if (!Number.isInteger(options.cancelAfterSeconds) || options.cancelAfterSeconds < 1)
      throw new RangeError(
        `cancelAfterSeconds is whole seconds (1 or more), not ${options.cancelAfterSeconds}`,
      );
    headers["cancel-after"] = String(options.cancelAfterSeconds);
  }
  return headers;
}
