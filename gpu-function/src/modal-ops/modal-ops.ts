// `npm run modal -- status | warm --min N | smoke`: operations on the deployed GPU function
// (infra/modal/app.py) through a ModalControl, so tests run them against a fake. Errors are one
// line on stderr: exit 2 for a bad command line, 1 for anything else.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ZoneError } from "@zone/shared";
import { type CliIo, CliUsageError } from "../cli/io.ts";
import { syntheticScene } from "../demo/synthetic-scene.ts";
import { encodePng } from "../image/io.ts";
import { MODAL_TARGET_DEFAULTS, type ModalControl, type ModalTarget } from "./modal-control.ts";
import { smokeEdit } from "./smoke.ts";

export const MODAL_OPS_USAGE = `Usage: npm run modal -- <command> [options]

Commands:
  status                    the deployed app, its web function (containers, backlog) and URL
  warm --min N [--max N] [--buffer N] [--scaledown SECONDS]
                            override the function's autoscaler until the next \`modal deploy\`
  smoke [--url URL] [--image FILE] [--instruction TEXT] [--steps N] [--timeout SECONDS]
                            one edit through the deployed endpoint, checked part by part

Every command:
  --app NAME                Modal app (ZONE_MODAL_APP, default ${MODAL_TARGET_DEFAULTS.app})
  --function NAME           its web function (default ${MODAL_TARGET_DEFAULTS.function})
  --env NAME                Modal environment (MODAL_ENVIRONMENT)
  --json                    print the result as JSON

Modal API credentials: MODAL_TOKEN_ID and MODAL_TOKEN_SECRET, or ~/.modal.toml.
smoke also needs MODAL_PROXY_TOKEN_ID and MODAL_PROXY_TOKEN_SECRET (a workspace proxy auth
token: the endpoint requires proxy auth) and GPU_SHARED_SECRET (the service's bearer secret).
`;

export interface ModalOpsDeps {
  control: () => ModalControl;
  fetch: typeof fetch;
  env: NodeJS.ProcessEnv;
}

