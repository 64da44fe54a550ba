// Bearer authentication between the gateway and the GPU function: the shared secret is compared
// in constant time. Both sides are hashed first so the comparison always runs over two 32-byte
// digests, whatever the lengths (timingSafeEqual itself throws on unequal lengths, which would
// leak the secret's length). The secret is never logged or echoed.
import { createHash, timingSafeEqual } from "node:crypto";
import { ZoneError } from "@zone/shared";
import type { MiddlewareHandler } from "hono";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

export function secretsMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), else null. */
export function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer +([^ ]+) *$/i);
  return match ? match[1] : null;
}

/** Rejects requests without the right bearer token; `secret` null lets everything through. */
export function requireBearer(secret: string | null): MiddlewareHandler {
  return async (c, next) => {
    if (secret === null) return next();
    const token = bearerToken(c.req.header("authorization"));
    if (token === null) throw new ZoneError("unauthorized", "send Authorization: Bearer <GPU_SHARED_SECRET>");
    if (!secretsMatch(token, secret)) throw new ZoneError("unauthorized", "the bearer token is not valid");
    return next();
  };
}
