// A webhook receiver for the Worker tests, behind Miniflare's outbound service beside the GPU
// mock (vitest.config.ts): it records every delivery per path (headers and body) and can be told
// to fail the next N deliveries to a path. Controls (for one path, so test files do not meet):
//   GET  /__received?path=P     what it received on P
//   POST /__fail?path=P&n=N     the next N deliveries to P answer 500
export const WEBHOOK_RECEIVER_ORIGIN = "http://127.0.0.1:9";

interface Received {
  headers: Record<string, string>;
  body: string;
  status: number;
}

const received = new Map<string, Received[]>();
const failNext = new Map<string, number>();

export async function webhookReceiver(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.searchParams.get("path") ?? "";
  if (url.pathname === "/__received") return Response.json(received.get(path) ?? []);
  if (url.pathname === "/__fail") {
    failNext.set(path, Number(url.searchParams.get("n") ?? 1));
    return Response.json({ ok: true });
  }
  const failing = failNext.get(url.pathname) ?? 0;
  const status = failing > 0 ? 500 : 204;
  if (failing > 0) failNext.set(url.pathname, failing - 1);
  const list = received.get(url.pathname) ?? [];
  list.push({ headers: Object.fromEntries(request.headers), body: await request.text(), status });
  received.set(url.pathname, list);
  return new Response(null, { status });
}
