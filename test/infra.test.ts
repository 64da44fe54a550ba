// The GPU container and the Modal app cannot be built or deployed here (no Docker engine, no GPU,
// no Modal account), so their invariants are checked statically: the Dockerfile's base image,
// versions, COPY sources, user and entrypoint; the entrypoint script's dispatch (run with a
// stand-in `node`); and infra/modal/app.py, executed against a stand-in `modal` module that
// records what the app asks Modal for.
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./shared-data.ts";

const run = promisify(execFile);
const DOCKERFILE = join(REPO_ROOT, "infra", "gpu", "Dockerfile");
const ENTRYPOINT = join(REPO_ROOT, "infra", "gpu", "entrypoint.sh");
const APP_PY = join(REPO_ROOT, "infra", "modal", "app.py");

/** Instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Array<{ op: string; args: string }> {
  const joined = text.replace(/\\\n/g, " ").split("\n");
  return joined
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

describe("infra/gpu/Dockerfile", () => {
  let text: string;
  let ops: Array<{ op: string; args: string }>;
  beforeAll(async () => {
    text = await readFile(DOCKERFILE, "utf8");
    ops = instructions(text);
  });

  it("says it is not built here", () => {
    expect(text).toMatch(/NOT BUILT BY THIS REPOSITORY'S CI/);
  });

  it("is one stage on a CUDA 12 + cuDNN runtime base", () => {
    const froms = ops.filter((o) => o.op === "FROM");
    expect(froms).toHaveLength(1);
    expect(froms[0].args).toMatch(/^nvidia\/cuda:12\.\d+\.\d+-cudnn-runtime-ubuntu\d+\.\d+$/);
  });

  it("installs the TensorRT 10 runtime for the same CUDA minor as the base image", () => {
    const cuda = ops.find((o) => o.op === "FROM")!.args.match(/cuda:(12\.\d+)/)![1];
    const trt = text.match(/ARG TENSORRT_VERSION=(10\.[\d.]+-1\+cuda(12\.\d+))/);
    expect(trt?.[2]).toBe(cuda);
    for (const pkg of ["libnvinfer10", "libnvinfer-plugin10", "libnvonnxparsers10"])
      expect(text).toContain(`"${pkg}=\${TENSORRT_VERSION}"`);
  });

  it("installs the project's own Node version, checked against the release's SHA-256 list", async () => {
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8"));
    const nodeVersion = text.match(/ARG NODE_VERSION=(\S+)/)?.[1];
    expect(nodeVersion).toBe(pkg.devDependencies.node);
    expect(text).toMatch(/SHASUMS256\.txt \| sha256sum -c -/);
  });

  it("runs npm ci for production with the CUDA 12 onnxruntime-node providers, and checks them", () => {
    expect(ops).toContainEqual({ op: "ENV", args: "ONNXRUNTIME_NODE_INSTALL=cuda12" });
    const install = ops.find((o) => o.op === "RUN" && o.args.includes("npm ci"));
    expect(install?.args).toMatch(/npm ci --omit=dev/);
    expect(install?.args).toMatch(/for provider in shared cuda tensorrt; do test -f/);
  });

  it("copies only paths that exist, without flags or variables (Modal's builder reads them literally)", async () => {
    const copies = ops.filter((o) => o.op === "COPY" || o.op === "ADD");
    expect(copies.length).toBeGreaterThan(4);
    for (const { op, args } of copies) {
      expect(op).toBe("COPY");
      const parts = args.split(/\s+/);
      for (const source of parts.slice(0, -1)) {
        expect(source, args).not.toMatch(/^--|\$/);
        await expect(stat(join(REPO_ROOT, source)), source).resolves.toBeTruthy();
      }
    }
  });

  it("runs as a non-root user with zone serve as the entrypoint, in production mode", () => {
    const userAt = ops.findIndex((o) => o.op === "USER");
    expect(ops[userAt].args).toBe("zone");
    expect(ops.findIndex((o) => o.op === "RUN" && o.args.includes("npm ci"))).toBeLessThan(userAt);
    expect(ops.at(-2)).toEqual({ op: "ENTRYPOINT", args: '["/usr/local/bin/zone-entrypoint"]' });
    expect(ops.at(-1)).toEqual({ op: "CMD", args: '["serve"]' });
    expect(text).toMatch(/NODE_ENV=production/);
    expect(text).toMatch(/HOST=0\.0\.0\.0/);
  });

  it("keeps installs, tests and local secrets out of the build context", async () => {
    const ignore = await readFile(`${DOCKERFILE}.dockerignore`, "utf8");
    for (const pattern of ["**/node_modules", ".git", ".dev.vars", "**/*.test.ts"])
      expect(ignore.split("\n")).toContain(pattern);
  });
});

describe("infra/gpu/entrypoint.sh", () => {
  let bin: string;
  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), "zone-entrypoint-"));
    await writeFile(join(bin, "node"), '#!/bin/sh\necho "node $*"\n');
    await chmod(join(bin, "node"), 0o755);
  });

  async function entrypoint(...args: string[]) {
    const { stdout } = await run("sh", [ENTRYPOINT, ...args], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
    });
    return stdout.trim();
  }

  it.each([
    [[], "node /app/gpu-function/bin/zone.js serve"],
    [["serve", "--port", "9000"], "node /app/gpu-function/bin/zone.js serve --port 9000"],
    [["--models", "fixtures"], "node /app/gpu-function/bin/zone.js serve --models fixtures"],
    [
      ["models", "verify", "/models/current"],
      "node /app/gpu-function/bin/zone.js models verify /models/current",
    ],
    [["echo", "modal runtime"], "modal runtime"],
  ])("%j -> %s", async (args, want) => {
    expect(await entrypoint(...args)).toBe(want);
  });

  it("is executable", async () => {
    expect((await stat(ENTRYPOINT)).mode & 0o111).not.toBe(0);
  });
});

// A stand-in for the `modal` package: records every call as JSON on stdout.
const FAKE_MODAL = `
import json, sys
calls = []
def record(kind, *args, **kwargs):
    calls.append({"kind": kind, "args": [str(a) for a in args], "kwargs": {k: (v if isinstance(v, (int, str, bool, type(None), list, dict)) else repr(v)) for k, v in kwargs.items()}})
class _Obj:
    def __init__(self, label): self.label = label
    def __repr__(self): return self.label
class Image:
    @staticmethod
    def from_dockerfile(*args, **kwargs):
        record("Image.from_dockerfile", *args, **kwargs); return _Obj("image")
class Volume:
    @staticmethod
    def from_name(*args, **kwargs):
        record("Volume.from_name", *args, **kwargs); return _Obj("volume:" + args[0])
class Secret:
    @staticmethod
    def from_name(*args, **kwargs):
        record("Secret.from_name", *args, **kwargs); return _Obj("secret:" + args[0])
    @staticmethod
    def from_dict(env):
        record("Secret.from_dict", env=env); return _Obj("secret:dict")
class App:
    def __init__(self, *args, **kwargs):
        record("App", *args, **kwargs)
    def function(self, **kwargs):
        record("App.function", **{k: (repr(v) if k in ("volumes", "secrets") else v) for k, v in kwargs.items()})
        return lambda f: f
def concurrent(**kwargs):
    record("concurrent", **kwargs); return lambda f: f
def web_server(*args, **kwargs):
    record("web_server", *args, **kwargs); return lambda f: f
`;

const RUN_APP = `
import importlib.util, json, subprocess, sys
import modal
popen = []
subprocess.Popen = lambda *a, **k: popen.append({"args": a[0], "cwd": k.get("cwd")})
spec = importlib.util.spec_from_file_location("zone_modal_app", sys.argv[1])
app = importlib.util.module_from_spec(spec)
spec.loader.exec_module(app)
app.serve()
print(json.dumps({"calls": modal.calls, "popen": popen, "service_env": app.SERVICE_ENV}))
`;

async function python(): Promise<boolean> {
  try {
    await run("python3", ["--version"]);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!(await python()))("infra/modal/app.py (against a stand-in modal module)", () => {
  let stub: string;
  beforeAll(async () => {
    stub = await mkdtemp(join(tmpdir(), "zone-modal-stub-"));
    await writeFile(join(stub, "modal.py"), FAKE_MODAL);
    await writeFile(join(stub, "run_app.py"), RUN_APP);
  });

  async function deploy(env: Record<string, string> = {}) {
    const { stdout } = await run("python3", [join(stub, "run_app.py"), APP_PY], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PYTHONPATH: stub, ...env },
    });
    const out = JSON.parse(stdout) as {
      calls: Array<{ kind: string; args: string[]; kwargs: Record<string, unknown> }>;
      popen: Array<{ args: string[]; cwd: string }>;
      service_env: Record<string, string>;
    };
    const call = (kind: string) => out.calls.find((c) => c.kind === kind);
    return { ...out, call };
  }

  it("builds the image from the Dockerfile with the repository as context and Python for Modal", async () => {
    const { call } = await deploy();
    const image = call("Image.from_dockerfile");
    expect(image?.args[0]).toBe(DOCKERFILE);
    expect(image?.kwargs).toMatchObject({ add_python: "3.12" });
    expect(image?.kwargs.context_dir).toBe(`PosixPath('${REPO_ROOT}')`);
  });

  it("serves the Node service as a web server with proxy auth required, on the GPU, with the Volume and Secrets", async () => {
    const { call, popen, service_env } = await deploy();
    expect(call("App")?.args).toEqual(["zone-edit-gpu"]);
    expect(call("web_server")?.kwargs).toMatchObject({
      port: 8080,
      requires_proxy_auth: true,
      startup_timeout: 900,
    });
    expect(call("concurrent")?.kwargs).toEqual({ max_inputs: 9, target_inputs: 2 });
    expect(call("Volume.from_name")).toMatchObject({
      args: ["zone-models"],
      kwargs: { create_if_missing: true },
    });
    expect(call("Secret.from_name")).toMatchObject({
      args: ["zone-gpu-shared-secret"],
      kwargs: { required_keys: ["GPU_SHARED_SECRET"] },
    });
    const fn = call("App.function")?.kwargs;
    expect(fn).toMatchObject({
      gpu: "H100",
      volumes: "{'/models': volume:zone-models}",
      secrets: "[secret:zone-gpu-shared-secret, secret:dict]",
      min_containers: 0,
      max_containers: 4,
      buffer_containers: 0,
      scaledown_window: 300,
    });
    expect(service_env).toMatchObject({
      NODE_ENV: "production",
      HOST: "0.0.0.0",
      PORT: "8080",
      MODELS_DIR: "/models/current",
      ZONE_MAX_QUEUE: "8",
      ZONE_LISTEN_WHEN_READY: "1",
    });
    expect(popen).toEqual([{ args: ["node", "/app/gpu-function/bin/zone.js", "serve"], cwd: "/app" }]);
  });

  it("takes the GPU, bundle and autoscaling from the deploy environment", async () => {
    const { call, service_env } = await deploy({
      ZONE_MODAL_APP: "zone-staging",
      ZONE_MODAL_GPU: "A100-80GB",
      ZONE_MODAL_BUNDLE: "sd15-2026-01",
      ZONE_MODAL_MIN_CONTAINERS: "1",
      ZONE_MODAL_MAX_CONTAINERS: "10",
      ZONE_MODAL_BUFFER_CONTAINERS: "2",
      ZONE_MODAL_SCALEDOWN_WINDOW: "120",
      ZONE_MODAL_MAX_INPUTS: "5",
    });
    expect(call("App")?.args).toEqual(["zone-staging"]);
    expect(call("App.function")?.kwargs).toMatchObject({
      gpu: "A100-80GB",
      min_containers: 1,
      max_containers: 10,
      buffer_containers: 2,
      scaledown_window: 120,
    });
    expect(call("concurrent")?.kwargs).toEqual({ max_inputs: 5, target_inputs: 2 });
    expect(service_env).toMatchObject({ MODELS_DIR: "/models/sd15-2026-01", ZONE_MAX_QUEUE: "4" });
  });

  it("refuses a malformed number", async () => {
    await expect(deploy({ ZONE_MODAL_MAX_CONTAINERS: "many" })).rejects.toThrow(
      /ZONE_MODAL_MAX_CONTAINERS must be an integer, got 'many'/,
    );
  });
});
