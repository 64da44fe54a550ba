import { JOB_EVENTS, JOB_STATES, PREFER_WAIT_MAX_SECONDS, WEBHOOK_EVENTS } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../openapi/document.ts";

type Operation = {
  operationId?: string;
  parameters?: Array<{ name: string }>;
  responses: Record<string, { headers?: Record<string, unknown> }>;
  description?: string;
};
const doc = openApiDocument() as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

describe("the OpenAPI of jobs and webhooks", () => {
  it("documents Prefer, Cancel-After and the 202 with Location, Retry-After and Preference-Applied", () => {
    const post = doc.paths["/v1/edits"].post;
    expect(post.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(["Prefer", "Cancel-After"]));
    expect(JSON.stringify(post.parameters)).toContain(`capped at ${PREFER_WAIT_MAX_SECONDS}`);
    expect(Object.keys(post.responses["202"].headers ?? {})).toEqual([
      "X-Request-Id",
      "Location",
      "Retry-After",
      "Preference-Applied",
    ]);
  });

  it("names every job state in the job schema and every event on the stream", () => {
    const schema = JSON.stringify(doc.components.schemas.EditJob);
    for (const state of JOB_STATES) expect(schema).toContain(`"${state}"`);
    const events = doc.paths["/v1/edits/{id}/events"].get.description ?? "";
    for (const event of JOB_EVENTS) expect(events).toContain(event);
    expect(JSON.stringify(doc.components.schemas.Webhook)).toContain(JSON.stringify(WEBHOOK_EVENTS));
  });

  it("gives every job and webhook operation an operationId, unique", () => {
    const ids: string[] = [];
    for (const [path, item] of Object.entries(doc.paths))
      if (path.startsWith("/v1/webhooks") || path.endsWith("/cancel") || path.endsWith("/events"))
        for (const [method, op] of Object.entries(item))
          if (method !== "parameters") {
            expect(op.operationId, `${method} ${path}`).toBeTruthy();
            ids.push(op.operationId as string);
          }
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
