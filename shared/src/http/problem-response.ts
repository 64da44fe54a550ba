// The one RFC 9457 error response of both services: the problem+json body from `toProblem`, with
// Retry-After when the error says when to come back and the request id echoed. Service-specific
// headers (the GPU service's WWW-Authenticate challenge, `connection: close`) come in as options.
import { toProblem, ZoneError } from "../errors.ts";
import { REQUEST_ID_HEADER } from "./request-id.ts";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface ProblemResponseOptions {
  /** The problem's `instance`, normally the request path. */
  instance?: string;
  /** Sent back as X-Request-Id. */
  requestId?: string;
  /** The challenge sent as WWW-Authenticate when the status is 401 (RFC 9110 §11.6.1). */
  wwwAuthenticate?: string;
  /** Further headers (e.g. `connection: close`); the ones above take precedence. */
  headers?: Record<string, string>;
}

export function problemResponse(error: unknown, options: ProblemResponseOptions = {}): Response {
  const problem = toProblem(error, options.instance);
  const headers = new Headers(options.headers);
  headers.set("content-type", PROBLEM_CONTENT_TYPE);
  if (error instanceof ZoneError && error.retryAfterSeconds !== undefined)
    headers.set("retry-after", String(error.retryAfterSeconds));
  if (options.requestId) headers.set(REQUEST_ID_HEADER, options.requestId);
  if (problem.status === 401 && options.wwwAuthenticate !== undefined)
    headers.set("www-authenticate", options.wwwAuthenticate);
  return new Response(JSON.stringify(problem), { status: problem.status, headers });
}
