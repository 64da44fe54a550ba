// POST /v1/compose: make any editor's output of a photo a local edit of it (ZONE's back half, no
// diffusion). Multipart: `image` (the original), `edited` (the editor's output, any size: the GPU
// function resizes it to the original's frame and says how), optional `rough` (a mask), and the
// fields of composeFormSchema. Answers 201 with the compose resource (the shape of an edit's; the
// id is an edit id: GET /v1/edits/{id}, its /result, /layer, /mask, DELETE). Idempotency-Key
// works as on /v1/edits. The work is in compose/*.
import { serverTimingHeader, type TimingSpan } from "@zone/shared";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { parseComposeRequest } from "../compose/compose-request.ts";
import { createCompose } from "../compose/create-compose.ts";
import { limitsFrom } from "../edits/edit-request.ts";
import { requestFingerprint, withIdempotency } from "../edits/idempotency.ts";
import type { AppEnv } from "../env.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { billedRunDeps, multipartBody } from "./paid-request.ts";

export const compose = new Hono<AppEnv>();

compose.post("/", rateLimit, async (c) => {
  const startedAt = Date.now();
  const form = await multipartBody(c, "`image` and `edited` files");
  const request = await parseComposeRequest(form, limitsFrom(c.env));
  const deps = billedRunDeps(c);
  const { caller } = deps;
  const run = async () => {
    const created = await createCompose(deps, request);
    return {
      status: 201,
      headers: { "x-cache": created.cache, location: created.resource.links.self },
      body: JSON.stringify(created.resource),
      cacheKey: created.cacheKey,
      timings: created.timings,
    };
  };
  const idempotencyKey = c.req.header("idempotency-key");
  const answer =
    idempotencyKey === undefined
      ? { ...(await run()), replayed: false as const }
      : await withIdempotency(
          c.env.DB,
          caller.accountId,
          idempotencyKey,
          await requestFingerprint(request.image.sha256, {
            op: "compose",
            edited: request.edited.sha256,
            rough: request.rough?.sha256 ?? null,
            ...request.form,
          }),
          run,
        );
  const headers: Record<string, string> = { ...answer.headers };
  const timings: TimingSpan[] = answer.replayed ? [{ name: "idempotency", desc: "replay" }] : answer.timings;
  if (answer.replayed) headers["idempotent-replayed"] = "true";
  headers["server-timing"] = serverTimingHeader([
    ...timings,
    { name: "total", durMs: Date.now() - startedAt },
  ]);
  return c.body(answer.body, answer.status as ContentfulStatusCode, {
    ...headers,
    "content-type": "application/json",
  });
});
