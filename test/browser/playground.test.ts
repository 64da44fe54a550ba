// The playground and the docs page in headless Chromium against the real local stack (`npm start`'s
// components on the fixture models): no console errors, no request to another origin, an edit
// shown with its overlays, a refused file's problem shown, the docs rendering every operation, the
// page usable by keyboard and at phone width. Then the parts after issue 18's first cut: live
// progress from the async job's events (steps in order, a dropped stream resumed with
// Last-Event-ID, Cancel, a cache hit answered at once), multi-turn (history, undo, continuing from
// a turn) and compose mode on a simulated other editor's output. Screenshots go to out/browser/.

import { readFile } from "node:fs/promises";
import { PUBLIC_LIMITS, ZONE_DEFAULTS } from "@zone/shared";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../../gateway/src/openapi/document.ts";
import { createKey } from "../../scripts/dev-stack.ts";
import { type Stack, startStack } from "../e2e/stack.ts";
import { chromiumPath, launch, type PageWatch, screenshot, watch } from "./chromium.ts";

const executable = chromiumPath();

/** The fields of a POST /v1/edits or /v1/compose answer (a job or an edit) these tests read. */
interface PostedAnswer {
  id: string;
  status: string;
  changedPixels: number;
  changedBox: { x0: number; y0: number; x1: number; y1: number } | null;
}
/** Each fixture denoising step lasts this long, so the page's progress is seen step by step. */
const STEP_PACE_MS = 150;

