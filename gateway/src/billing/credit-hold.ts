// The gateway's side of a credit hold (account-balance.ts): taken before the GPU call, settled
// after the billed ledger row is written, released when the edit is not billed. Refusals are the
// client's problem+json: 402 with the balance and the price, or 429 when a test key's daily quota
// is used up; nothing has been stored or billed when they are thrown.
import { ZoneError } from "@zone/shared";
import type { Caller, Env } from "../env.ts";
import { editDeadlineMs, gpuClientConfig } from "../gpu/gpu-client.ts";
import { type Operation, type PricedJob, priceFor, pricesFrom } from "./prices.ts";

export interface CreditHold {
  id: string;
  operation: Operation;
  units: number;
  /** The ledger row naming `id` is in D1: spend the hold. */
  settle(): Promise<void>;
  /** Not billed: give the hold back. */
  release(): Promise<void>;
}

/** How a refusal names the operation. */
const OPERATION_NAMES: Readonly<Record<Operation, string>> = {
  edit: "an edit",
  fast_edit: "a fast edit",
  compose: "a compose",
};

export function accountBalance(env: Env, accountId: string) {
  return env.ACCOUNT_BALANCE.get(env.ACCOUNT_BALANCE.idFromName(accountId));
}

/**
 * Takes the hold. `expiresAt` (default: the longest a synchronous edit may take) is when the
 * balance's alarm resolves it if nobody did; a job passes its own, past its watchdog.
 */
export async function holdCredits(
  env: Env,
  caller: Caller,
  job: PricedJob,
  expiresAt?: number,
): Promise<CreditHold> {
  const { operation, units } = priceFor(pricesFrom(env), caller, job);
  const id = `hold_${crypto.randomUUID().replaceAll("-", "")}`;
  const stub = accountBalance(env, caller.accountId);
  const now = Date.now();
  const outcome = await stub.reserve({
    holdId: id,
    units,
    environment: caller.environment,
    expiresAt: expiresAt ?? now + editDeadlineMs(gpuClientConfig(env)),
    now,
  });
  if (!outcome.ok) {
    if (outcome.reason === "insufficient_credits")
      throw new ZoneError(
        "insufficient_credits",
        `the account has ${outcome.balance} credits; ${OPERATION_NAMES[operation]} costs ${outcome.price}`,
        { extensions: { balance: outcome.balance, price: outcome.price } },
      );
    throw new ZoneError(
      "quota_exceeded",
      `test keys may make ${outcome.quota} edits per UTC day; the quota resets at ${new Date(outcome.resetsAt).toISOString()}`,
      {
        retryAfterSeconds: Math.max(1, Math.ceil((outcome.resetsAt - now) / 1000)),
        extensions: { used: outcome.used, quota: outcome.quota },
      },
    );
  }
  return {
    id,
    operation,
    units,
    settle: () => stub.settle(id),
    release: () => stub.release(id),
  };
}
