// The committed types are what openapi-typescript makes of the gateway's document now: a change to
// the document without `npm run client:generate` fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clientTypesSource } from "../generate/client-types.ts";

describe("api-types.ts", () => {
  it("is up to date with the OpenAPI document (npm run client:generate)", async () => {
    const committed = readFileSync(join(import.meta.dirname, "api-types.ts"), "utf8");
    expect(committed === (await clientTypesSource()), "run `npm run client:generate`").toBe(true);
  });

  it("types every documented operation", async () => {
    const source = await clientTypesSource();
    for (const id of ["createEdit", "getEdit", "deleteEdit", "getEditArtifact", "getUsage", "listUsageEdits"])
      expect(source).toContain(`${id}: {`);
  });
});