describe.skipIf(executable === null)("in a browser (headless Chromium, the local stack on fixtures)", () => {
  let stack: Stack;
  let key: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ quiet: true, stepPaceMs: STEP_PACE_MS }),
      launch(executable!),
    ]);
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
    // Both panels: this gateway documents the chain routes and compose.
    expect(await page.getAttribute("body", "data-panels")).toBe("turns compose");
    expect(await page.isVisible("#mode-switch")).toBe(true);
    expect(await page.isVisible("#compose-form")).toBe(false);
    const csp = (await fetch(`${stack.gatewayUrl}/playground/`)).headers.get("content-security-policy");
    expect(csp).toContain("default-src 'self'");
    // The form's defaults and bounds are the document's.
    expect(await page.getAttribute("#seed", "placeholder")).toBe(String(ZONE_DEFAULTS.edit.seed));
    expect(await page.getAttribute("#steps", "placeholder")).toBe(String(ZONE_DEFAULTS.edit.steps));
    expect(await page.getAttribute("#steps", "max")).toBe(String(PUBLIC_LIMITS.steps));
    const overflow = () => page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, "playground-phone");
    // Compose mode fits a phone too.
    await page.check("#mode-compose");
    expect(await page.isVisible("#compose-form")).toBe(true);
    expect(await page.isVisible("#edit-form")).toBe(false);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, "playground-compose-phone");
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
      expect.arrayContaining(["api-key", "photo", "instruction", "run", "run-demo", "mode-edit"]),
    );
    // Compose mode from the keyboard: the mode's radio with the arrow keys, then its controls.
    await page.focus("#mode-edit");
    await page.keyboard.press("ArrowDown");
    expect(await page.isChecked("#mode-compose")).toBe(true);
    const composeReached = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      composeReached.add(await page.evaluate<string>("document.activeElement?.id || ''"));
    }
    expect([...composeReached]).toEqual(
      expect.arrayContaining([
        "compose-image",
        "compose-edited",
        "compose-rough",
        "compose-sam",
        "run-compose",
        "compose-demo",
      ]),
    );
    await page.focus("#mode-compose");
    await page.keyboard.press("ArrowUp");
    expect(await page.isChecked("#mode-edit")).toBe(true);
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
    // The edit ran as a job: its timings are the GPU function's stages from the resource.
    expect(await page.textContent("#timings-caption")).toContain("the edit ran as a job");
    expect(await page.locator("#timings tbody td:first-child").allTextContents()).toContain("denoise");
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

  /** Saves the key in the page, and sets the edit options the test names (seed, steps). */
  async function ready(page: Page, options: { seed?: number; steps?: number } = {}) {
    await page.fill("#api-key", key);
    await page.click("#key-form button[type=submit]");
    if (options.seed !== undefined || options.steps !== undefined) {
      await page.click("details summary");
      if (options.seed !== undefined) await page.fill("#seed", String(options.seed));
      if (options.steps !== undefined) await page.fill("#steps", String(options.steps));
    }
  }

  /**
   * Records every line the progress text shows and every value of its <progress>, as they are set
   * (a MutationObserver's records, so lines set in one task are all kept).
   */
  async function recordProgress(page: Page) {
    await page.evaluate(`(() => {
      window.__progress = { lines: [], bar: [] };
      new MutationObserver((records) => {
        for (const record of records)
          for (const node of record.addedNodes) window.__progress.lines.push(node.textContent);
      }).observe(document.getElementById("progress-text"), { childList: true });
      const bar = document.getElementById("progress-bar");
      new MutationObserver(() => {
        window.__progress.bar.push(bar.hasAttribute("value") ? bar.value + "/" + bar.max : "indeterminate");
      }).observe(bar, { attributes: true, attributeFilter: ["value", "max"] });
    })()`);
    return async () => page.evaluate<{ lines: string[]; bar: string[] }>("window.__progress");
  }

  const stepsOf = (lines: string[]) =>
    lines.flatMap((line) => {
      const match = /^Denoising: step (\d+) of (\d+)$/.exec(line);
      return match ? [`${match[1]}/${match[2]}`] : [];
    });
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}/${n}`);

  /** The answer of the page's next POST (to /v1/edits or /v1/compose): its status and JSON. */
  function nextPost(page: Page, path: "/v1/edits" | "/v1/compose") {
    return page
      .waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === path, {
        timeout: 60_000,
      })
      .then(async (r) => ({
        status: r.status(),
        body: (await r.json()) as PostedAnswer,
        request: r.request(),
      }));
  }

  /** Waits until the result section shows the edit `id`. */
  async function shown(page: Page, id: string) {
    await page.waitForSelector(`#result[data-shown="${id}"]`, { timeout: 120_000 });
  }

  const auth = () => ({ authorization: `Bearer ${key}` });
  const bytesOf = async (path: string) =>
    Buffer.from(await (await fetch(`${stack.gatewayUrl}${path}`, { headers: auth() })).arrayBuffer());

  it("shows the job's live progress: its steps in order up to n, then the result; a cache hit comes back at once", async () => {
    const { page, seen } = await playground();
    await ready(page, { seed: 101, steps: 8 });
    const progress = await recordProgress(page);
    const posted = nextPost(page, "/v1/edits");
    await page.click("#run-demo");
    const first = await posted;
    expect(first.request.headers().prefer).toBe("respond-async");
    expect(first.status).toBe(202);
    expect(["queued", "running"]).toContain(first.body.status);
    // Mid-denoise: the bar, its text and the Cancel button are on screen.
    await page.locator("#progress-text", { hasText: /step [3-7] of 8/ }).waitFor({ timeout: 60_000 });
    expect(await page.isVisible("#cancel")).toBe(true);
    await screenshot(page, "playground-progress");
    await shown(page, first.body.id);
    const { lines, bar } = await progress();
    expect(stepsOf(lines)).toEqual(upTo(8));
    expect(bar.filter((b) => b !== "indeterminate").at(-1)).toBe("8/8");
    // The stages around the denoising loop, in the pipeline's order, and the end.
    expect(lines.indexOf("Classified the instruction")).toBeLessThan(lines.indexOf("Denoising: step 1 of 8"));
    expect(lines.indexOf("Composited the layer")).toBeGreaterThan(lines.indexOf("Denoising: step 8 of 8"));
    expect(lines.at(-1)).toBe("Done: loading the edit");
    expect(await page.isVisible("#progress")).toBe(false);
    expect(await page.textContent("#facts")).toContain("MISS");
    expect(await page.isVisible("#problem")).toBe(false);

    // The same edit again: a cache hit, answered done (201) and shown without a job.
    const again = nextPost(page, "/v1/edits");
    await page.click("#run-demo");
    const second = await again;
    expect(second.status).toBe(201);
    await shown(page, second.body.id);
    expect(await page.textContent("#facts")).toContain("HIT");
    expect(stepsOf((await progress()).lines)).toEqual(upTo(8));
    expect(seen).toEqual({ consoleErrors: [], externalRequests: [] });
    await context.close();
  }, 150_000);

  it("parses Server-Sent Events split anywhere (sse.js in the page): same events, Last-Event-ID only of complete ones", async () => {
    const { page } = await playground();
    const parsed = await page.evaluate<{
      splits: string[];
      cut: string | null;
      events: unknown[];
    }>(`(async () => {
      const { SseParser } = await import("/playground/sse.js");
      const text = 'id: 1\\nevent: edit.queued\\ndata: {"a":1}\\n\\n: keep-alive\\n\\nid: 2\\r\\nevent: edit.progress\\r\\ndata: x\\r\\ndata:y\\r\\n\\r\\nid:3\\revent:edit.running\\rdata: z\\r\\r';
      const run = (chunks) => {
        const parser = new SseParser();
        const events = [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.finish()];
        return JSON.stringify({ events, last: parser.lastEventId });
      };
      const whole = run([text]);
      const splits = [];
      for (let i = 1; i < text.length; i++) splits.push(run([text.slice(0, i), text.slice(i)]));
      splits.push(run([...text]));
      // Cut in the middle of event 3: the resumption must ask for it again (after 2).
      const cutParser = new SseParser();
      cutParser.push(text.slice(0, text.indexOf("data: z")));
      return { splits: [...new Set([whole, ...splits])], cut: cutParser.lastEventId, events: JSON.parse(whole).events };
    })()`);
    expect(parsed.splits).toHaveLength(1);
    expect(parsed.events).toEqual([
      { id: "1", event: "edit.queued", data: '{"a":1}' },
      { id: "2", event: "edit.progress", data: "x\ny" },
      { id: "3", event: "edit.running", data: "z" },
    ]);
    expect(parsed.cut).toBe("2");
    await context.close();
  }, 60_000);

  it("resumes a dropped event stream with Last-Event-ID: every step once, in order", async () => {
    const { page, seen } = await playground();
    await ready(page, { seed: 102, steps: 6 });
    const progress = await recordProgress(page);
    const resumedFrom: Array<string | undefined> = [];
    let cutAfter = "";
    // The first stream is cut after its third denoising step (as a dropped connection would end
    // it); the page must ask again from the event after it.
    await page.route("**/v1/edits/*/events", async (route) => {
      resumedFrom.push(route.request().headers()["last-event-id"]);
      if (resumedFrom.length > 1) return route.continue();
      const full = await (await route.fetch()).text();
      const blocks = full.split("\n\n");
      const third = blocks.findIndex((b) => b.includes('"step":3'));
      cutAfter = /^id: ?(\d+)$/m.exec(blocks[third])![1];
      await route.fulfill({
        status: 200,
        headers: { "content-type": "text/event-stream" },
        body: `${blocks.slice(0, third + 1).join("\n\n")}\n\n`,
      });
    });
    const posted = nextPost(page, "/v1/edits");
    await page.click("#run-demo");
    await shown(page, (await posted).body.id);
    expect(resumedFrom).toEqual([undefined, cutAfter]);
    expect(stepsOf((await progress()).lines)).toEqual(upTo(6));
    expect(seen.consoleErrors).toEqual([]);
    await context.close();
  }, 150_000);

  it("cancels a running job from the keyboard: it stops mid-denoise and the page says canceled", async () => {
    const { page, seen } = await playground();
    await ready(page, { seed: 103, steps: 50 });
    const posted = nextPost(page, "/v1/edits");
    await page.click("#run-demo");
    const job = (await posted).body;
    // Mid-denoise: a few steps in.
    await page.locator("#progress-text", { hasText: /step ([3-9]|\d\d) of 50/ }).waitFor({ timeout: 60_000 });
    await page.focus("#cancel");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#problem:not([hidden])", { timeout: 30_000 });
    const problem = (await page.textContent("#problem")) ?? "";
    expect(problem).toMatch(
      /^Canceled: the edit was canceled at step (\d+) of 50 \(you pressed Cancel\); nothing was billed \(canceled\)$/,
    );
    const at = Number(/step (\d+)/.exec(problem)![1]);
    expect(at).toBeGreaterThanOrEqual(3);
    expect(at).toBeLessThan(50);
    expect(await page.isVisible("#progress")).toBe(false);
    expect(await page.isVisible("#result")).toBe(false);
    const state = (await (
      await fetch(`${stack.gatewayUrl}/v1/edits/${job.id}`, { headers: auth() })
    ).json()) as { status: string; canceledBy: string };
    expect(state).toMatchObject({ status: "canceled", canceledBy: "requested" });
    await screenshot(page, "playground-canceled");
    // The page is ready for the next edit.
    expect(await page.isEnabled("#run")).toBe(true);
    expect(seen).toEqual({ consoleErrors: [], externalRequests: [] });
    await context.close();
  }, 150_000);

  it("multi-turn: two turns listed, undo gives turn 1's result bytes, continuing from turn 1 makes a chain of 2 from it", async () => {
    const { page, seen } = await playground();
    await ready(page, { seed: 104, steps: 4 });
    /** Every POST /v1/edits answer: whether it asked for a job, its status and X-Cache. */
    const posts: Array<{ prefer: string | undefined; status: number; cache: string | undefined }> = [];
    page.on("response", (r) => {
      if (r.request().method() === "POST" && new URL(r.url()).pathname === "/v1/edits")
        posts.push({
          prefer: r.request().headers().prefer,
          status: r.status(),
          cache: r.headers()["x-cache"],
        });
    });
    /** Runs an edit as a job; answers its id (a succeeded job's id is a chain's turn) and the
     * id its chain is listed by, which must be the same: one request, no second upload. */
    const editOf = async (start: () => Promise<void>) => {
      posts.length = 0;
      const posted = nextPost(page, "/v1/edits");
      await start();
      const { body, request } = await posted;
      await shown(page, body.id);
      await page.waitForSelector(`#turn-list[data-shown="${body.id}"]`, { timeout: 30_000 });
      const id = (await page.getAttribute("#turn-list", "data-for"))!;
      expect(posts).toEqual([{ prefer: "respond-async", status: 202, cache: undefined }]);
      expect(id).toBe(body.id);
      return { job: body.id, id, request };
    };
    const turn = (id: string) => `#turn-list li[data-id="${id}"]`;
    const first = await editOf(() => page.click("#run-demo"));
    expect(first.job).toMatch(/^ej_/);
    expect(await page.locator("#turn-list li").count()).toBe(2); // the original and turn 1

    const continueWith = async (from: string, instruction: string) =>
      editOf(async () => {
        await page.click(`${turn(from)} button.continue`);
        expect(await page.isVisible("#parent-note")).toBe(true);
        expect(await page.isVisible("#photo-fields")).toBe(false);
        await page.fill("#instruction", instruction);
        await page.press("#instruction", "Enter");
      });
    const second = await continueWith(first.id, "make the sun green");
    // The turn was asked with `parent`, not a photo.
    const sent = second.request.postData() ?? "";
    expect(sent).toContain(`name="parent"\r\n\r\n${first.id}\r\n`);
    expect(sent).not.toContain('name="image"');
    const listed = await page.locator("#turn-list li strong").allTextContents();
    expect(listed).toEqual(["Turn 1: make the ball blue", "Turn 2: make the sun green"]);

    // Undo turn 2: the render is turn 1's result, byte for byte.
    const rendered = page.waitForResponse((r) => r.url().endsWith(`/v1/edits/${second.id}/render`));
    await page.click(`${turn(first.id)} button.undo`);
    const render = await rendered;
    expect(render.request().postDataJSON()).toEqual({ without: [second.id] });
    expect(render.headers()["x-render-turns"]).toBe("1");
    await page.waitForSelector("#render:not([hidden])");
    // The image the page holds (its download link), compared here with turn 1's stored result.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#render-download a")]);
    const renderedBytes = await readFile((await download.path())!);
    const turn1Bytes = await bytesOf(`/v1/edits/${first.id}/result`);
    expect(renderedBytes.equals(turn1Bytes)).toBe(true);
    expect(renderedBytes.equals(await bytesOf(`/v1/edits/${second.id}/result`))).toBe(false);
    expect(await page.textContent("#render-caption")).toContain("Byte for byte the result of turn 1.");
    expect(await page.getAttribute("#render-image", "data-same-as-turn")).toBe("1");
    await screenshot(page, "playground-turns");

    // Continue from turn 1 again: a chain of 2 from it, beside the first one.
    const third = await continueWith(first.id, "make the grass yellow");
    const stack_ = (await (
      await fetch(`${stack.gatewayUrl}/v1/edits/${third.id}/stack`, { headers: auth() })
    ).json()) as { turns: Array<{ id: string; instruction: string }> };
    expect(stack_.turns.map((t) => [t.id, t.instruction])).toEqual([
      [first.id, "make the ball blue"],
      [third.id, "make the grass yellow"],
    ]);
    expect(await page.locator("#turn-list li strong").allTextContents()).toEqual([
      "Turn 1: make the ball blue",
      "Turn 2: make the grass yellow",
    ]);
    // A turn made, the next edit is of the photo again until a turn is picked.
    expect(await page.isVisible("#parent-note")).toBe(false);
    expect(await page.isVisible("#photo-fields")).toBe(true);
    // "Edit a photo instead" leaves a picked turn.
    await page.click(`${turn(third.id)} button.continue`);
    expect(await page.textContent("#parent-text")).toContain(
      `continues from turn 2 ("make the grass yellow", ${third.id})`,
    );
    await page.click("#clear-parent");
    expect(await page.isVisible("#parent-note")).toBe(false);
    expect(await page.isVisible("#photo-fields")).toBe(true);
    expect(seen).toEqual({ consoleErrors: [], externalRequests: [] });
    await context.close();
  }, 240_000);

  it("compose mode on a simulated other editor's output: every pixel outside the changed box is the original's", async () => {
    const { page, seen } = await playground();
    await ready(page);
    await page.check("#mode-compose");
    const posted = nextPost(page, "/v1/compose");
    await page.click("#compose-demo");
    const { status, body } = await posted;
    expect(status).toBe(201);
    await shown(page, body.id);
    // The simulated editor's output, as the page holds it (its download link).
    const raw = async (bytes: Buffer) => {
      const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height };
    };
    const original = await raw(await bytesOf("/build/demo-scene.png"));
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#compose-edited-download a"),
    ]);
    const edited = await raw(await readFile((await download.path())!));
    expect([edited.width, edited.height]).toEqual([original.width, original.height]);
    const result = await raw(await bytesOf(`/v1/edits/${body.id}/result`));
    expect([result.width, result.height]).toEqual([original.width, original.height]);
    const box = body.changedBox!;
    expect(box).not.toBeNull();
    const pixels = original.width * original.height;
    let editedChanged = 0;
    let outsideDiffer = 0;
    let insideDiffer = 0;
    for (let i = 0; i < pixels; i++) {
      const x = i % original.width;
      const y = Math.floor(i / original.width);
      const differs = (image: { data: Buffer }) =>
        [0, 1, 2].some((c) => image.data[i * 3 + c] !== original.data[i * 3 + c]);
      if (differs(edited)) editedChanged++;
      const inside = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
      if (differs(result)) inside ? insideDiffer++ : outsideDiffer++;
    }
    // The other editor touched nearly every pixel; ZONE kept only its region.
    expect(editedChanged).toBeGreaterThan(0.9 * pixels);
    expect(outsideDiffer).toBe(0);
    expect(insideDiffer).toBe(body.changedPixels);
    expect(insideDiffer).toBeGreaterThan(0);
    expect((box.x1 - box.x0) * (box.y1 - box.y0)).toBeLessThan(pixels / 4);
    // Shown like an edit: result, mask overlay, layer, changed box, and what compose did.
    const facts = (await page.textContent("#facts")) ?? "";
    expect(facts).toContain("compose: another editor's output made a local edit");
    expect(facts).toContain(`${editedChanged} of ${pixels}`);
    // SAM off: the fixtures' segments are noise.
    expect(await page.inputValue("#compose-sam")).toBe("off");
    expect(facts).toContain("off (the rough mask is the fine mask)");
    const widths = await page.evaluate<number[]>(
      `["before", "after", "layer"].map((id) => document.getElementById(id).naturalWidth).concat(document.getElementById("mask-overlay").width)`,
    );
    expect(widths).toEqual([640, 640, 640, 640]);
    expect(await page.isVisible("#changed-box")).toBe(true);
    expect(await page.isVisible("#turns")).toBe(false);
    expect(await page.locator("#downloads a").allTextContents()).toEqual([
      "Download result",
      "Download layer",
      "Download mask",
    ]);
    // The slider left of the ball (x 24% to 40%), so the screenshot shows the result's blue ball.
    await page.locator("#slider").fill("15");
    await page.locator("#mask-opacity").fill("25");
    // Answered in one request: its Server-Timing.
    expect(await page.textContent("#timings-caption")).toBe("This request's Server-Timing");
    await screenshot(page, "playground-compose");
    expect(seen).toEqual({ consoleErrors: [], externalRequests: [] });
    await context.close();
  }, 150_000);

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
