// API-key authentication: `Authorization: Bearer ze_live_...`. The key's shape and checksum are
// checked before any database read; then it is looked up by its peppered HMAC.
import { ZoneError } from "@zone/shared";
import { createMiddleware } from "hono/factory";
import { findActiveKeyByHash, touchKey } from "../db/queries.ts";
import type { AppEnv } from "../env.ts";
import { hashApiKey, parseApiKey } from "../keys/api-key.ts";
import { cachedCaller, rememberCaller, shouldTouch } from "../keys/key-cache.ts";

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1] : null;
}

export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const key = bearerToken(c.req.header("authorization"));
  if (key === null)
    throw new ZoneError("unauthorized", "send your API key as `Authorization: Bearer ze_live_...`");
  if (parseApiKey(key) === null) throw new ZoneError("unauthorized", "the API key is malformed");
  const now = Date.now();
  const keyHash = await hashApiKey(key, c.env.KEY_PEPPER);
  let caller = cachedCaller(keyHash, now);
  if (caller === null) {
    const row = await findActiveKeyByHash(c.env.DB, keyHash);
    if (row === null) throw new ZoneError("unauthorized", "the API key is unknown or revoked");
    caller = { accountId: row.account_id, keyId: row.id };
    rememberCaller(keyHash, caller, now);
  }
  c.set("caller", caller);
  if (shouldTouch(caller.keyId, now)) c.executionCtx.waitUntil(touchKey(c.env.DB, caller.keyId, now));
  await next();
});

/** Constant-time comparison of two strings through their SHA-256 digests. */
export async function timingSafeEqualText(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all(
    [a, b].map(
      async (s) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s))),
    ),
  );
  let diff = 0;
  for (let i = 0; i < da.length; i++) diff |= da[i] ^ db[i];
  return diff === 0;
}

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (token === null || !c.env.ADMIN_TOKEN || !(await timingSafeEqualText(token, c.env.ADMIN_TOKEN))) {
    throw new ZoneError("unauthorized", "admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>`");
  }
  await next();
});
