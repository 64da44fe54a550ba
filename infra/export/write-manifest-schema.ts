// `npm run export:schema`: writes the manifest's JSON Schema (shared/src/model-manifest-json-schema.ts)
// to infra/export/manifest.schema.json, where the Python export scripts read it. The npm script then
// formats it with Biome, so `npm test`'s format check passes.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  MODEL_MANIFEST_JSON_SCHEMA_PATH,
  modelManifestJsonSchema,
} from "../../shared/src/model-manifest-json-schema.ts";

const repoRoot = resolve(import.meta.dirname, "..", "..");
const target = join(repoRoot, MODEL_MANIFEST_JSON_SCHEMA_PATH);
writeFileSync(target, `${JSON.stringify(modelManifestJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${MODEL_MANIFEST_JSON_SCHEMA_PATH}\n`);
