// A webhook receiver with the typed client's receiveWebhook: it checks each delivery's Standard
// Webhooks signature with the secret POST /v1/webhooks answered (the gateway's own verifier,
// re-exported by @zone/client), prints the event, and answers 204 (401 when the signature does
// not verify; `--fail N` answers the first N good deliveries 503, to watch the retries with their
// one webhook-id). `--port 0` takes a free port; the first line says which.
//
//   WEBHOOK_SECRET=whsec_... npx node gateway/client/examples/webhook-receiver.ts [--port 9000] [--fail 0]
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { receiveWebhook } from "@zone/client";

const { values } = parseArgs({
  options: { port: { type: "string", default: "9000" }, fail: { type: "string", default: "0" } },
});
const secret = process.env.WEBHOOK_SECRET;
if (!secret) throw new Error("set WEBHOOK_SECRET to the secret POST /v1/webhooks answered");
let failing = Number(values.fail);

const server = createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => {
    body += chunk;
  });
  req.on("end", async () => {
    // The raw body as received: the signature covers its exact bytes.
    const delivery = await receiveWebhook(secret, req.headers as Record<string, string>, body);
    const status = !delivery.ok ? 401 : failing > 0 ? 503 : 204;
    if (delivery.ok && failing > 0) failing--;
    const what = delivery.ok
      ? `${delivery.payload.type} ${delivery.payload.data.id} ${delivery.payload.data.status}`
      : `refused: ${delivery.reason}`;
    console.log(`${new Date().toISOString()} ${req.headers["webhook-id"]} ${what} -> ${status}`);
    res.writeHead(status).end();
  });
});
server.listen(Number(values.port), "127.0.0.1", () =>
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
);
