// The README's "Repository layout" table names every folder that holds tracked source: a new
// folder needs its row, a moved one its row changed.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./shared-data.ts";

function layoutSection(): string {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Repository layout");
  expect(start, "README has a Repository layout section").toBeGreaterThan(-1);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

function sourceFolders(): string[] {
  const files = execFileSync("git", ["ls-files"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\n");
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split("/");
    if (parts.length < 2 || parts[0].startsWith(".")) continue;
    folders.add(parts.slice(0, -1).join("/"));
  }
  return [...folders].sort();
}

describe("README layout", () => {
  it("names every folder of the repository", () => {
    const section = layoutSection();
    const named = new Set([...section.matchAll(/`([\w./-]+?)\/?`/g)].map((m) => m[1].replace(/\/$/, "")));
    // A folder counts as named when it, or its parent with the folder's name in the row, appears.
    const missing = sourceFolders().filter((folder) => {
      if (named.has(folder)) return false;
      const parent = folder.split("/").slice(0, -1).join("/");
      const leaf = folder.split("/").at(-1) as string;
      return !(named.has(parent) && section.includes(`\`${leaf}/\``));
    });
    expect(missing, "folders missing from the README's Repository layout").toEqual([]);
  });
});
