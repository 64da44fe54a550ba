// One owner per name: no two production files under shared/src, gateway/src and gpu-function/src
// define an export of the same name (house style 14). Only definitions count
// (`export const|let|function|class|type|interface|enum NAME`, and `export { NAME }` of a name
// declared in the file); re-exports (`export ... from`, or `export { x }` of an imported x) do not,
// and index.ts barrels are left out. Tests (*.test.ts) and test/bench helpers are not production:
// a helper is a file under src/ that only tests, benches or other helpers import.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const PRODUCTION_ROOTS = ["shared/src", "gateway/src", "gateway/client/src", "gpu-function/src"];
/** Everything that may import a file under src/. */
const IMPORTER_ROOTS = ["shared", "gateway", "gpu-function", "test", "scripts", "infra", "vitest.config.ts"];

const posix = (path: string) => path.split("\\").join("/");

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = posix(join(dir, entry.name));
    if (entry.isDirectory()) walk(path, out);
    else if (/\.(ts|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** "@zone/shared" and friends -> their files, from the workspaces' package.json `exports`. */
function packageEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const dir of ["shared", "gateway", "gateway/client", "gpu-function"]) {
    const pkg = JSON.parse(read(`${dir}/package.json`)) as { name: string; exports?: Record<string, string> };
    for (const [subpath, file] of Object.entries(pkg.exports ?? {}))
      entries.set(posix(join(pkg.name, subpath)), posix(join(dir, file)));
  }
  return entries;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

function importsOf(file: string, packages: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [, specifier] of read(file).matchAll(SPECIFIER)) {
    if (specifier.startsWith(".")) out.push(posix(relative(ROOT, resolve(ROOT, dirname(file), specifier))));
    else if (packages.has(specifier)) out.push(packages.get(specifier)!);
  }
  return out;
}

const isTest = (file: string) =>
  /\.test\.ts$/.test(file) || /(^|\/)(test|bench)\//.test(file) || file === "vitest.config.ts";

/** Production files: entry points (nothing imports them), barrels, and whatever those reach. */
function productionFiles(): { production: Set<string>; helpers: string[] } {
  const packages = packageEntries();
  const all = IMPORTER_ROOTS.flatMap((root) => (root.endsWith(".ts") ? [root] : walk(root)));
  const imports = new Map(all.map((file) => [file, importsOf(file, packages)]));
  const imported = new Set([...imports.values()].flat());
  const src = all.filter((f) => PRODUCTION_ROOTS.some((r) => f.startsWith(`${r}/`)) && !isTest(f));
  const production = new Set<string>();
  const queue = [
    ...all.filter((f) => !isTest(f) && !src.includes(f)), // bins, scripts, infra tools
    ...src.filter((f) => !imported.has(f) || f.endsWith("/index.ts")),
  ];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (production.has(file)) continue;
    production.add(file);
    queue.push(...(imports.get(file) ?? []));
  }
  return { production, helpers: src.filter((f) => !production.has(f)).sort() };
}

