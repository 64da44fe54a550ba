// The Worker's entry: the Hono app and the single-flight Durable Object class.
import { app } from "./app.ts";

export { AccountBalance } from "./billing/account-balance.ts";
export { EditCoordinator } from "./coordinator/edit-coordinator.ts";
export { app };

export default app;
