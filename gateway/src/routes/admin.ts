// Admin endpoints (ADMIN_TOKEN): API keys (create, list, revoke) and an account's credits (read,
// add). One naming style (camelCase, times as ISO 8601) in every answer: a key is always
// `keyResource` of its row, and the secret of a new key is returned once and never stored.
import { formatZodIssues, ZoneError } from "@zone/shared";
import { Hono } from "hono";
import type { z } from "zod";
import { accountBalance } from "../billing/credit-hold.ts";
import { accountExists, createAccountAndKey, type KeyRow, listKeys, revokeKey } from "../db/queries.ts";
import type { AppEnv } from "../env.ts";
import { generateApiKey, hashApiKey, keyHint } from "../keys/api-key.ts";
import { forgetKey } from "../keys/key-cache.ts";
import { ACCOUNT_ID, createKeySchema, creditsSchema } from "./admin-schemas.ts";

export const admin = new Hono<AppEnv>();

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A key as every admin answer shows it (never its hash; its secret only when just created). */
export function keyResource(row: KeyRow) {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    environment: row.environment,
    hint: row.hint,
    createdAt: iso(row.created_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

async function body<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) throw new ZoneError("invalid_argument", formatZodIssues(parsed.error, "body"));
  return parsed.data;
}

async function existingAccount(db: D1Database, value: string): Promise<string> {
  if (!ACCOUNT_ID.test(value) || !(await accountExists(db, value)))
    throw new ZoneError("not_found", `no account ${JSON.stringify(value)}`);
  return value;
}

admin.post("/keys", async (c) => {
  const { name, environment, accountId: named } = await body(c.req.raw, createKeySchema);
  const accountId = named ?? `acct_${crypto.randomUUID().slice(0, 8)}`;
  const key = generateApiKey(environment);
  const row: KeyRow = {
    id: `key_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`,
    account_id: accountId,
    name,
    hint: keyHint(key),
    environment,
    created_at: Date.now(),
    last_used_at: null,
    revoked_at: null,
  };
  await createAccountAndKey(c.env.DB, {
    accountId,
    accountName: name,
    keyId: row.id,
    keyName: name,
    keyHash: await hashApiKey(key, c.env.KEY_PEPPER),
    hint: row.hint,
    environment,
    now: row.created_at,
  });
  return c.json({ ...keyResource(row), key }, 201);
});

admin.get("/keys", async (c) => c.json({ keys: (await listKeys(c.env.DB)).map(keyResource) }));

admin.delete("/keys/:id", async (c) => {
  if (!(await revokeKey(c.env.DB, c.req.param("id"), Date.now())))
    throw new ZoneError("not_found", `no active key ${c.req.param("id")}`);
  forgetKey(c.req.param("id"));
  return c.body(null, 204);
});

admin.get("/accounts/:id/credits", async (c) => {
  const accountId = await existingAccount(c.env.DB, c.req.param("id"));
  return c.json({ accountId, ...(await accountBalance(c.env, accountId).state(Date.now())) });
});

admin.post("/accounts/:id/credits", async (c) => {
  const accountId = await existingAccount(c.env.DB, c.req.param("id"));
  const { units } = await body(c.req.raw, creditsSchema);
  const result = await accountBalance(c.env, accountId).addCredits(units);
  if (!result.ok)
    throw new ZoneError(
      "invalid_argument",
      `the balance is ${result.balance}; removing ${-units} would take it below zero`,
      {
        extensions: { balance: result.balance },
      },
    );
  return c.json({ accountId, balance: result.balance });
});
