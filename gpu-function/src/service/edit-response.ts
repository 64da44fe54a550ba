// The answer to `POST /v1/edit`: multipart/form-data with one image part per requested output
// (the result in the requested format: result.png, .webp or .jpg; layer.png, mask.png) and the `meta` JSON part, serialised by the platform's
// own FormData encoder, plus a Server-Timing header with the same per-stage milliseconds.
import { EDIT_RESPONSE_META_FIELD, serverTimingHeader, stageSpans } from "@zone/shared";
import type { EditOutcome } from "./run-edit.ts";

export function editResponse(
  outcome: Pick<EditOutcome, "parts"> & { meta: { timingsMs: Record<string, number> } },
  headers: Record<string, string> = {},
): Response {
  const form = new FormData();
  for (const { name, bytes, contentType } of outcome.parts) {
    const extension = contentType.slice("image/".length).replace("jpeg", "jpg");
    form.append(name, new Blob([new Uint8Array(bytes)], { type: contentType }), `${name}.${extension}`);
  }
  form.append(
    EDIT_RESPONSE_META_FIELD,
    new Blob([JSON.stringify(outcome.meta)], { type: "application/json" }),
    "meta.json",
  );
  const encoded = new Response(form);
  return new Response(encoded.body, {
    status: 200,
    headers: {
      ...headers,
      "content-type": encoded.headers.get("content-type") ?? "multipart/form-data",
      "server-timing": serverTimingHeader(stageSpans(outcome.meta.timingsMs)),
      "cache-control": "no-store",
    },
  });
}
