// The Worker's entry: the Hono app, the webhook queues' consumer and the Durable Object classes.
import { app } from "./app.ts";
import type { Env } from "./env.ts";
import { deliverBatch } from "./webhooks/deliver.ts";
import type { WebhookQueueMessage } from "./webhooks/emit.ts";

export { AccountBalance } from "./billing/account-balance.ts";
export { EditCoordinator } from "./coordinator/edit-coordinator.ts";
export { app };

export default {
  fetch: app.fetch,
  queue: (batch, env) => deliverBatch(batch, env),
} satisfies ExportedHandler<Env, WebhookQueueMessage>;
