// `npm start`: the whole stack on this machine. The GPU function (`zone serve`, on the fixture
// models unless MODELS_DIR is set) and the gateway Worker on Miniflare (scripts/gateway-dev.ts;
// local R2/D1/Durable Objects on disk in .wrangler/, as wrangler's local commands keep them), wired together; a dev API key on first run; a curl example.
// Both run under a supervisor (scripts/supervisor.ts): a service that dies is restarted with
// backoff and the other stays up, so while the GPU function is down the gateway answers 503
// problem+json with Retry-After. Ctrl-C stops both.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createKey,
  devSecrets,
  GATEWAY_PORT,
  GATEWAY_URL,
  GPU_PORT,
  GPU_URL,
  ROOT,
  startChild,
  waitFor,
} from "./dev-stack.ts";
import { Supervisor } from "./supervisor.ts";

const say = (line: string) => process.stdout.write(`${line}\n`);

const { secrets, created } = devSecrets();
if (created) say("created .dev.vars with fresh local secrets (KEY_PEPPER, ADMIN_TOKEN, GPU_SHARED_SECRET)");

const models = process.env.MODELS_DIR ?? "fixtures";
if (models === "fixtures") {
  say("");
  say("*** MODELS_DIR is not set: the GPU function runs the tiny FIXTURE models. ***");
  say("*** They are untrained: every pixel outside the edit is kept, but the edit itself is noise. ***");
  say("*** Set MODELS_DIR to a real bundle (README, 'The real-model path') for real edits. ***");
  say("");
}

say(`starting the GPU function on ${GPU_URL} ...`);
const gpu = new Supervisor({
  label: "the GPU function",
  say,
  start: () =>
    startChild(
      "gpu",
      process.execPath,
      [join(ROOT, "gpu-function/bin/zone.js"), "serve", "--port", String(GPU_PORT), "--models", models],
      { GPU_SHARED_SECRET: secrets.GPU_SHARED_SECRET },
    ),
  onRestart: (child) => {
    waitFor(`${GPU_URL}/readyz`, child, 300_000).then(
      () => say("the GPU function is back; the gateway forwards edits again"),
      () => {},
    );
  },
});
const services: Supervisor[] = [gpu];
let stopping: Promise<unknown> | null = null;
const stop = () => {
  stopping ??= Promise.all(services.map((service) => service.stop()));
  return stopping;
};
let interrupted: () => void = () => {};
const interruption = new Promise<void>((resolve) => {
  interrupted = resolve;
});
process.on("SIGINT", interrupted);
process.on("SIGTERM", interrupted);

try {
  const ready = (await (await waitFor(`${GPU_URL}/readyz`, gpu.current, 300_000)).json()) as {
    bundleId: string;
  };
  say(`GPU function ready (bundle ${ready.bundleId})`);

  execFileSync("wrangler", ["d1", "migrations", "apply", "zone-edit", "--local"], {
    cwd: ROOT,
    stdio: "ignore",
    env: { ...process.env, CI: "1" },
  });
  say(`starting the gateway on ${GATEWAY_URL} (the Worker on Miniflare, scripts/gateway-dev.ts) ...`);
  const gateway = new Supervisor({
    label: "the gateway",
    say,
    start: () =>
      startChild("gateway", process.execPath, [
        join(ROOT, "scripts/gateway-dev.ts"),
        "--port",
        String(GATEWAY_PORT),
        "--var",
        `GPU_FUNCTION_URL:${GPU_URL}`,
        "--var",
        `BUNDLE_VERSION:${ready.bundleId}`,
        // A webhook receiver on this machine may be called (wrangler.toml; never in production).
        "--var",
        "WEBHOOKS_ALLOW_LOOPBACK:true",
      ]),
    onRestart: (child) => {
      waitFor(`${GATEWAY_URL}/healthz`, child, 120_000).then(
        () => say("the gateway is back"),
        () => {},
      );
    },
  });
  services.push(gateway);
  await waitFor(`${GATEWAY_URL}/healthz`, gateway.current, 120_000);

  // The dev key's secret is kept (locally only) so every run can print it.
  const keyFile = join(ROOT, ".wrangler", "dev-api-key");
  let key = existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : "";
  const probe = key
    ? await fetch(`${GATEWAY_URL}/v1/usage`, { headers: { authorization: `Bearer ${key}` } })
    : null;
  if (!probe?.ok) {
    key = (await createKey(secrets.ADMIN_TOKEN, "local dev")).key;
    mkdirSync(join(ROOT, ".wrangler"), { recursive: true });
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
    say("created a local dev API key");
  }
  const photo = existsSync(join(ROOT, "..", "shared", "images", "chelsea.png"))
    ? "../shared/images/chelsea.png"
    : "out/demo/original.png";
  if (!existsSync(join(ROOT, photo)))
    execFileSync(process.execPath, [join(ROOT, "gpu-function/bin/zone.js"), "demo", "--out", "out/demo"], {
      cwd: ROOT,
      stdio: "ignore",
    });
  say("");
  say(`ready. Your dev API key: ${key}`);
  say("try:");
  say(
    `  curl -s -H "Authorization: Bearer ${key}" -F image=@${photo} -F instruction="make the cat black" ${GATEWAY_URL}/v1/edits`,
  );
  say(
    `  curl -s -H "Authorization: Bearer ${key}" -H "Accept: image/png" -F image=@${photo} -F instruction="make the cat black" ${GATEWAY_URL}/v1/edits -o result.png`,
  );
  say(`playground: ${GATEWAY_URL}/playground/ (paste the key above)`);
  say(`API docs: ${GATEWAY_URL}/docs/   usage: ${GATEWAY_URL}/v1/usage   Ctrl-C stops both services`);
  say("a service that dies is restarted; until the GPU function is back, edits answer 503 with Retry-After");
  await interruption;
} catch (error) {
  process.stderr.write(`npm start: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await stop();
}
