// `npm run keys -- create --name X | list | revoke ID [--url URL] [--admin-token T]`: API keys of
// a gateway (the local one from `npm start` by default; ADMIN_TOKEN from .dev.vars).
import { parseArgs } from "node:util";
import { createKey, devSecrets, GATEWAY_URL } from "./dev-stack.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    url: { type: "string", default: process.env.GATEWAY_URL ?? GATEWAY_URL },
    "admin-token": { type: "string" },
    test: { type: "boolean", default: false },
  },
});
const token = values["admin-token"] ?? process.env.ADMIN_TOKEN ?? devSecrets().secrets.ADMIN_TOKEN;
const [command, arg] = positionals;
const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${values.url}/admin${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
  });

try {
  if (command === "create") {
    if (!values.name) throw new Error("create needs --name");
    const created = await createKey(token, values.name, values.url, values.test ? "test" : "live");
    process.stdout.write(
      `key ${created.id} for account ${created.accountId}:\n${created.key}\n(shown once; only its hash is stored)\n`,
    );
  } else if (command === "list") {
    process.stdout.write(`${JSON.stringify(await (await admin("/keys")).json(), null, 2)}\n`);
  } else if (command === "revoke" && arg) {
    const response = await admin(`/keys/${arg}`, { method: "DELETE" });
    if (response.status !== 204)
      throw new Error(`revoking ${arg} failed: ${response.status} ${await response.text()}`);
    process.stdout.write(`revoked ${arg}\n`);
  } else {
    throw new Error(
      "usage: npm run keys -- create --name X [--test] | list | revoke KEY_ID [--url URL] [--admin-token T]",
    );
  }
} catch (error) {
  process.stderr.write(`keys: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
