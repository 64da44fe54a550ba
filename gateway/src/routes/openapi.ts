// GET /openapi.json: the document (openapi/document.ts), its first server the deployment's public
// origin. The docs page that reads it (Swagger UI) is a static asset (gateway/public/docs/).
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { openApiDocument } from "../openapi/document.ts";

export const docs = new Hono<AppEnv>();

docs.get("/openapi.json", (c) => c.json(openApiDocument({ publicBaseUrl: c.env.PUBLIC_BASE_URL })));
