// Typed errors with stable codes, shared by the gateway, the GPU function and the CLI.
// One error path per service: code throws `ZoneError`, one handler turns it into an RFC 9457
// problem+json body (HTTP) or a one-line message (CLI). Messages never contain image bytes or
// secrets.

/** Every error code, its HTTP status and a short human title. The `type` URI is derived. */
export const ERROR_CODES = {
  bad_request: { status: 400, title: "Bad request" },
  invalid_argument: { status: 400, title: "Invalid argument" },
  empty_instruction: { status: 422, title: "Instruction empty after cleaning" },
  insufficient_credits: { status: 402, title: "Insufficient credits" },
  quota_exceeded: { status: 429, title: "Quota exceeded" },
  unsupported_image: { status: 415, title: "Unsupported image" },
  unsupported_colour_space: { status: 415, title: "Unsupported colour space" },
  unsupported_output: { status: 422, title: "Output format cannot hold this image" },
  image_truncated: { status: 422, title: "Truncated or corrupt image" },
  image_too_large: { status: 413, title: "Image too large" },
  size_mismatch: { status: 422, title: "Sizes do not match" },
  invalid_hint: { status: 422, title: "Region hint out of range or malformed" },
  not_found: { status: 404, title: "Not found" },
  image_or_parent: { status: 422, title: "Send an image or a parent edit, not both" },
  lossy_parent: { status: 422, title: "A chain continues only from a lossless result" },
  not_in_chain: { status: 422, title: "Not a turn of this chain" },
  has_children: { status: 409, title: "Edit is the parent of a live edit" },
  unauthorized: { status: 401, title: "Unauthorized" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  payload_too_large: { status: 413, title: "Request body too large" },
  client_closed_request: { status: 499, title: "Client closed request" },
  not_ready: { status: 503, title: "Not ready" },
  overloaded: { status: 503, title: "Overloaded" },
  shutting_down: { status: 503, title: "Shutting down" },
  deadline_exceeded: { status: 504, title: "Deadline exceeded" },
  rate_limited: { status: 429, title: "Too many requests" },
  edit_canceled: { status: 409, title: "Edit canceled" },
  idempotency_in_flight: { status: 409, title: "Request with this Idempotency-Key in progress" },
  idempotency_mismatch: { status: 422, title: "Idempotency-Key reused with a different request" },
  upstream_error: { status: 502, title: "GPU function error" },
  upstream_unavailable: { status: 503, title: "GPU function unavailable" },
  upstream_timeout: { status: 504, title: "GPU function timed out" },
  models_missing: { status: 503, title: "Models not available" },
  model_bundle_invalid: { status: 503, title: "Model bundle invalid" },
  model_error: { status: 500, title: "Model execution failed" },
  internal: { status: 500, title: "Internal error" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The GPU function's refusals that are about the caller's image, which only a full decode finds
 * (the gateway reads headers only): the gateway answers them with the same code and status and
 * its own message, never the GPU function's body. Every other GPU 4xx is the gateway's own bug.
 */
export const CALLER_IMAGE_ERRORS = {
  image_truncated: "the image could not be decoded: it is truncated or corrupt",
  unsupported_image: "the image could not be decoded as PNG, JPEG or WebP",
  image_too_large: "the decoded image is over the pixel limit",
  unsupported_colour_space:
    "the image's colour space cannot be returned exactly (CMYK, or a greyscale or CMYK ICC profile): send RGB or greyscale without such a profile",
  unsupported_output: "the requested output format cannot hold this image exactly (a 16-bit image needs png)",
  invalid_hint:
    "the region hint (point, box or mask) does not fit the decoded image (its size after the EXIF orientation)",
} as const satisfies Partial<Record<ErrorCode, string>>;
export type CallerImageError = keyof typeof CALLER_IMAGE_ERRORS;

/** Base of the problem `type` URIs; stable, documented, never changes with deployments. */
export const PROBLEM_TYPE_BASE = "https://zone-edit.dev/problems/";

export interface ZoneErrorOptions {
  cause?: unknown;
  /** For 503s: when the caller may try again (sent as the Retry-After header). */
  retryAfterSeconds?: number;
  /**
   * RFC 9457 extension members for the client (e.g. a 402's `balance` and `price`). Numbers and
   * short strings only: never image bytes, secrets or another service's body.
   */
  extensions?: ProblemExtensions;
}

export type ProblemExtensions = Readonly<Record<string, number | string>>;

/** Members of a problem body an extension may not replace. */
const PROBLEM_MEMBERS = ["type", "title", "status", "detail", "code", "instance"];

export class ZoneError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds?: number;
  readonly extensions?: ProblemExtensions;

  constructor(code: ErrorCode, message: string, options?: ZoneErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ZoneError";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options?.extensions !== undefined) {
      const clash = Object.keys(options.extensions).find((name) => PROBLEM_MEMBERS.includes(name));
      if (clash !== undefined)
        throw new Error(`problem extension "${clash}" would replace a standard member`);
      this.extensions = options.extensions;
    }
  }
}

export interface ProblemDetails {
  [extension: string]: unknown;
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
}

/** RFC 9457 body for an error; unknown errors become `internal` without leaking their message. */
export function toProblem(error: unknown, instance?: string): ProblemDetails {
  const zoneError =
    error instanceof ZoneError ? error : new ZoneError("internal", "An internal error occurred.");
  const { title, status } = ERROR_CODES[zoneError.code];
  const problem: ProblemDetails = {
    type: `${PROBLEM_TYPE_BASE}${zoneError.code.replaceAll("_", "-")}`,
    title,
    status,
    detail: zoneError.message,
    code: zoneError.code,
  };
  if (instance !== undefined) problem.instance = instance;
  if (zoneError.extensions !== undefined) Object.assign(problem, zoneError.extensions);
  return problem;
}
