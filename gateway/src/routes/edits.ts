// /v1/edits: create (multipart), read metadata, read artifacts, delete. Thin handlers; the work
// is in edits/*.
import { ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { forgetResult } from "../cache/result-memo.ts";
import { deleteEdit, findEdit } from "../db/queries.ts";
import { createEdit } from "../edits/create-edit.ts";
import { limitsFrom, parseEditRequest } from "../edits/edit-request.ts";
import { editResource } from "../edits/edit-resource.ts";
import { requestFingerprint, withIdempotency } from "../edits/idempotency.ts";
import type { AppEnv } from "../env.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { ARTIFACTS, type Artifact, deleteResult, readArtifact } from "../storage/artifacts.ts";

export const edits = new Hono<AppEnv>();

edits.post("/", rateLimit, async (c) => {
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
  const baseUrl = new URL(c.req.url).origin;
  const run = async () => {
    const created = await createEdit(c.env, caller, request, baseUrl, (work) =>
      c.executionCtx.waitUntil(work),
    );
    return {
      status: 201,
      headers: { "x-cache": created.cache, location: created.resource.links.self },
      body: JSON.stringify(created.resource),
    };
  };
  const idempotencyKey = c.req.header("idempotency-key");
  const response =
    idempotencyKey === undefined
      ? { ...(await run()), replayed: false }
      : await withIdempotency(
          c.env.DB,
          caller.accountId,
          idempotencyKey,
          await requestFingerprint(request.image.bytes, {
            ...request.form,
            instruction: request.instruction,
          }),
          run,
        );
  const resource = JSON.parse(response.body);
  const timing = Object.entries(resource.timingsMs as Record<string, number>)
    .map(([k, v]) => `${k};dur=${v}`)
    .join(", ");
  const headers: Record<string, string> = { ...response.headers, "server-timing": timing };
  if (response.replayed) headers["idempotent-replayed"] = "true";
  // With Accept: image/*, answer with the result itself.
  if (/^image\//.test(c.req.header("accept") ?? "")) {
    const edit = await findEdit(c.env.DB, caller.accountId, resource.id);
    const object = edit ? await readArtifact(c.env.ARTIFACTS, edit.cache_key, "result") : null;
    if (object === null) throw new ZoneError("not_found", "the result is no longer stored");
    return new Response(object.body, {
      status: response.status,
      headers: { ...headers, "content-type": "image/png" },
    });
  }
  return new Response(response.body, {
    status: response.status,
    headers: { ...headers, "content-type": "application/json" },
  });
});

edits.get("/:id", async (c) => {
  const edit = await findEdit(c.env.DB, c.get("caller").accountId, c.req.param("id"));
  if (edit === null || edit.meta === null) throw new ZoneError("not_found", `no edit ${c.req.param("id")}`);
  return c.json(
    editResource(edit.id, edit.created_at, edit.cache, JSON.parse(edit.meta), new URL(c.req.url).origin),
  );
});

edits.get("/:id/:artifact", async (c) => {
  const name = c.req.param("artifact");
  if (!(ARTIFACTS as ReadonlyArray<string>).includes(name))
    throw new ZoneError("not_found", `no artifact ${name} (result, layer, mask)`);
  const edit = await findEdit(c.env.DB, c.get("caller").accountId, c.req.param("id"));
  if (edit === null) throw new ZoneError("not_found", `no edit ${c.req.param("id")}`);
  const object = await readArtifact(c.env.ARTIFACTS, edit.cache_key, name as Artifact);
  if (object === null) throw new ZoneError("not_found", `the ${name} of ${edit.id} is no longer stored`);
  return new Response(object.body, {
    headers: { "content-type": "image/png", "cache-control": "private, max-age=3600" },
  });
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
