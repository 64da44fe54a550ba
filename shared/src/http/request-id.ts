// The request id both services accept, send back and log. Each service runs hono's `requestId`
// middleware with these options: a valid incoming id (the gateway's, on its way to the GPU
// function) is kept; a missing one, one longer than the limit or one with a character outside
// [A-Za-z0-9_=-] (hono's check) is replaced by a fresh UUID.

export const REQUEST_ID_HEADER = "X-Request-Id";

/** Longest incoming id kept. */
export const REQUEST_ID_MAX_LENGTH = 128;

/** The options of hono's `requestId(...)` (structurally its RequestIdOptions). */
export const REQUEST_ID_OPTIONS = {
  headerName: REQUEST_ID_HEADER,
  limitLength: REQUEST_ID_MAX_LENGTH,
} as const;
