// Where the links in answers (`links`, `Location`) point: the configured PUBLIC_BASE_URL, so a
// client behind a proxy, or one sending a forged Host header, gets the API's real address. Only
// when it is unset (local development: `npm start`, `wrangler dev`) do they follow the request.
import type { Env } from "./env.ts";

export function publicOrigin(env: Pick<Env, "PUBLIC_BASE_URL">, requestUrl: string): string {
  const configured = env.PUBLIC_BASE_URL?.trim();
  if (!configured) return new URL(requestUrl).origin;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new Error(`PUBLIC_BASE_URL must be an absolute URL, not ${JSON.stringify(configured)}`);
  }
  if (url.search || url.hash) throw new Error("PUBLIC_BASE_URL must not have a query or fragment");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
