import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MODEL_ROLES } from "./model-manifest.ts";
import { MODEL_MANIFEST_JSON_SCHEMA_PATH, modelManifestJsonSchema } from "./model-manifest-json-schema.ts";

const repoRoot = resolve(import.meta.dirname, "..", "..");

describe("modelManifestJsonSchema", () => {
  it("is what infra/export/manifest.schema.json holds (run `npm run export:schema` after changing the manifest)", () => {
    const committed = JSON.parse(readFileSync(join(repoRoot, MODEL_MANIFEST_JSON_SCHEMA_PATH), "utf8"));
    expect(committed).toEqual(modelManifestJsonSchema());
  });

  it("is draft 2020-12 with every role, only actionClassifier optional", () => {
    const schema = modelManifestJsonSchema() as {
      $schema: string;
      properties: { models: { properties: Record<string, unknown>; required: string[] } };
    };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(schema.properties.models.properties)).toEqual([...MODEL_ROLES]);
    expect(schema.properties.models.required).toEqual(MODEL_ROLES.filter((r) => r !== "actionClassifier"));
  });

  it("keeps the sha256 pattern and closes objects", () => {
    const text = JSON.stringify(modelManifestJsonSchema());
    expect(text).toContain('"pattern":"^[0-9a-f]{64}$"');
    expect(text).toContain('"additionalProperties":false');
  });
});
