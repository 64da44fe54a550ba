// The gateway's Hono app. Middleware order (the issue's): the unread-body drain (outermost: it
// acts on the final answer, drain-body.ts), request id, secure headers, CORS (off unless
// CORS_ORIGINS; it answers a preflight itself, before authentication), the size check from
// Content-Length (413), API-key auth (401), rate limit (429), validation (in the route). One
// error path: every ZoneError (and anything else) becomes problem+json, built by @zone/shared's
// problemResponse like the GPU service's. The playground and the docs page are static assets
// (gateway/public/, [assets] in wrangler.toml), served before the Worker runs.
import {
  FIXTURE_BUNDLE_PREFIX,
  problemResponse,
  REQUEST_ID_HEADER,
  REQUEST_ID_OPTIONS,
  ZoneError,
} from "@zone/shared";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./env.ts";
import { requireAdmin, requireApiKey } from "./middleware/auth.ts";
import { corsFromEnv } from "./middleware/cors.ts";
import { drainUnreadBody } from "./middleware/drain-body.ts";
import { uploadSizeLimit } from "./middleware/size-limit.ts";
import { admin } from "./routes/admin.ts";
import { compose } from "./routes/compose.ts";
import { editJobs } from "./routes/edit-jobs.ts";
import { editStackRoutes } from "./routes/edit-stack.ts";
import { edits } from "./routes/edits.ts";
import { docs } from "./routes/openapi.ts";
import { usageRoutes } from "./routes/usage.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export const app = new Hono<AppEnv>();

/** Sent with every 401 (RFC 9110 11.6.1): how to authenticate. */
export const API_KEY_CHALLENGE = 'Bearer realm="zone-edit"';

app.use(drainUnreadBody);
app.use(requestId(REQUEST_ID_OPTIONS));
// hono's requestId sets the header before the handler runs; a handler that returns its own
// Response (an R2 object, the GPU function's answer) replaces those headers, so echo it again.
app.use(async (c, next) => {
  await next();
  c.header(REQUEST_ID_HEADER, c.get("requestId"));
});
app.use(secureHeaders());
// Before the size check and authentication: a preflight carries neither a body nor a key.
app.use(corsFromEnv);

app.get("/healthz", (c) =>
  c.json({
    status: "ok",
    bundleVersion: c.env.BUNDLE_VERSION,
    fixtures: c.env.BUNDLE_VERSION.startsWith(FIXTURE_BUNDLE_PREFIX),
  }),
);
app.route("/", docs);

app.on("POST", ["/v1/edits", "/v1/compose"], uploadSizeLimit);
app.use("/v1/*", requireApiKey);
app.route("/v1/edits", editJobs);
// Before the edit routes: their /:id/:artifact would take /:id/stack and /:id/original.
app.route("/v1/edits", editStackRoutes);
app.route("/v1/edits", edits);
app.route("/v1/compose", compose);
app.route("/v1/usage", usageRoutes);
app.route("/v1/webhooks", webhookRoutes);

app.use("/admin/*", requireAdmin);
app.route("/admin", admin);

app.notFound((c) =>
  problemResponse(new ZoneError("not_found", `no route for ${c.req.method} ${c.req.path}`), {
    instance: c.req.path,
    requestId: c.get("requestId"),
  }),
);

app.onError((error, c) => {
  if (!(error instanceof ZoneError))
    console.error("unhandled error", c.get("requestId"), (error as Error).stack);
  return problemResponse(error, {
    instance: c.req.path,
    requestId: c.get("requestId"),
    wwwAuthenticate: API_KEY_CHALLENGE,
  });
});
