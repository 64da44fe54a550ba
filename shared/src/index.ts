// Public surface of @zone/shared.
export * from "./errors.ts";
export * from "./gpu-edit-api.ts";
export * from "./model-manifest.ts";
export * from "./model-manifest-json-schema.ts";
export * from "./public-api.ts";
export * from "./text.ts";
