// Public surface of @zone/shared.
export * from "./errors.ts";
export * from "./model-manifest.ts";
export * from "./text.ts";
