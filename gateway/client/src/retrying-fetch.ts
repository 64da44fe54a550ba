// fetch with retries of 429 and 503 answers (and of connections that fail before any answer),
// waiting what Retry-After says, else an exponential backoff; each attempt sends a clone of the
// same Request, so a POST keeps its Idempotency-Key and is never billed twice.
import { retryAfterMs } from "./problem-error.ts";

export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export interface ClientRetryOptions {
  /** Tries in all, the first included (default 3; 1 turns retrying off). */
  attempts?: number;
  /** The longest wait between tries, ms (default 30 000): a longer Retry-After is answered, not waited for. */
  maxDelayMs?: number;
  /** First backoff without Retry-After, ms, doubled per try (default 500). */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const CLIENT_RETRY_DEFAULTS = { attempts: 3, maxDelayMs: 30_000, baseDelayMs: 500 } as const;

export function retryingFetch(
  fetchImpl: (request: Request) => Promise<Response>,
  options: ClientRetryOptions = {},
): (request: Request) => Promise<Response> {
  const attempts = options.attempts ?? CLIENT_RETRY_DEFAULTS.attempts;
  const maxDelayMs = options.maxDelayMs ?? CLIENT_RETRY_DEFAULTS.maxDelayMs;
  const baseDelayMs = options.baseDelayMs ?? CLIENT_RETRY_DEFAULTS.baseDelayMs;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (request) => {
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      let response: Response;
      try {
        response = await fetchImpl(last ? request : request.clone());
      } catch (error) {
        if (last || request.signal.aborted) throw error;
        await sleep(baseDelayMs * 2 ** (attempt - 1));
        continue;
      }
      if (last || !RETRY_STATUSES.has(response.status)) return response;
      const wait =
        retryAfterMs(response.headers.get("retry-after"), Date.now()) || baseDelayMs * 2 ** (attempt - 1);
      if (wait > maxDelayMs) return response;
      await response.body?.cancel();
      await sleep(wait);
    }
  };
}
