// The model manifest contract (model-manifest.ts) as JSON Schema (draft 2020-12), for the Python
// export scripts: `npm run export:schema` writes it to infra/export/manifest.schema.json, which
// export.py and verify.py validate every manifest against, and a test keeps the committed file
// equal to this. zod refinements have no JSON Schema form (paths stay inside the bundle); the
// Python side checks that one itself.
import { z } from "zod";
import { modelManifestSchema } from "./model-manifest.ts";

/** Where the schema is committed, relative to the repository root. */
export const MODEL_MANIFEST_JSON_SCHEMA_PATH = "infra/export/manifest.schema.json";

/**
 * The JSON Schema of a valid manifest. Objects are closed (`additionalProperties: false`), as
 * zod's output type is: a manifest with a misspelt key fails instead of losing the key.
 */
export function modelManifestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(modelManifestSchema, { target: "draft-2020-12", io: "output" }) as Record<
    string,
    unknown
  >;
}
