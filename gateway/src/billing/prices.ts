// What an operation costs, in credit units: the one owner of prices. The defaults below apply
// unless the PRICES var (JSON, e.g. {"edit":10,"fast_edit":4,"compose":2}) overrides some of them;
// a compose (POST /v1/compose: segmentation and the composite, no diffusion) costs less than an edit; a
// malformed PRICES is a configuration error (500 naming it), never silently replaced. Cache hits
// and coalesced answers are free, and `ze_test_` keys never pay (their edits count against the
// account's daily test quota instead, account-balance.ts).
import { z } from "zod";
import type { GatewayEditParams } from "../cache/cache-key.ts";

export const OPERATIONS = ["edit", "fast_edit", "compose"] as const;
export type Operation = (typeof OPERATIONS)[number];

export const DEFAULT_PRICES: Readonly<Record<Operation, number>> = { edit: 10, fast_edit: 5, compose: 2 };

/** Edits of `ze_test_` keys an account may make per UTC day, unless TEST_EDITS_PER_DAY says. */
export const DEFAULT_TEST_EDITS_PER_DAY = 100;

const units = z.int().min(0).max(1_000_000).optional();
const pricesSchema = z.strictObject({ edit: units, fast_edit: units, compose: units } satisfies Record<
  Operation,
  typeof units
>);

export type Prices = Readonly<Record<Operation, number>>;

export function pricesFrom(env: { PRICES?: string }): Prices {
  if (env.PRICES === undefined || env.PRICES.trim() === "") return DEFAULT_PRICES;
  let raw: unknown;
  try {
    raw = JSON.parse(env.PRICES);
  } catch {
    throw new Error(`PRICES must be JSON like {"edit":10}, not ${JSON.stringify(env.PRICES)}`);
  }
  const parsed = pricesSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `PRICES: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const prices = { ...DEFAULT_PRICES };
  for (const op of OPERATIONS) prices[op] = parsed.data[op] ?? prices[op];
  return prices;
}

export function testEditsPerDay(env: { TEST_EDITS_PER_DAY?: string }): number {
  if (env.TEST_EDITS_PER_DAY === undefined) return DEFAULT_TEST_EDITS_PER_DAY;
  const n = Number(env.TEST_EDITS_PER_DAY);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`TEST_EDITS_PER_DAY must be a non-negative integer, not "${env.TEST_EDITS_PER_DAY}"`);
  return n;
}

/** What is priced: an edit (by its mode) or a compose. */
export type PricedJob = Pick<GatewayEditParams, "mode"> | { operation: "compose" };

function operationOf(job: PricedJob): Operation {
  if ("operation" in job) return job.operation;
  return job.mode === "fast" ? "fast_edit" : "edit";
}

/** What this caller pays for a GPU run of this job (0 for test keys). */
export function priceFor(
  prices: Prices,
  caller: { environment: "live" | "test" },
  job: PricedJob,
): { operation: Operation; units: number } {
  const operation = operationOf(job);
  return { operation, units: caller.environment === "test" ? 0 : prices[operation] };
}
