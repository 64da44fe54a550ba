// Public surface of @zone/shared.
export * from "./errors.ts";
