// Bearer authentication between the gateway and the GPU function. The Bearer grammar and the
// constant-time comparison are @zone/shared's (the gateway uses the same ones); a refusal is a
// 401 that the error path sends with the WWW-Authenticate challenge below. The secret is never
// logged or echoed.
import { bearerToken, timingSafeEqualText, ZoneError } from "@zone/shared";
import type { MiddlewareHandler } from "hono";

/** What a 401 from this service asks for (RFC 6750 §3). */
export const BEARER_CHALLENGE = 'Bearer realm="zone-gpu"';

/** Rejects requests without the right bearer token; `secret` null lets everything through. */
export function requireBearer(secret: string | null): MiddlewareHandler {
  return async (c, next) => {
    if (secret === null) return next();
    const token = bearerToken(c.req.header("authorization"));
    if (token === null) throw new ZoneError("unauthorized", "send Authorization: Bearer <GPU_SHARED_SECRET>");
    if (!(await timingSafeEqualText(token, secret)))
      throw new ZoneError("unauthorized", "the bearer token is not valid");
    return next();
  };
}