const OPTIONS = {
  app: { type: "string" },
  function: { type: "string" },
  env: { type: "string" },
  json: { type: "boolean", default: false },
  min: { type: "string" },
  max: { type: "string" },
  buffer: { type: "string" },
  scaledown: { type: "string" },
  url: { type: "string" },
  image: { type: "string" },
  instruction: { type: "string", default: "make the ball blue" },
  steps: { type: "string" },
  timeout: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message.split("\n")[0]} (see npm run modal -- --help)`);
  }
}

type Values = ReturnType<typeof parse>["values"];

function count(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > max)
    throw new CliUsageError(`${flag} must be an integer in 0..${max}, got "${value}"`);
  return n;
}

function required(env: NodeJS.ProcessEnv, name: string, why: string): string {
  const value = env[name];
  if (!value) throw new ZoneError("invalid_argument", `${name} is not set (${why})`);
  return value;
}

async function status(control: ModalControl, target: ModalTarget, values: Values, io: CliIo) {
  const app = await control.appStatus(target);
  const fn = await control.functionStatus(target);
  if (values.json) {
    io.stdout(`${JSON.stringify({ target, app, function: fn }, null, 2)}\n`);
    return;
  }
  const deployed = app.deployedAt ? ` on ${app.deployedAt.toISOString()}` : "";
  io.stdout(`app ${target.app} (${app.appId}): ${app.state}, version ${app.version ?? "-"}${deployed}\n`);
  io.stdout(`functions: ${app.functions.join(", ") || "none"}\n`);
  io.stdout(`${target.function} (${fn.functionId}): ${fn.runners} container(s), backlog ${fn.backlog}\n`);
  io.stdout(`url: ${fn.webUrl ?? "none (not a web function)"}\n`);
}

async function warm(control: ModalControl, target: ModalTarget, values: Values, io: CliIo) {
  const minContainers = count("--min", values.min, 100);
  if (minContainers === undefined) throw new CliUsageError("warm needs --min N");
  const settings = {
    minContainers,
    maxContainers: count("--max", values.max, 1000),
    bufferContainers: count("--buffer", values.buffer, 100),
    scaledownWindowSeconds: count("--scaledown", values.scaledown, 86_400),
  };
  if (settings.maxContainers !== undefined && settings.maxContainers < minContainers)
    throw new CliUsageError(`--max ${settings.maxContainers} is below --min ${minContainers}`);
  const now = await control.updateAutoscaler(target, settings);
  if (values.json) io.stdout(`${JSON.stringify({ target, autoscaler: now }, null, 2)}\n`);
  else
    io.stdout(
      `${target.app}/${target.function} autoscaler now: min ${now.minContainers ?? "-"}, max ${now.maxContainers ?? "-"}, ` +
        `buffer ${now.bufferContainers ?? "-"}, scale-down window ${now.scaledownWindowSeconds ?? "-"} s ` +
        "(until the next modal deploy)\n",
    );
}

async function smoke(deps: ModalOpsDeps, target: ModalTarget, values: Values, io: CliIo) {
  const steps = count("--steps", values.steps, 100) ?? 4;
  const timeoutSeconds = count("--timeout", values.timeout, 3600) ?? 600;
  const headers = {
    "modal-key": required(deps.env, "MODAL_PROXY_TOKEN_ID", "the endpoint requires Modal proxy auth"),
    "modal-secret": required(deps.env, "MODAL_PROXY_TOKEN_SECRET", "the endpoint requires Modal proxy auth"),
    authorization: `Bearer ${required(deps.env, "GPU_SHARED_SECRET", "the service's bearer secret")}`,
  };
  let url = values.url ?? deps.env.ZONE_GPU_URL;
  if (url === undefined) {
    const control = deps.control();
    try {
      url = (await control.functionStatus(target)).webUrl ?? undefined;
    } finally {
      control.close();
    }
    if (url === undefined)
      throw new ZoneError("not_found", `${target.app}/${target.function} has no web URL`);
  }
  const image = values.image
    ? new Uint8Array(await readFile(values.image))
    : await encodePng(syntheticScene(512, 512).image);
  const result = await smokeEdit(url, {
    headers,
    image,
    instruction: values.instruction,
    steps,
    readyTimeoutMs: timeoutSeconds * 1000,
    pollMs: 5000,
    fetch: deps.fetch,
    progress: (line) => io.stderr(`${line}\n`),
  });
  if (values.json) {
    io.stdout(`${JSON.stringify({ url, ...result }, null, 2)}\n`);
    return;
  }
  io.stdout(
    `ok: ${url} ready after ${(result.readyAfterMs / 1000).toFixed(1)} s; edit in ${result.editMs} ms\n`,
  );
  io.stdout(
    `bundle ${result.meta.bundleId}${result.meta.fixtures ? " (FIXTURES)" : ""}; action ${result.meta.action}; ` +
      `changed ${result.meta.changedPixels} px; providers ${JSON.stringify(result.meta.providers)}\n`,
  );
  io.stdout(`server-timing: ${result.serverTiming}\n`);
}

export async function runModalOps(argv: string[], io: CliIo, deps: ModalOpsDeps): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    const [command, ...rest] = positionals;
    if (values.help || command === undefined) {
      io.stdout(MODAL_OPS_USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (rest.length > 0) throw new CliUsageError(`unexpected argument "${rest[0]}"`);
    const target: ModalTarget = {
      app: values.app ?? deps.env.ZONE_MODAL_APP ?? MODAL_TARGET_DEFAULTS.app,
      function: values.function ?? MODAL_TARGET_DEFAULTS.function,
      environment: values.env ?? deps.env.MODAL_ENVIRONMENT ?? MODAL_TARGET_DEFAULTS.environment,
    };
    if (command === "smoke") {
      await smoke(deps, target, values, io);
      return 0;
    }
    if (command !== "status" && command !== "warm")
      throw new CliUsageError(`unknown command "${command}" (commands: status, warm, smoke)`);
    const control = deps.control();
    try {
      await (command === "status" ? status : warm)(control, target, values, io);
    } finally {
      control.close();
    }
    return 0;
  } catch (error) {
    if (process.env.ZONE_DEBUG === "1" && error instanceof Error) io.stderr(`${error.stack}\n`);
    io.stderr(`modal: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`);
    return error instanceof CliUsageError ? 2 : 1;
  }
}
