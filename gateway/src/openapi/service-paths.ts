// The gateway's own unauthenticated routes: health and this document.
import { responseHeaders } from "./headers.ts";
import type { PathModule } from "./path-module.ts";

export const SERVICE_PATHS: PathModule = {
  name: "service",
  paths: {
    "/healthz": {
      get: {
        operationId: "getHealth",
        summary: "Liveness of the gateway, and the model bundle it serves",
        tags: ["service"],
        security: [],
        responses: {
          "200": {
            description: "Up",
            headers: responseHeaders(),
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["status", "bundleVersion", "fixtures"],
                  properties: {
                    status: { type: "string", const: "ok" },
                    bundleVersion: { type: "string", description: "The model bundle id (BUNDLE_VERSION)" },
                    fixtures: {
                      type: "boolean",
                      description:
                        "true on the untrained fixture models: edits keep every other pixel, but the edit itself is noise",
                    },
                  },
                },
                example: { status: "ok", bundleVersion: "zone-sd15-ip2p-2026.04", fixtures: false },
              },
            },
          },
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This document",
        tags: ["service"],
        security: [],
        responses: {
          "200": {
            description: "OpenAPI 3.1",
            headers: responseHeaders(),
            content: { "application/json": { schema: { type: "object" } } },
          },
        },
      },
    },
  },
};
