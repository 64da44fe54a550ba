// Headless Chromium for the browser tests: Debian's `chromium` package driven by playwright-core
// (no browser download). CHROMIUM_PATH overrides where it is looked for. Without one the tests
// skip with a printed reason, except in CI (CI=true), where .ci/run installs it and a missing
// browser fails the run.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { REPO_ROOT } from "../shared-data.ts";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Where the screenshots go (out/ is ignored by git): the test artifacts. */
export const SCREENSHOT_DIR = join(REPO_ROOT, "out", "browser");

export function chromiumPath(): string | null {
  const found = CANDIDATES.find((path): path is string => path !== undefined && existsSync(path)) ?? null;
  if (found === null) {
    const reason = "no chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)";
    if (process.env.CI === "true") throw new Error(`browser tests must run in CI: ${reason}`);
    console.warn(`SKIPPED: browser tests: ${reason}`);
  }
  return found;
}

export async function launch(executablePath: string): Promise<Browser> {
  // As root (CI) Chromium's sandbox cannot start.
  return chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
}

/** What a page did that the tests forbid: console errors, uncaught errors, requests elsewhere. */
export interface PageWatch {
  consoleErrors: string[];
  externalRequests: string[];
}

export function watch(page: Page, origin: string): PageWatch {
  const seen: PageWatch = { consoleErrors: [], externalRequests: [] };
  page.on("console", (message) => {
    if (message.type() === "error") seen.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => seen.consoleErrors.push(`uncaught: ${error.message}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "blob:" && url.protocol !== "data:" && url.origin !== origin)
      seen.externalRequests.push(request.url());
  });
  return seen;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
