// The OpenAPI 3.1 document of the gateway: info, servers, security, the shared components, and
// the paths of every module in PATH_MODULES (one list: a new area of the API is one more entry).
import { LOCAL_GATEWAY_URL } from "@zone/shared";
import { chainPaths, chainSchemas } from "../routes/openapi-chain.ts";
import { composeOpenApi } from "../routes/openapi-compose.ts";
import { jobPaths, jobSchemas, withJobs } from "../routes/openapi-jobs.ts";
import { ADMIN_PATHS } from "./admin-paths.ts";
import { EDITS_PATHS } from "./edits-paths.ts";
import { RESPONSE_HEADERS, responseHeaders } from "./headers.ts";
import type { OpenApiObject, PathModule } from "./path-module.ts";
import { PROBLEM_SCHEMA } from "./problems.ts";
import { withRealBounds } from "./schema-bounds.ts";
import { SERVICE_PATHS } from "./service-paths.ts";
import { OPENAPI_TAGS } from "./tags.ts";
import { USAGE_PATHS } from "./usage-paths.ts";

const PROBLEM_RESPONSE = {
  description: "RFC 9457 problem details (see the `code`)",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};

const CHAIN_PATHS: PathModule = {
  name: "chains",
  paths: chainPaths(),
  schemas: chainSchemas(),
} as PathModule;
const COMPOSE_PATHS: PathModule = { name: "compose", ...composeOpenApi(PROBLEM_RESPONSE) } as PathModule;
const JOB_PATHS: PathModule = { name: "jobs and webhooks", paths: jobPaths(), schemas: jobSchemas() };

/** Every response of every operation names X-Request-Id (the gateway sends it on every answer). */
function withRequestIdEverywhere(paths: Record<string, OpenApiObject>): void {
  for (const item of Object.values(paths))
    for (const operation of Object.values(item)) {
      const responses = (operation as { responses?: Record<string, { headers?: OpenApiObject }> }).responses;
      for (const response of Object.values(responses ?? {}))
        response.headers = { ...responseHeaders(), ...(response.headers ?? {}) };
    }
}

export const PATH_MODULES: readonly PathModule[] = [
  SERVICE_PATHS,
  EDITS_PATHS,
  CHAIN_PATHS,
  COMPOSE_PATHS,
  JOB_PATHS,
  USAGE_PATHS,
  ADMIN_PATHS,
];

export interface DocumentOptions {
  /** The deployment's public origin (PUBLIC_BASE_URL), listed first when set. */
  publicBaseUrl?: string | undefined;
}

export function openApiDocument(options: DocumentOptions = {}): OpenApiObject {
  const paths: Record<string, OpenApiObject> = {};
  const schemas: Record<string, OpenApiObject> = { Problem: PROBLEM_SCHEMA };
  for (const module of PATH_MODULES) {
    for (const [path, item] of Object.entries(module.paths)) {
      if (path in paths) throw new Error(`OpenAPI: ${module.name} documents ${path} a second time`);
      // A copy: withJobs changes operations of other modules in place, and the module constants
      // must stay as written (else each GET /openapi.json would add Prefer and "jobs" once more).
      paths[path] = structuredClone(item);
    }
    for (const [name, schema] of Object.entries(module.schemas ?? {})) {
      if (name in schemas) throw new Error(`OpenAPI: ${module.name} defines schema ${name} a second time`);
      schemas[name] = schema;
    }
  }
  const servers = [
    ...(options.publicBaseUrl
      ? [{ url: options.publicBaseUrl, description: "This deployment (PUBLIC_BASE_URL)" }]
      : []),
    { url: LOCAL_GATEWAY_URL, description: "The local stack (`npm start`)" },
  ];
  // Async jobs and webhooks (issue 16) also change POST /v1/edits (Prefer, 202) and GET
  // /v1/edits/{id} (a job), so they are applied to the assembled document.
  const document = withJobs({
    openapi: "3.1.0",
    info: {
      title: "ZONE Edit API",
      version: "1.0.0",
      description:
        "Edit one region of a photo from a plain instruction; every other pixel stays as it was. Errors are RFC 9457 problem details with a stable `code`.",
    },
    servers,
    tags: [...OPENAPI_TAGS],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "ze_live_... or ze_test_..." },
        adminToken: { type: "http", scheme: "bearer", description: "The deployment's ADMIN_TOKEN" },
      },
      headers: RESPONSE_HEADERS,
      schemas,
    },
    paths,
  }) as OpenApiObject & { paths: Record<string, OpenApiObject> };
  withRequestIdEverywhere(document.paths);
  return withRealBounds(document);
}
