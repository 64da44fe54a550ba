// What one area of the API contributes to the OpenAPI document: its paths and the component
// schemas they reference. document.ts merges every module of PATH_MODULES (one list), so an area
// added later (async jobs, multi-turn, compose) plugs in as one more module.
export type OpenApiObject = Record<string, unknown>;

export interface PathModule {
  /** Used in error messages when two modules claim the same path or schema. */
  name: string;
  paths: Record<string, OpenApiObject>;
  schemas?: Record<string, OpenApiObject>;
}
