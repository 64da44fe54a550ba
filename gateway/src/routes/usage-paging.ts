// The ledger's paging limits (routes/usage.ts), stated by the OpenAPI document too.
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 1000;
/** Rows of one CSV export; a longer period is exported in parts (from/to). */
export const CSV_MAX_ROWS = 100_000;
