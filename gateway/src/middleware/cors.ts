// CORS, off unless CORS_ORIGINS lists origins (comma-separated, e.g.
// "https://app.example.com,http://localhost:5173"): then hono's cors answers those origins, and
// answers their preflight (OPTIONS) itself, before authentication, which a preflight never carries.
// The browser may read every documented response header (Location, Retry-After, ...).

import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";
import { RESPONSE_HEADERS } from "../openapi/headers.ts";

/** Request headers a browser client may send besides the CORS-safelisted ones. */
export const CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"];
/** How long a browser may cache a preflight answer (seconds). */
export const CORS_MAX_AGE_S = 600;

/** The origins of CORS_ORIGINS; an entry that is not an origin (scheme://host[:port]) is a configuration error. */
export function parseCorsOrigins(value: string | undefined): string[] {
  const origins = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  for (const origin of origins) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {}
    if (parsed === null || parsed.origin !== origin)
      throw new Error(
        `CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin like https://app.example.com`,
      );
  }
  return origins;
}

const handlers = new Map<string, MiddlewareHandler | null>();

function handlerFor(value: string | undefined): MiddlewareHandler | null {
  const known = handlers.get(value ?? "");
  if (known !== undefined) return known;
  const origins = parseCorsOrigins(value);
  const handler =
    origins.length === 0
      ? null
      : cors({
          origin: origins,
          allowMethods: ["GET", "POST", "DELETE"],
          allowHeaders: CORS_REQUEST_HEADERS,
          exposeHeaders: Object.keys(RESPONSE_HEADERS),
          maxAge: CORS_MAX_AGE_S,
        });
  handlers.set(value ?? "", handler);
  return handler;
}

export const corsFromEnv = createMiddleware<AppEnv>(async (c, next) => {
  const handler = handlerFor(c.env.CORS_ORIGINS);
  if (handler === null) return next();
  return handler(c, next);
});
