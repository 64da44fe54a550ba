// GET /v1/usage?from=&to=: billed edits and free cache hits of the caller's account.
import { ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { usage } from "../db/queries.ts";
import type { AppEnv } from "../env.ts";

export const usageRoutes = new Hono<AppEnv>();

function instant(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ZoneError("invalid_argument", `${name} must be an ISO 8601 date or time`);
  return t;
}

usageRoutes.get("/", async (c) => {
  const now = Date.now();
  const from = instant(c.req.query("from"), now - 30 * 86_400_000, "from");
  const to = instant(c.req.query("to"), now + 1, "to");
  if (to <= from) throw new ZoneError("invalid_argument", "`to` must be after `from`");
  const totals = await usage(c.env.DB, c.get("caller").accountId, from, to);
  return c.json({
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    billedEdits: totals.billed,
    cacheHits: totals.hits,
    totalRequests: totals.total,
  });
});
