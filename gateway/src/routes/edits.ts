// /v1/edits: create (multipart), read metadata, read artifacts, delete. Thin handlers; the work
// is in edits/*. Answers go through the Hono context, so the headers middleware set (X-Request-Id,
// the secure headers) stay on them.
import { EDIT_OUTPUTS, type EditOutput, ZoneError } from "@zone/shared";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { forgetResult, memoizedResult, memoizeResult } from "../cache/result-memo.ts";
import { deleteEdit, findEdit } from "../db/queries.ts";
import { prefersImage } from "../edits/accept.ts";
import { type CreatedEdit, createEdit } from "../edits/create-edit.ts";
import { limitsFrom, parseEditRequest } from "../edits/edit-request.ts";
import { editResource } from "../edits/edit-resource.ts";
import { requestFingerprint, type StoredResponse, withIdempotency } from "../edits/idempotency.ts";
import { serverTimingHeader, type TimingSpan } from "../edits/server-timing.ts";
import type { AppEnv } from "../env.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { deleteResult, readArtifact, readStoredResult } from "../storage/artifacts.ts";

export const edits = new Hono<AppEnv>();

/** A fresh answer: what an Idempotency-Key record stores, plus this request's timings. */
interface FreshAnswer extends StoredResponse {
  timings: TimingSpan[];
}

/** Serialises the resource, once: the same text is stored for replays and sent. */
function freshAnswer(created: CreatedEdit): FreshAnswer {
  return {
    status: 201,
    headers: { "x-cache": created.cache, location: created.resource.links.self },
    body: JSON.stringify(created.resource),
    cacheKey: created.cacheKey,
    timings: created.timings,
  };
}

edits.post("/", rateLimit, async (c) => {
  const startedAt = Date.now();
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch (cause) {
    throw new ZoneError("invalid_argument", "the body must be multipart/form-data with an `image` file", {
      cause,
    });
  }
  const request = await parseEditRequest(form, limitsFrom(c.env));
  const caller = c.get("caller");
  const deps = {
    env: c.env,
    caller,
    baseUrl: new URL(c.req.url).origin,
    requestId: c.get("requestId"),
  };
  const run = async () => freshAnswer(await createEdit(deps, request));
  const idempotencyKey = c.req.header("idempotency-key");
  const answer =
    idempotencyKey === undefined
      ? { ...(await run()), replayed: false as const }
      : await withIdempotency(
          c.env.DB,
          caller.accountId,
          idempotencyKey,
          await requestFingerprint(request.image.sha256, {
            ...request.form,
            instruction: request.params.instruction,
          }),
          run,
        );
  const headers: Record<string, string> = { ...answer.headers };
  const timings: TimingSpan[] = answer.replayed ? [{ name: "idempotency", desc: "replay" }] : answer.timings;
  if (answer.replayed) headers["idempotent-replayed"] = "true";
  const status = answer.status as ContentfulStatusCode;
  const timing = () => serverTimingHeader([...timings, { name: "total", durMs: Date.now() - startedAt }]);
  // With Accept: image/*, the result itself, by the cache key in hand (no lookup of the edit).
  // A replay of a record older than migration 0002 has no cache key: it answers with its JSON.
  if (prefersImage(c.req.header("accept")) && answer.cacheKey !== null) {
    const object = await readArtifact(c.env.ARTIFACTS, answer.cacheKey, "result");
    if (object === null) {
      forgetResult(answer.cacheKey);
      throw new ZoneError("not_found", "the result is no longer stored");
    }
    headers["server-timing"] = timing();
    return c.body(object.body, status, { ...headers, "content-type": "image/png" });
  }
  headers["server-timing"] = timing();
  return c.body(answer.body, status, { ...headers, "content-type": "application/json" });
});

edits.get("/:id", async (c) => {
  const edit = await findEdit(c.env.DB, c.get("caller").accountId, c.req.param("id"));
  if (edit === null) throw new ZoneError("not_found", `no edit ${c.req.param("id")}`);
  const now = Date.now();
  let meta = memoizedResult(edit.cache_key, now);
  if (meta === null) {
    meta = (await readStoredResult(c.env.ARTIFACTS, edit.cache_key))?.meta ?? null;
    if (meta === null) throw new ZoneError("not_found", `the result of ${edit.id} is no longer stored`);
    memoizeResult(edit.cache_key, meta, now);
  }
  return c.json(
    editResource(
      meta,
      { id: edit.id, createdAt: edit.created_at, cache: edit.cache },
      new URL(c.req.url).origin,
    ),
  );
});

edits.get("/:id/:artifact", async (c) => {
  const name = c.req.param("artifact");
  if (!(EDIT_OUTPUTS as ReadonlyArray<string>).includes(name))
    throw new ZoneError("not_found", `no artifact ${name} (${EDIT_OUTPUTS.join(", ")})`);
  const edit = await findEdit(c.env.DB, c.get("caller").accountId, c.req.param("id"));
  if (edit === null) throw new ZoneError("not_found", `no edit ${c.req.param("id")}`);
  const object = await readArtifact(c.env.ARTIFACTS, edit.cache_key, name as EditOutput);
  if (object === null) throw new ZoneError("not_found", `the ${name} of ${edit.id} is no longer stored`);
  return c.body(object.body, 200, { "content-type": "image/png", "cache-control": "private, max-age=3600" });
});

edits.delete("/:id", async (c) => {
  const edit = await findEdit(c.env.DB, c.get("caller").accountId, c.req.param("id"));
  if (edit === null) throw new ZoneError("not_found", `no edit ${c.req.param("id")}`);
  // Artifacts are shared by every edit with the same cache key: removed with the last of them.
  if ((await deleteEdit(c.env.DB, edit, Date.now())) === 0) {
    forgetResult(edit.cache_key);
    await deleteResult(c.env.ARTIFACTS, edit.cache_key);
  }
  return c.body(null, 204);
});
