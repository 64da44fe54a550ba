// The playground and the docs page in headless Chromium against the real local stack (`npm start`'s
// components on the fixture models): no console errors, no request to another origin, an edit
// shown with its overlays, a refused file's problem shown, the docs rendering every operation, the
// page usable by keyboard and at phone width. Screenshots go to out/browser/ (test artifacts).

import { PUBLIC_LIMITS, ZONE_DEFAULTS } from "@zone/shared";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../../gateway/src/openapi/document.ts";
import { createKey } from "../../scripts/dev-stack.ts";
import { type Stack, startStack } from "../e2e/stack.ts";
import { chromiumPath, launch, type PageWatch, screenshot, watch } from "./chromium.ts";

const executable = chromiumPath();

describe.skipIf(executable === null)("in a browser (headless Chromium, the local stack on fixtures)", () => {
  let stack: Stack;
  let key: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ quiet: true }), launch(executable!)]);
    key = (await createKey(stack.adminToken, "browser", stack.gatewayUrl)).key;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  async function open(
    path: string,
    viewport = { width: 1100, height: 900 },
  ): Promise<{ page: Page; seen: PageWatch }> {
    context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const seen = watch(page, stack.gatewayUrl);
    await page.goto(`${stack.gatewayUrl}${path}`);
    return { page, seen };
  }

  async function playground(viewport?: { width: number; height: number }) {
    const opened = await open("/playground/", viewport);
    await opened.page.waitForSelector("body[data-ready=true]", { timeout: 15_000 }).catch((error: Error) => {
      throw new Error(
        `the playground did not start: ${error.message}; console: ${opened.seen.consoleErrors.join(" | ")}`,
      );
    });
    return opened;
  }

  it("loads with no console error and no external request, says it runs on fixtures, fits a phone", async () => {
    const { page, seen } = await playground({ width: 390, height: 844 });
    expect(await page.isVisible("#fixtures-notice")).toBe(true);
    expect(await page.textContent("#fixtures-notice")).toContain("fixture models");
    expect(await page.isVisible("#progress")).toBe(false);
    expect(await page.isVisible("#problem")).toBe(false);
    // No compose or multi-turn panel: this gateway documents neither yet.
    expect(await page.getAttribute("body", "data-panels")).toBe("");
    const csp = (await fetch(`${stack.gatewayUrl}/playground/`)).headers.get("content-security-policy");
    expect(csp).toContain("default-src 'self'");
    // The form's defaults and bounds are the document's.
    expect(await page.getAttribute("#seed", "placeholder")).toBe(String(ZONE_DEFAULTS.edit.seed));
    expect(await page.getAttribute("#steps", "placeholder")).toBe(String(ZONE_DEFAULTS.edit.steps));
    expect(await page.getAttribute("#steps", "max")).toBe(String(PUBLIC_LIMITS.steps));
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "playground-phone");
    expect(seen).toEqual({ consoleErrors: [], externalRequests: [] });
    await context.close();
  }, 60_000);

  it("is usable by keyboard: every control is reached with Tab", async () => {
    const { page } = await playground();
    const reached = new Set<string>();
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press("Tab");
      reached.add(
        await page.evaluate<string>("document.activeElement?.id || document.activeElement?.tagName || ''"),
      );
    }
    expect([...reached]).toEqual(
      expect.arrayContaining(["api-key", "photo", "instruction", "run", "run-demo"]),
    );
    // The key saved from the keyboard alone, kept in this browser's storage.
    await page.focus("#api-key");
    await page.keyboard.type(key);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => localStorage.getItem("zone-edit.apiKey"))).toBe(key);
    await context.close();
  }, 60_000);

  it("edits the demo scene in one click through the real stack: result, mask overlay, layer, box, timings, downloads", async () => {
    const { page, seen } = await playground();
    await page.fill("#api-key", key);
    await page.click("#key-form button[type=submit]");
    await page.click("#run-demo");
    await page.waitForSelector("#result:not([hidden])", { timeout: 120_000 });
    await page.locator("#mask-opacity").fill("60");
    await page.locator("#attention-opacity").fill("50");
    await page.locator("#slider").fill("35");
    // Page-side code as a string: this test compiles without the DOM's types.
    const shown = await page.evaluate<Record<string, unknown>>(`(() => {
      const image = (id) => document.getElementById(id);
      const mask = document.getElementById("mask-overlay");
      return {
        before: image("before").naturalWidth,
        after: image("after").naturalWidth,
        layer: image("layer").naturalWidth,
        maskWidth: mask.width,
        maskOpacity: mask.style.opacity,
        attentionWidth: image("attention-overlay").naturalWidth,
        attentionOpacity: image("attention-overlay").style.opacity,
        clip: image("after").style.clipPath,
        facts: document.getElementById("facts").textContent,
        timings: document.querySelectorAll("#timings tbody tr").length,
        downloads: [...document.querySelectorAll("#downloads a")].map((a) => a.textContent),
        attention: document.getElementById("attention-note").textContent,
        instruction: document.getElementById("instruction").value,
        box: document.getElementById("changed-box").hidden ? null : document.getElementById("changed-box").style.width,
      };
    })()`);
    expect(shown).toMatchObject({ before: 640, after: 640, layer: 640, maskWidth: 640, maskOpacity: "0.6" });
    expect(shown.clip).toBe("inset(0px 0px 0px 35%)");
    expect(shown.instruction).toBe("make the ball blue");
    expect(await page.isVisible("#progress")).toBe(false);
    expect(shown.facts).toContain("MISS");
    expect(shown.timings).toBeGreaterThan(1);
    expect(shown.box === null || /%$/.test(String(shown.box))).toBe(true);
    expect(shown.downloads).toEqual([
      "Download result",
      "Download layer",
      "Download mask",
      "Download attention",
      "Download canvas",
    ]);
    expect(shown).toMatchObject({ attentionOpacity: "0.5" });
    expect(shown.attentionWidth).toBeGreaterThan(0);
    expect(shown.attention).toContain("attention heatmap");
    await screenshot(page, "playground-edit");
    expect(seen).toEqual({ consoleErrors: [], externalRequests: [] });
    await context.close();
  }, 150_000);

  it("shows the problem's message when the file is not an image", async () => {
    const { page } = await playground();
    await page.fill("#api-key", key);
    await page.click("#key-form button[type=submit]");
    await page.setInputFiles("#photo", {
      name: "notes.png",
      mimeType: "image/png",
      buffer: Buffer.from("these are notes, not a picture"),
    });
    await page.fill("#instruction", "make the cat black");
    await page.press("#instruction", "Enter");
    await page.waitForSelector("#problem:not([hidden])", { timeout: 30_000 });
    expect(await page.textContent("#problem")).toBe(
      "Unsupported media type: the image is not PNG, JPEG or WebP (unsupported_media_type, HTTP 415)",
    );
    await screenshot(page, "playground-bad-file");
    await context.close();
  }, 60_000);

  it("renders the docs offline: every operation of the document, from this origin only", async () => {
    const { page, seen } = await open("/docs/");
    await page.waitForSelector(".opblock", { timeout: 30_000 });
    const document = openApiDocument();
    const summaries = Object.values(document.paths as Record<string, Record<string, { summary?: string }>>)
      .flatMap((item) => Object.values(item))
      .map((operation) => operation.summary)
      .filter((summary): summary is string => typeof summary === "string");
    expect(await page.locator(".opblock").count()).toBe(summaries.length);
    const text = (await page.textContent("#ui")) ?? "";
    for (const summary of summaries) expect(text).toContain(summary);
    await screenshot(page, "docs");
    expect(seen).toEqual({ consoleErrors: [], externalRequests: [] });
    await context.close();
  }, 60_000);
});
