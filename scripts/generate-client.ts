// `npm run client:generate`: the typed client's types (gateway/client/src/api-types.ts) from the
// gateway's OpenAPI document, with openapi-typescript. api-types.test.ts fails when they are stale.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { clientTypesSource } from "../gateway/client/generate/client-types.ts";

const target = join(resolve(import.meta.dirname, ".."), "gateway", "client", "src", "api-types.ts");
writeFileSync(target, await clientTypesSource());
process.stdout.write(`wrote ${target}\n`);
