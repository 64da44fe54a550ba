// Admin endpoints (ADMIN_TOKEN): create, list and revoke API keys. The secret of a new key is
// returned once and never stored.
import { formatZodIssues, ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { z } from "zod";
import { createAccountAndKey, listKeys, revokeKey } from "../db/queries.ts";
import type { AppEnv } from "../env.ts";
import { generateApiKey, hashApiKey, keyHint } from "../keys/api-key.ts";
import { forgetKey } from "../keys/key-cache.ts";

export const admin = new Hono<AppEnv>();

const createKeySchema = z.strictObject({
  name: z.string().min(1).max(100),
  accountId: z
    .string()
    .regex(/^[a-z0-9_-]{1,64}$/)
    .optional(),
  environment: z.enum(["live", "test"]).default("live"),
});

admin.post("/keys", async (c) => {
  const parsed = createKeySchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) throw new ZoneError("invalid_argument", formatZodIssues(parsed.error, "body"));
  const { name, environment } = parsed.data;
  const accountId = parsed.data.accountId ?? `acct_${crypto.randomUUID().slice(0, 8)}`;
  const key = generateApiKey(environment);
  const id = `key_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await createAccountAndKey(c.env.DB, {
    accountId,
    accountName: name,
    keyId: id,
    keyName: name,
    keyHash: await hashApiKey(key, c.env.KEY_PEPPER),
    hint: keyHint(key),
    environment,
    now: Date.now(),
  });
  return c.json({ id, accountId, name, environment, key, hint: keyHint(key) }, 201);
});

admin.get("/keys", async (c) => c.json({ keys: await listKeys(c.env.DB) }));

admin.delete("/keys/:id", async (c) => {
  if (!(await revokeKey(c.env.DB, c.req.param("id"), Date.now())))
    throw new ZoneError("not_found", `no active key ${c.req.param("id")}`);
  forgetKey(c.req.param("id"));
  return c.body(null, 204);
});
