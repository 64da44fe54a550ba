// Reads and discards what is left of a request body that its answer did not need, up to
// drainCeilingBytes, before the answer goes out (body-bytes.ts says why). Outermost middleware:
// it acts on the final answer, whatever produced it.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.ts";
import { drain, drainCeilingBytes } from "./body-bytes.ts";

export const drainUnreadBody = createMiddleware<AppEnv>(async (c, next) => {
  const request = c.req.raw;
  await next();
  const body = request.body;
  if (body === null || request.bodyUsed || body.locked) return;
  const ceiling = drainCeilingBytes(c.env);
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > ceiling) return;
  await drain(body.getReader(), ceiling);
});
