// Per-key rate limit with the Workers rate-limit binding; 429 + Retry-After when over it.
// Without the binding (some local setups) the limit is not enforced, and that is logged once.
import { ZoneError } from "@zone/shared";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";

let warned = false;

export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const limiter = c.env.RATE_LIMITER;
  if (!limiter) {
    if (!warned) console.warn("RATE_LIMITER binding missing: rate limits are not enforced");
    warned = true;
    return next();
  }
  const { success } = await limiter.limit({ key: c.get("caller").keyId });
  if (!success)
    throw new ZoneError("rate_limited", "too many requests for this API key", { retryAfterSeconds: 60 });
  await next();
});
