// Public surface of @zone/shared.
export * from "./canonical-json.ts";
export * from "./errors.ts";
export * from "./gpu-edit-api.ts";
export * from "./http/bearer.ts";
export * from "./http/problem-response.ts";
export * from "./http/request-id.ts";
export * from "./http/server-timing.ts";
export * from "./local-stack.ts";
export * from "./model-manifest.ts";
export * from "./model-manifest-json-schema.ts";
export * from "./output-format.ts";
export * from "./pipeline-version.ts";
export * from "./public-api.ts";
export * from "./release-fidelity.ts";
export * from "./text.ts";
export * from "./zod-issues.ts";
export * from "./zone-defaults.ts";
