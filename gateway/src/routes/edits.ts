// /v1/edits: create (multipart), read metadata, read artifacts, delete. Thin handlers; the work
// is in edits/*. Answers go through the Hono context, so the headers middleware set (X-Request-Id,
// the secure headers) stay on them.
import {
  CONTENT_TYPES,
  EDIT_ARTIFACTS,
  EDIT_EXTRAS,
  type EditArtifact,
  type GpuResultMeta,
  OUTPUT_DEFAULTS,
  serverTimingHeader,
  type TimingSpan,
  ZoneError,
} from "@zone/shared";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { forgetResult, memoizedMeta, memoizeResult } from "../cache/result-memo.ts";
import { storedResource } from "../compose/compose-resource.ts";
import { prefersImage } from "../edits/accept.ts";
import { type CreatedEdit, createEdit } from "../edits/create-edit.ts";
import { findLiveEdit, removeEdit } from "../edits/edit-lookup.ts";
import { limitsFrom, parseEditRequest } from "../edits/edit-request.ts";
import { requestFingerprint, type StoredResponse, withIdempotency } from "../edits/idempotency.ts";
import type { AppEnv } from "../env.ts";
import { answerAsync, asyncPreference } from "../jobs/async-edit.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { publicOrigin } from "../public-origin.ts";
import { readArtifact, readStoredMeta } from "../storage/artifacts.ts";
import { billedRunDeps, multipartBody } from "./paid-request.ts";

export const edits = new Hono<AppEnv>();

/** The stored artifact's type (the result may be WebP or JPEG; results stored before were PNG). */
const artifactType = (object: R2Object) => object.httpMetadata?.contentType ?? CONTENT_TYPES.png;

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
  const form = await multipartBody(c, "an `image` file or a `parent`");
  const request = await parseEditRequest(form, limitsFrom(c.env), c.req.header("accept"));
  const deps = billedRunDeps(c);
  const { caller } = deps;
  // Prefer (respond-async, wait=N) or Cancel-After: the edit as a job (jobs/), else synchronous.
  const preference = asyncPreference(c.req.header("prefer"), c.req.header("cancel-after"));
  const run = async () =>
    preference === null
      ? freshAnswer(await createEdit(deps, request))
      : await answerAsync(deps, request, preference, freshAnswer);
  const idempotencyKey = c.req.header("idempotency-key");
  const answer =
    idempotencyKey === undefined
      ? { ...(await run()), replayed: false as const }
      : await withIdempotency(
          c.env.DB,
          caller.accountId,
          idempotencyKey,
          await requestFingerprint(request.image?.sha256 ?? `parent:${request.parentId}`, {
            ...request.form,
            instruction: request.params.instruction,
            // A mask hint's file (only then: older records' fingerprints stay as they were).
            ...(request.hintMask ? { hintMask: request.hintMask.sha256 } : {}),
            // A format picked by Accept is part of the request (only then: older records'
            // fingerprints stay as they were).
            ...(request.form.output === undefined && request.params.output !== OUTPUT_DEFAULTS.format
              ? { acceptedOutput: request.params.output }
              : {}),
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
    return c.body(object.body, status, { ...headers, "content-type": artifactType(object) });
  }
  headers["server-timing"] = timing();
  return c.body(answer.body, status, { ...headers, "content-type": "application/json" });
});

// An edit's row, or until a free hit's row lands its verified id (edits/edit-lookup.ts).
edits.get("/:id", async (c) => {
  const id = c.req.param("id");
  const edit = await findLiveEdit(c.env, c.get("caller").accountId, id);
  if (edit === null) throw new ZoneError("not_found", `no edit ${id}`);
  const now = Date.now();
  // An edit's or a compose's (routes/compose.ts): the stored meta says which.
  let meta = memoizedMeta<GpuResultMeta>(edit.cacheKey, now);
  if (meta === null) {
    meta = (await readStoredMeta<GpuResultMeta>(c.env.ARTIFACTS, edit.cacheKey))?.meta ?? null;
    if (meta === null) throw new ZoneError("not_found", `the result of ${id} is no longer stored`);
    memoizeResult(edit.cacheKey, meta, now);
  }
  return c.json(
    storedResource(
      meta,
      { id, createdAt: edit.createdAt, cache: edit.cache },
      publicOrigin(c.env, c.req.url),
    ),
  );
});

edits.get("/:id/:artifact", async (c) => {
  const name = c.req.param("artifact");
  if (!(EDIT_ARTIFACTS as ReadonlyArray<string>).includes(name))
    throw new ZoneError("not_found", `no artifact ${name} (${EDIT_ARTIFACTS.join(", ")})`);
  const id = c.req.param("id");
  const edit = await findLiveEdit(c.env, c.get("caller").accountId, id);
  if (edit === null) throw new ZoneError("not_found", `no edit ${id}`);
  const object = await readArtifact(c.env.ARTIFACTS, edit.cacheKey, name as EditArtifact);
  if (object === null)
    throw new ZoneError(
      "not_found",
      (EDIT_EXTRAS as ReadonlyArray<string>).includes(name)
        ? `${id} has no ${name} stored (a compose has none, nor an edit stored before they were kept)`
        : `the ${name} of ${id} is no longer stored`,
    );
  return c.body(object.body, 200, {
    "content-type": artifactType(object),
    "cache-control": "private, max-age=3600",
  });
});

// Artifacts are shared by every edit with the same cache key: removed with the last of them,
// ARTIFACT_GRACE_MS after its deletion (edits/edit-lookup.ts).
edits.delete("/:id", async (c) => {
  const id = c.req.param("id");
  const removed = await removeEdit(c.env, c.get("caller"), id, (work) => c.executionCtx.waitUntil(work));
  if (!removed) throw new ZoneError("not_found", `no edit ${id}`);
  return c.body(null, 204);
});
