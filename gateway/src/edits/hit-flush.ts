// How long after its answer a free hit's row is written at most (hit-recorder.ts batches them):
// its own module so the OpenAPI document can state it without the recorder's D1 code.
export const HIT_FLUSH_MS = 200;
