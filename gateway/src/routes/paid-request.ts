// What POST /v1/edits and POST /v1/compose both read off the request before their own work: the
// multipart body (a body that is not multipart/form-data is a 400 naming what it must hold) and
// the dependencies of a billed run (edits/create-edit.ts, compose/create-compose.ts).
import { ZoneError } from "@zone/shared";
import type { Context } from "hono";
import type { CreateEditDeps } from "../edits/create-edit.ts";
import type { AppEnv } from "../env.ts";
import { publicOrigin } from "../public-origin.ts";

/** The request's multipart form; `holding` says what it must carry, for the 400. */
export async function multipartBody(c: Context<AppEnv>, holding: string): Promise<FormData> {
  try {
    return await c.req.formData();
  } catch (cause) {
    throw new ZoneError("invalid_argument", `the body must be multipart/form-data with ${holding}`, {
      cause,
    });
  }
}

/** The caller, the links' origin, the request id and the request's waitUntil. */
export function billedRunDeps(c: Context<AppEnv>): CreateEditDeps {
  return {
    env: c.env,
    caller: c.get("caller"),
    baseUrl: publicOrigin(c.env, c.req.url),
    requestId: c.get("requestId"),
    waitUntil: (work: Promise<unknown>) => c.executionCtx.waitUntil(work),
  };
}
