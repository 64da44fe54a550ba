// The admin endpoints' request bodies (routes/admin.ts), which the OpenAPI document also states.
import { z } from "zod";

export const ACCOUNT_ID = /^[a-z0-9_-]{1,64}$/;

export const createKeySchema = z.strictObject({
  name: z.string().min(1).max(100),
  accountId: z.string().regex(ACCOUNT_ID).optional(),
  environment: z.enum(["live", "test"]).default("live"),
});

export const creditsSchema = z.strictObject({
  /** Credits to add; negative removes them (never below zero). */
  units: z.int().min(-1_000_000_000).max(1_000_000_000),
});
