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

function duplicateExports(): Record<string, string[]> {
  const { production } = productionFiles();
  const definers = new Map<string, string[]>();
  for (const file of [...production].sort()) {
    if (!PRODUCTION_ROOTS.some((r) => file.startsWith(`${r}/`)) || !file.endsWith(".ts")) continue;
    if (file.endsWith("/index.ts")) continue;
    for (const name of definedExports(read(file))) definers.set(name, [...(definers.get(name) ?? []), file]);
  }
  return Object.fromEntries([...definers].filter(([, files]) => files.length > 1).sort());
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

describe("production exports", () => {
  it("finds no test or bench helper inside src/ (they live in gpu-function/test/, shared/testing.ts)", () => {
    const { helpers, production } = productionFiles();
    expect(helpers, "files under src/ that only tests or benches import").toEqual([]);
    for (const file of ["gateway/src/index.ts", "gpu-function/src/service/server.ts", "shared/src/errors.ts"])
      expect(production.has(file), file).toBe(true);
  });

  it("defines every name in one file only", () => {
    const duplicates = Object.entries(duplicateExports()).map(
      ([name, files]) => `${name}: ${files.join(", ")}`,
    );
    expect(duplicates, "export names defined in more than one file").toEqual([]);
  });
});
