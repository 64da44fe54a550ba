// A webhook receiver for trying webhooks on this machine: it checks each delivery's Standard
// Webhooks signature with the secret POST /v1/webhooks answered (shared/src/webhook-signature.ts),
// prints the event, and answers 204 (or 401 when the signature does not verify; `--fail N`
// answers the first N deliveries 503, to watch the retries with their one webhook-id).
//
//   WEBHOOK_SECRET=whsec_... node scripts/webhook-receiver.ts [--port 9000] [--fail 0]
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { verifyWebhook } from "../shared/src/webhook-signature.ts";

const { values } = parseArgs({
  options: { port: { type: "string", default: "9000" }, fail: { type: "string", default: "0" } },
});
const secret = process.env.WEBHOOK_SECRET;
if (!secret) throw new Error("set WEBHOOK_SECRET to the secret POST /v1/webhooks answered");
let failing = Number(values.fail);

createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => {
    body += chunk;
  });
  req.on("end", async () => {
    const check = await verifyWebhook(secret, req.headers as Record<string, string>, body);
    const event = check.ok
      ? (JSON.parse(body) as { type: string; data: { id: string; status: string } })
      : null;
    const status = !check.ok ? 401 : failing > 0 ? 503 : 204;
    if (check.ok && failing > 0) failing--;
    console.log(
      `${new Date().toISOString()} ${req.headers["webhook-id"]} ${check.ok ? `${event?.type} ${event?.data.id}` : `refused: ${check.reason}`} -> ${status}`,
    );
    res.writeHead(status).end();
  });
}).listen(Number(values.port), "127.0.0.1", () =>
  console.log(`listening on http://127.0.0.1:${values.port}/`),
);