const DEFINITION =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:const|let|var|function\*?|class|type|interface|enum)\s+([A-Za-z_$][\w$]*)/gm;
const LOCAL_EXPORT_LIST = /^export\s+(?:type\s+)?\{([^}]*)\}\s*(?!\s*from)\s*;?\s*$/gm;
const IMPORT_CLAUSE = /^\s*import\s+(?:type\s+)?([^"';]+?)\s+from\s+["'][^"']+["']/gm;

/** The export names a file defines itself. */
function definedExports(source: string): string[] {
  const names = new Set([...source.matchAll(DEFINITION)].map((m) => m[1]));
  const imported = new Set(
    [...source.matchAll(IMPORT_CLAUSE)].flatMap(([, clause]) =>
      clause
        .replace(/[{}*]/g, ",")
        .split(",")
        .map((part) => part.trim().replace(/^type\s+/, ""))
        .filter(Boolean)
        .map((part) => part.split(/\s+as\s+/).at(-1)!),
    ),
  );
  for (const [, list] of source.matchAll(LOCAL_EXPORT_LIST)) {
    for (const spec of list.split(",").map((s) => s.trim().replace(/^type\s+/, ""))) {
      if (spec === "") continue;
      const [local, exported = local] = spec.split(/\s+as\s+/);
      if (!imported.has(local)) names.add(exported);
    }
  }
  return [...names];
}

/** Each export name that more than one of these files (path -> source) defines, with its files. */
function duplicatesAmong(sources: ReadonlyMap<string, string>): Record<string, string[]> {
  const definers = new Map<string, string[]>();
  for (const [file, source] of [...sources].sort(([a], [b]) => a.localeCompare(b)))
    for (const name of definedExports(source)) definers.set(name, [...(definers.get(name) ?? []), file]);
  return Object.fromEntries([...definers].filter(([, files]) => files.length > 1).sort());
}

function duplicateExports(): Record<string, string[]> {
  const { production } = productionFiles();
  const files = [...production].filter(
    (file) =>
      PRODUCTION_ROOTS.some((r) => file.startsWith(`${r}/`)) &&
      file.endsWith(".ts") &&
      !file.endsWith("/index.ts"),
  );
  return duplicatesAmong(new Map(files.map((file) => [file, read(file)])));
}

describe("definedExports", () => {
  it("counts definitions and local export lists, not re-exports", () => {
    const source = [
      'import { imported, other as renamed } from "./a.ts";',
      'import type { Shape } from "./b.ts";',
      "export const A = 1;",
      "export async function b() {}",
      "export type C = number;",
      "export interface D {}",
      "export class E {}",
      "const f = 2;",
      "export { f, f as g, imported, renamed, type Shape };",
      'export { h } from "./c.ts";',
      'export * from "./d.ts";',
    ].join("\n");
    expect(definedExports(source).sort()).toEqual(["A", "C", "D", "E", "b", "f", "g"]);
  });
});

describe("duplicatesAmong", () => {
  // The typed client ships the gateway's webhook verifier: a re-export of a package's file is not
  // a second owner of its names; a wrapper or alias defined under the same name is.
  const SHARED = [
    "export const WEBHOOK_HEADERS = { id: 'webhook-id' } as const;",
    "export async function verifyWebhook(secret: string) { return secret; }",
  ].join("\n");
  const REEXPORT = [
    'import { type WebhookVerification, verifyWebhook } from "@zone/shared/webhook-signature";',
    "export {",
    "  verifyWebhook,",
    "  WEBHOOK_HEADERS,",
    "  type WebhookVerification,",
    '} from "@zone/shared/webhook-signature";',
    "export async function receiveWebhook(secret: string) { return verifyWebhook(secret); }",
  ].join("\n");

  it("does not count a re-export (export ... from, or export { x } of an imported x)", () => {
    const imported =
      'import { verifyWebhook } from "@zone/shared/webhook-signature";\nexport { verifyWebhook };';
    expect(
      duplicatesAmong(
        new Map([
          ["shared/src/webhook-signature.ts", SHARED],
          ["gateway/client/src/webhooks.ts", REEXPORT],
          ["gateway/client/src/other.ts", imported],
        ]),
      ),
    ).toEqual({});
  });

  it("counts a second definition of the name: a wrapper, or an alias of the imported function", () => {
    const wrapper = `${REEXPORT.replace("  verifyWebhook,\n", "")}\nexport const verifyWebhook = (s: string) => s;`;
    const alias = 'import { verifyWebhook as v } from "@zone/shared";\nexport const verifyWebhook = v;';
    for (const client of [wrapper, alias])
      expect(
        duplicatesAmong(
          new Map([
            ["shared/src/webhook-signature.ts", SHARED],
            ["gateway/client/src/webhooks.ts", client],
          ]),
        ),
      ).toEqual({ verifyWebhook: ["gateway/client/src/webhooks.ts", "shared/src/webhook-signature.ts"] });
  });
});

describe("production exports", () => {
  it("finds no test or bench helper inside src/ (they live in gpu-function/test/, shared/testing.ts)", () => {
    const { helpers, production } = productionFiles();
    expect(helpers, "files under src/ that only tests or benches import").toEqual([]);
    for (const file of [
      "gateway/src/index.ts",
      "gpu-function/src/service/server.ts",
      "shared/src/errors.ts",
      "gateway/client/src/webhooks.ts",
    ])
      expect(production.has(file), file).toBe(true);
    // The client's verifyWebhook is shared's, re-exported: webhooks.ts defines receiveWebhook only.
    expect(definedExports(read("gateway/client/src/webhooks.ts")).sort()).toEqual([
      "ReceivedWebhook",
      "WebhookPayload",
      "receiveWebhook",
    ]);
  });

  it("defines every name in one file only", () => {
    const duplicates = Object.entries(duplicateExports()).map(
      ([name, files]) => `${name}: ${files.join(", ")}`,
    );
    expect(duplicates, "export names defined in more than one file").toEqual([]);
  });
});
