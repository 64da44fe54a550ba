// `npm run modal` against a fake ModalControl; `smoke` against a real local service on the
// fixture models (standing in for the deployed endpoint behind Modal's proxy).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, TEST_SECRET } from "../../test/service-support.ts";
import type { AutoscalerSettings, ModalControl, ModalTarget } from "./modal-control.ts";
import { MODAL_OPS_USAGE, runModalOps } from "./modal-ops.ts";

function fakeControl(webUrl: string | null = "https://acme--zone-edit-gpu-serve.modal.run") {
  const calls: Array<[string, ModalTarget, AutoscalerSettings?]> = [];
  let closed = 0;
  const control: ModalControl = {
    async appStatus(target) {
      calls.push(["appStatus", target]);
      return {
        appId: "ap-123",
        state: "deployed",
        version: 7,
        deployedAt: new Date("2026-01-02T03:04:05Z"),
        functions: ["serve"],
      };
    },
    async functionStatus(target) {
      calls.push(["functionStatus", target]);
      return { functionId: "fu-456", backlog: 2, runners: 1, webUrl };
    },
    async updateAutoscaler(target, settings) {
      calls.push(["updateAutoscaler", target, settings]);
      return { ...settings, maxContainers: settings.maxContainers ?? 4 };
    },
    close() {
      closed++;
    },
  };
  return { control, calls, closed: () => closed };
}

async function ops(argv: string[], control = fakeControl().control, env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runModalOps(
    argv,
    { stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
    { control: () => control, fetch, env },
  );
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("npm run modal -- status", () => {
  it("reports the app, the function's containers and backlog, and its URL", async () => {
    const fake = fakeControl();
    const r = await ops(["status"], fake.control);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "app zone-edit-gpu (ap-123): deployed, version 7 on 2026-01-02T03:04:05.000Z\n" +
        "functions: serve\n" +
        "serve (fu-456): 1 container(s), backlog 2\n" +
        "url: https://acme--zone-edit-gpu-serve.modal.run\n",
    );
    expect(fake.calls.map(([name, target]) => [name, target])).toEqual([
      ["appStatus", { app: "zone-edit-gpu", function: "serve", environment: undefined }],
      ["functionStatus", { app: "zone-edit-gpu", function: "serve", environment: undefined }],
    ]);
    expect(fake.closed()).toBe(1);
  });

  it("takes the app and environment from flags or the environment, and prints JSON", async () => {
    const fake = fakeControl();
    const r = await ops(["status", "--json", "--env", "staging"], fake.control, { ZONE_MODAL_APP: "zone-b" });
    expect(JSON.parse(r.stdout)).toMatchObject({
      target: { app: "zone-b", function: "serve", environment: "staging" },
      app: { state: "deployed" },
      function: { runners: 1 },
    });
  });

  it("says what Modal said when it fails", async () => {
    const failing: ModalControl = {
      ...fakeControl().control,
      appStatus: async () => {
        throw new Error("App 'zone-edit-gpu' not found in environment 'main'");
      },
    };
    const r = await ops(["status"], failing);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("modal: App 'zone-edit-gpu' not found in environment 'main'\n");
  });
});

describe("npm run modal -- warm", () => {
  it("updates the autoscaler and prints what is in force", async () => {
    const fake = fakeControl();
    const r = await ops(["warm", "--min", "2", "--scaledown", "600"], fake.control);
    expect(r.code).toBe(0);
    expect(fake.calls).toEqual([
      [
        "updateAutoscaler",
        { app: "zone-edit-gpu", function: "serve", environment: undefined },
        {
          minContainers: 2,
          maxContainers: undefined,
          bufferContainers: undefined,
          scaledownWindowSeconds: 600,
        },
      ],
    ]);
    expect(r.stdout).toMatch(/autoscaler now: min 2, max 4, buffer -, scale-down window 600 s/);
  });

  it.each([
    [["warm"], /warm needs --min N/],
    [["warm", "--min=-1"], /^modal: --min must be an integer in 0..100, got "-1"\n$/],
    [["warm", "--min", "x"], /--min must be an integer in 0..100, got "x"/],
    [["warm", "--min", "3", "--max", "2"], /--max 2 is below --min 3/],
    [["scale"], /unknown command "scale"/],
    [["status", "extra"], /unexpected argument "extra"/],
    [["status", "--bogus"], /^modal: Unknown option '--bogus'.* \(see npm run modal -- --help\)\n$/],
  ])("%j is a usage error", async (argv, message) => {
    const r = await ops(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("prints its usage", async () => {
    expect((await ops(["--help"])).stdout).toBe(MODAL_OPS_USAGE);
    expect((await ops([])).code).toBe(2);
  });
});

describe("npm run modal -- smoke", () => {
  let service: Awaited<ReturnType<typeof startTestService>>;
  const env = {
    MODAL_PROXY_TOKEN_ID: "wk-1",
    MODAL_PROXY_TOKEN_SECRET: "ws-1",
    GPU_SHARED_SECRET: TEST_SECRET,
  };

  beforeAll(async () => {
    service = await startTestService({ secret: TEST_SECRET });
    await service.ready;
  });

  afterAll(async () => {
    await service?.stop();
  });

  it("runs one edit through the endpoint the function reports, and checks every part", async () => {
    const fake = fakeControl(service.url);
    const r = await ops(["smoke", "--steps", "1"], fake.control, env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ok: ${service.url} ready after [0-9.]+ s; edit in \\d+ ms\\n`));
    expect(r.stdout).toMatch(/bundle fixtures-v1-[0-9a-f]+ \(FIXTURES\)/);
    expect(r.stdout).toMatch(/server-timing: queue;dur=.*denoise;dur=/);
  });

  it("fails when the service refuses the secret", async () => {
    const r = await ops(["smoke", "--url", service.url], fakeControl().control, {
      ...env,
      GPU_SHARED_SECRET: "wrong-secret-0123456789",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^modal: POST \/v1\/edit answered 401 Unauthorized: .*"code":"unauthorized"/);
  });

  it("needs the proxy token and the shared secret", async () => {
    const r = await ops(["smoke", "--url", service.url], fakeControl().control, {});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/MODAL_PROXY_TOKEN_ID is not set \(the endpoint requires Modal proxy auth\)/);
  });
});
