// /v1/usage: the account's totals and its ledger.
import { usageEntriesSchema, usageSchema } from "@zone/shared";
import { z } from "zod";
import { HIT_FLUSH_MS } from "../edits/hit-flush.ts";
import { CSV_MAX_ROWS, PAGE_DEFAULT, PAGE_MAX } from "../routes/usage-paging.ts";
import { responseHeaders } from "./headers.ts";
import type { PathModule } from "./path-module.ts";
import { AUTHENTICATED, problemResponses } from "./problems.ts";
import { withRealBounds } from "./schema-bounds.ts";

const PERIOD = [
  {
    name: "from",
    in: "query",
    description: "Start of the period (ISO 8601); default 30 days ago",
    schema: { type: "string", format: "date-time" },
    example: "2026-04-01T00:00:00Z",
  },
  {
    name: "to",
    in: "query",
    description: "End of the period, exclusive (ISO 8601); default now",
    schema: { type: "string", format: "date-time" },
    example: "2026-05-01T00:00:00Z",
  },
];

export const USAGE_PATHS: PathModule = {
  name: "usage",
  schemas: {
    Usage: withRealBounds(z.toJSONSchema(usageSchema)),
    UsageEntries: withRealBounds(z.toJSONSchema(usageEntriesSchema)),
  },
  paths: {
    "/v1/usage": {
      get: {
        operationId: "getUsage",
        summary: "Billed edits and cache hits of your account",
        description: `A billed edit is counted before its answer is sent; a free one (HIT, COALESCED) once its batch is written, about ${HIT_FLUSH_MS} ms after its answer.`,
        tags: ["usage"],
        parameters: PERIOD,
        responses: {
          "200": {
            description: "Usage",
            headers: responseHeaders(),
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/Usage" },
                example: {
                  from: "2026-04-01T00:00:00.000Z",
                  to: "2026-05-01T00:00:00.000Z",
                  billedEdits: 41,
                  cacheHits: 7,
                  totalRequests: 48,
                  creditsSpent: 492,
                  balance: 508,
                  held: 0,
                  testEditsToday: 3,
                  testEditsPerDay: 20,
                },
              },
            },
          },
          ...problemResponses(["invalid_argument", ...AUTHENTICATED]),
        },
      },
    },
    "/v1/usage/edits": {
      get: {
        operationId: "listUsageEdits",
        summary: "Your account's ledger: each edit with its cost, paged, or as CSV",
        description: `JSON is paged (\`limit\`, \`cursor\`); CSV (\`format=csv\` or \`Accept: text/csv\`) is the whole period in one answer, up to ${CSV_MAX_ROWS} rows.`,
        tags: ["usage"],
        parameters: [
          ...PERIOD,
          {
            name: "limit",
            in: "query",
            schema: { type: "integer", minimum: 0, maximum: PAGE_MAX, default: PAGE_DEFAULT },
          },
          {
            name: "cursor",
            in: "query",
            description: "The previous page's nextCursor",
            schema: { type: "string", pattern: "^\\d+$" },
            example: "1841",
          },
          { name: "format", in: "query", schema: { type: "string", enum: ["json", "csv"] } },
        ],
        responses: {
          "200": {
            description: "Ledger entries, oldest first",
            headers: responseHeaders(),
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/UsageEntries" },
                example: {
                  from: "2026-04-01T00:00:00.000Z",
                  to: "2026-05-01T00:00:00.000Z",
                  edits: [
                    {
                      editId:
                        "ed_AQAAAAAAAAB3aGl0ZS1jYXQtZXhhbXBsZS1pZC1mb3ItdGhlLWRvY3MtYW5kLWNsaWVudC10ZXN0cw",
                      keyId: "key_3f7d0c526a1e4d8e",
                      createdAt: "2026-04-20T09:30:12.418Z",
                      kind: "billed",
                      operation: "edit",
                      credits: 12,
                    },
                  ],
                  nextCursor: null,
                },
              },
              "text/csv": { schema: { type: "string" } },
            },
          },
          ...problemResponses(["invalid_argument", ...AUTHENTICATED]),
        },
      },
    },
  },
};
