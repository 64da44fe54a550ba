// API-key authentication: `Authorization: Bearer ze_live_...`. The key's shape and checksum are
// checked before any database read; then it is looked up by its peppered HMAC. The Bearer grammar
// and the constant-time comparison of the admin token are @zone/shared's, as on the GPU service.
import { bearerToken, timingSafeEqualText, ZoneError } from "@zone/shared";
import { createMiddleware } from "hono/factory";
import { findActiveKeyByHash, touchKey } from "../db/queries.ts";
import type { AppEnv } from "../env.ts";
import { hashApiKey, parseApiKey } from "../keys/api-key.ts";
import { cachedCaller, rememberCaller, shouldTouch } from "../keys/key-cache.ts";

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
    caller = { accountId: row.account_id, keyId: row.id, environment: row.environment };
    rememberCaller(keyHash, caller, now);
  }
  c.set("caller", caller);
  if (shouldTouch(caller.keyId, now)) c.executionCtx.waitUntil(touchKey(c.env.DB, caller.keyId, now));
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (token === null || !c.env.ADMIN_TOKEN || !(await timingSafeEqualText(token, c.env.ADMIN_TOKEN))) {
    throw new ZoneError("unauthorized", "admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>`");
  }
  await next();
});
