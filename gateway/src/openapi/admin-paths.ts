// /admin: the operator's endpoints (ADMIN_TOKEN), API keys and credits.
import { z } from "zod";
import { ACCOUNT_ID, createKeySchema, creditsSchema } from "../routes/admin-schemas.ts";
import { responseHeaders } from "./headers.ts";
import type { PathModule } from "./path-module.ts";
import { problemResponses } from "./problems.ts";

const ADMIN = [{ adminToken: [] }];
const KEY_EXAMPLE = {
  id: "key_3f7d0c526a1e4d8e",
  accountId: "acct_5b2e91c0",
  name: "local dev",
  environment: "live",
  hint: "ze_live_...Q2xw",
  createdAt: "2026-04-20T09:30:12.418Z",
  lastUsedAt: null,
  revokedAt: null,
};
const KEY_SCHEMA = {
  type: "object",
  required: ["id", "accountId", "name", "environment", "hint", "createdAt", "lastUsedAt", "revokedAt"],
  properties: {
    id: { type: "string" },
    accountId: { type: "string" },
    name: { type: "string" },
    environment: { type: "string", enum: ["live", "test"] },
    hint: { type: "string" },
    createdAt: { type: "string", format: "date-time" },
    lastUsedAt: { type: ["string", "null"], format: "date-time" },
    revokedAt: { type: ["string", "null"], format: "date-time" },
  },
};
const ACCOUNT_PARAMETER = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", pattern: ACCOUNT_ID.source },
  example: "acct_5b2e91c0",
};
const json = (schema: unknown, example: unknown) => ({ "application/json": { schema, example } });
const CREDITS = {
  type: "object",
  required: ["accountId", "balance"],
  properties: { accountId: { type: "string" }, balance: { type: "integer", minimum: 0 } },
  additionalProperties: true,
};

export const ADMIN_PATHS: PathModule = {
  name: "admin",
  schemas: { ApiKey: KEY_SCHEMA },
  paths: {
    "/admin/keys": {
      post: {
        operationId: "createKey",
        summary: "Create an API key (and its account, unless accountId names one)",
        tags: ["admin"],
        security: ADMIN,
        requestBody: {
          required: true,
          content: json(z.toJSONSchema(createKeySchema, { io: "input" }), {
            name: "local dev",
            environment: "live",
          }),
        },
        responses: {
          "201": {
            description: "The key; `key` is its secret, shown this once",
            headers: responseHeaders(),
            content: json(
              {
                allOf: [
                  { $ref: "#/components/schemas/ApiKey" },
                  { type: "object", required: ["key"], properties: { key: { type: "string" } } },
                ],
              },
              { ...KEY_EXAMPLE, key: "ze_live_..." },
            ),
          },
          ...problemResponses(["invalid_argument", "unauthorized", "internal"]),
        },
      },
      get: {
        operationId: "listKeys",
        summary: "Every API key (never a secret)",
        tags: ["admin"],
        security: ADMIN,
        responses: {
          "200": {
            description: "The keys",
            headers: responseHeaders(),
            content: json(
              {
                type: "object",
                required: ["keys"],
                properties: { keys: { type: "array", items: { $ref: "#/components/schemas/ApiKey" } } },
              },
              { keys: [KEY_EXAMPLE] },
            ),
          },
          ...problemResponses(["unauthorized", "internal"]),
        },
      },
    },
    "/admin/keys/{id}": {
      delete: {
        operationId: "revokeKey",
        summary: "Revoke an API key",
        tags: ["admin"],
        security: ADMIN,
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" }, example: KEY_EXAMPLE.id },
        ],
        responses: {
          "204": { description: "Revoked", headers: responseHeaders() },
          ...problemResponses(["unauthorized", "not_found", "internal"]),
        },
      },
    },
    "/admin/accounts/{id}/credits": {
      parameters: [ACCOUNT_PARAMETER],
      get: {
        operationId: "getAccountCredits",
        summary: "An account's credits, held credits and test quota",
        tags: ["admin"],
        security: ADMIN,
        responses: {
          "200": {
            description: "The account's credits",
            headers: responseHeaders(),
            content: json(CREDITS, {
              accountId: "acct_5b2e91c0",
              balance: 988,
              held: 12,
              testEditsToday: 0,
              testEditsPerDay: 20,
            }),
          },
          ...problemResponses(["unauthorized", "not_found", "internal"]),
        },
      },
      post: {
        operationId: "addAccountCredits",
        summary: "Add credits to an account (negative units remove them, never below zero)",
        tags: ["admin"],
        security: ADMIN,
        requestBody: { required: true, content: json(z.toJSONSchema(creditsSchema), { units: 500 }) },
        responses: {
          "200": {
            description: "The new balance",
            headers: responseHeaders(),
            content: json(CREDITS, { accountId: "acct_5b2e91c0", balance: 1488 }),
          },
          ...problemResponses(["invalid_argument", "unauthorized", "not_found", "internal"]),
        },
      },
    },
  },
};
