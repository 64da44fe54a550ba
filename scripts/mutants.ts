// The mutation probe's mutants (scripts/mutation-probe.ts): realistic single-line bugs in the
// method's defaults, its boundaries and the wiring between stages and services. Each replaces one
// exact, unique piece of one file; a mutant whose `from` no longer occurs once is reported as
// stale (update it with the code). Keep `why` short: it is what a reviewer reads when one survives.

export interface Mutant {
  id: string;
  file: string;
  from: string;
  to: string;
  why: string;
  /** The tests to run when none imports the file (the playground's modules are served to a
   * browser, not imported): run instead of `vitest related`. */
  tests?: string[];
}

const PLAYGROUND = "gateway/public/playground";
const BROWSER_TESTS = ["test/browser/playground.test.ts"];

const Z = "shared/src/zone-defaults.ts";

export const MUTANTS: ReadonlyArray<Mutant> = [
  // Defaults (their one owner).
  { id: "default-seed", file: Z, from: "seed: 42,", to: "seed: 43,", why: "release seed" },
  { id: "default-steps", file: Z, from: "steps: 20,", to: "steps: 25,", why: "release steps" },
  { id: "default-text-guidance", file: Z, from: "textGuidance: 7.5,", to: "textGuidance: 7,", why: "s_T" },
  {
    id: "default-image-guidance",
    file: Z,
    from: "imageGuidance: 1.5,",
    to: "imageGuidance: 1.2,",
    why: "s_I",
  },
  { id: "default-beta-remove", file: Z, from: "remove: 0.2 }", to: "remove: 0.02 }", why: "beta for remove" },
  { id: "default-beta-add", file: Z, from: "add: 0.01,", to: "add: 0.2,", why: "beta for add" },
  { id: "default-rough-cut", file: Z, from: "threshold: 108,", to: "threshold: 128,", why: "2D <= 108" },
  {
    id: "default-min-region",
    file: Z,
    from: "minRegion: 64 },",
    to: "minRegion: 32 },",
    why: "M_b components",
  },
  {
    id: "default-dilation",
    file: Z,
    from: "dilateIterations: 4,",
    to: "dilateIterations: 3,",
    why: "3x3 x4",
  },
  { id: "default-d0", file: Z, from: "radiusAt512: 200,", to: "radiusAt512: 160,", why: "D0" },
  {
    id: "default-edge-threshold",
    file: Z,
    from: "threshold: 30,",
    to: "threshold: 25,",
    why: "edge threshold",
  },
  { id: "default-close-size", file: Z, from: "closeSize: 21,", to: "closeSize: 15,", why: "closing kernel" },
  { id: "default-ring-alpha", file: Z, from: "ringAlpha: 153,", to: "ringAlpha: 128,", why: "0.6 ring" },
  { id: "default-channels", file: Z, from: 'channels: "rgb" as', to: 'channels: "luma" as', why: "rgb max" },
  { id: "default-nms", file: Z, from: "boxNmsThresh: 0.7,", to: "boxNmsThresh: 0.75,", why: "box NMS" },
  {
    id: "default-pred-iou",
    file: Z,
    from: "predIouThresh: 0.88,",
    to: "predIouThresh: 0.86,",
    why: "pred IoU",
  },
  { id: "default-working", file: Z, from: "multiple: 32,", to: "multiple: 8,", why: "1/32 grid" },
  {
    id: "default-enlarge",
    file: Z,
    from: "enlarge: false,",
    to: "enlarge: true,",
    why: "pad, never enlarge",
  },
  {
    id: "default-last-step",
    file: Z,
    from: 'finalSigmasType: "sigma_min" as',
    to: 'finalSigmasType: "zero" as',
    why: "diffusers 0.18 last step",
  },
  {
    id: "release-grey",
    file: "shared/src/release-fidelity.ts",
    from: 'channels: "release",',
    to: 'channels: "luma",',
    why: "release-exact uses the release's grey",
  },
  {
    id: "fixture-classifier-guard",
    file: "gpu-function/src/classify/action-model.ts",
    from: "(bundle.fixtures && !untrained)",
    to: "(false && !untrained)",
    why: "untrained MLP must not overrule the lexicon",
  },

  // Boundaries.
  {
    id: "edge-threshold-inclusive",
    file: "gpu-function/src/compose/edge-smoother.ts",
    from: "difference[i] > threshold ? 255 : 0",
    to: "difference[i] >= threshold ? 255 : 0",
    why: "edge threshold exactly 30 is off",
  },
  {
    id: "rough-cut-exclusive",
    file: "gpu-function/src/localize/rough-mask.ts",
    from: "2 * difference[p]) <= threshold",
    to: "2 * difference[p]) < threshold",
    why: "2D = 108 is on",
  },
  {
    id: "rough-no-doubling",
    file: "gpu-function/src/localize/rough-mask.ts",
    from: "Math.min(255, 2 * difference[p])",
    to: "Math.min(255, difference[p])",
    why: "2D, not D",
  },
  {
    id: "nms-inclusive",
    file: "gpu-function/src/segment/box-nms.ts",
    from: "boxIou(boxes[i], boxes[j]) > iouThreshold",
    to: "boxIou(boxes[i], boxes[j]) >= iouThreshold",
    why: "IoU exactly 0.7 is kept",
  },
  {
    id: "region-iou-last-of-equal",
    file: "gpu-function/src/compose/region-iou.ts",
    from: "if (iou > bestIou) {",
    to: "if (iou >= bestIou) {",
    why: "first of equal maxima",
  },
  {
    id: "fill-holes-removed",
    file: "gpu-function/src/compose/edge-smoother.ts",
    from: "return fillHoles(closeSquare(thresholded, o.closeSize));",
    to: "return closeSquare(thresholded, o.closeSize);",
    why: "holes filled",
  },
  {
    id: "closing-removed",
    file: "gpu-function/src/compose/edge-smoother.ts",
    from: "return fillHoles(closeSquare(thresholded, o.closeSize));",
    to: "return fillHoles(thresholded);",
    why: "21x21 closing",
  },
  {
    id: "ring-xor-as-or",
    file: "gpu-function/src/compose/composite.ts",
    from: "inFinal !== inFine ? RING_ALPHA : 0",
    to: "inFinal ? RING_ALPHA : 0",
    why: "ring is M_f* XOR M_f",
  },

  // Wiring of the denoising loop.
  {
    id: "guidance-batch-order",
    file: "gpu-function/src/denoise/fused-denoise.ts",
    from: "if (b < 2) into.set(imageLatents, b * 2 * n + n);",
    to: "if (b > 0) into.set(imageLatents, b * 2 * n + n);",
    why: "[text+image, null+image, null+zero]",
  },
  {
    id: "guidance-formula-swap",
    file: "gpu-function/src/denoise/fused-denoise.ts",
    from: "uncond + textScale * (text - image) + imageScale * (image - uncond)",
    to: "uncond + imageScale * (text - image) + textScale * (image - uncond)",
    why: "s_T on the text term",
  },
  {
    id: "fusion-unnormalised",
    file: "gpu-function/src/denoise/fused-denoise.ts",
    from: "const scale = 1 / (1 + beta);",
    to: "const scale = 1;",
    why: "(z* + beta z') / (1 + beta)",
  },
  {
    id: "attention-text-branch",
    file: "gpu-function/src/denoise/fused-denoise.ts",
    from: 'options.attentionBranches === "null-text" ? [1, 2] : [0]',
    to: 'options.attentionBranches === "null-text" ? [0, 1] : [0]',
    why: "null-text branches are items 1 and 2",
  },
  {
    id: "dpm-second-order-coefficient",
    file: "gpu-function/src/denoise/schedulers/dpm-solver-multistep.ts",
    from: "0.5 *",
    to: "0.25 *",
    why: "midpoint D1 weight",
  },
  {
    id: "dpm-first-order-only",
    file: "gpu-function/src/denoise/schedulers/dpm-solver-multistep.ts",
    from: "this.lowerOrderNums < 1 || lowerOrderFinal",
    to: "this.lowerOrderNums < 2 || lowerOrderFinal",
    why: "second order from step 2",
  },

  // Gateway rules.
  {
    id: "webp-vp8-scale-bits",
    file: "gateway/src/validation/image-header.ts",
    from: "width: u16le(b, 26) & 0x3fff",
    to: "width: u16le(b, 26)",
    why: "VP8 width is 14 bits",
  },
  {
    id: "webp-vp8l-plus-one",
    file: "gateway/src/validation/image-header.ts",
    from: "width: (bits & 0x3fff) + 1",
    to: "width: bits & 0x3fff",
    why: "VP8L stores width - 1",
  },
  {
    id: "jpeg-width-height-swapped",
    file: "gateway/src/validation/image-header.ts",
    from: "height: u16be(b, i + 5),\n          width: u16be(b, i + 7)",
    to: "height: u16be(b, i + 7),\n          width: u16be(b, i + 5)",
    why: "SOF is height then width",
  },
  {
    id: "rate-limit-ignored",
    file: "gateway/src/middleware/rate-limit.ts",
    from: "if (!success)",
    to: "if (success && !success)",
    why: "429 over the limit",
  },
  {
    id: "clean-not-a-fixed-point",
    file: "shared/src/text.ts",
    from: "if (next === current) break;",
    to: "break;",
    why: "clean(clean(x)) === clean(x)",
  },
  {
    id: "controls-kept",
    file: "shared/src/text.ts",
    from: 'const unescaped = unescapeHtml(unescapeHtml(text.normalize("NFC").replace(CONTROL, "")));',
    to: 'const unescaped = unescapeHtml(unescapeHtml(text.normalize("NFC")));',
    why: "C0/C1 controls removed",
  },
  {
    id: "pipeline-version-ignores-defaults",
    file: "shared/src/pipeline-version.ts",
    from: "fnv1a32(canonicalJson(defaults))",
    to: "fnv1a32(String(revision))",
    why: "version derived from the defaults",
  },
  // Wiring of the edit pipeline.
  {
    id: "sam-on-canvas-for-remove",
    file: "gpu-function/src/pipeline/zone-edit.ts",
    from: 'segmented === "original" ? working : canvas',
    to: 'segmented === "original" ? canvas : canvas',
    why: "SAM segments the original for remove",
  },
  {
    id: "fast-skips-magicbrush-for-remove",
    file: "gpu-function/src/pipeline/zone-edit.ts",
    from: 'const useMagicBrush = !(p.mode === "fast" && beta === BETA.change);',
    to: 'const useMagicBrush = p.mode !== "fast";',
    why: "fast keeps MagicBrush for remove",
  },
  {
    id: "latents-not-unscaled",
    file: "gpu-function/src/pipeline/zone-edit.ts",
    from: "denoised.latents.map((v) => v / manifest.latent.scalingFactor)",
    to: "denoised.latents.map((v) => v)",
    why: "decode z / 0.18215",
  },
  {
    id: "same-noise-both-trajectories",
    file: "gpu-function/src/pipeline/zone-edit.ts",
    from: "noise: noiseSource(p.seed + 2),",
    to: "noise: noiseSource(p.seed + 1),",
    why: "MagicBrush's own ancestral noise stream",
  },
  {
    id: "empty-prompt-is-instruction",
    file: "gpu-function/src/pipeline/zone-edit.ts",
    from: 'ids.set(tokenizer.encode(""), 77);',
    to: "ids.set(tokenizer.encode(instruction), 77);",
    why: "null-text branch is the empty prompt",
  },
  {
    id: "compose-channels-ignored",
    file: "gpu-function/src/pipeline/zone-edit.ts",
    from: "    channels: p.channels,\n",
    to: "    channels: undefined,\n",
    why: "--channels reaches the edge smoother",
  },

  // Wiring of the gateway.
  {
    id: "cache-key-without-pipeline",
    file: "gateway/src/cache/cache-key.ts",
    from: "pipeline: input.pipelineVersion,",
    to: "",
    why: "a deploy with other defaults gets other keys",
  },
  {
    id: "gpu-version-check-off",
    file: "gateway/src/gpu/gpu-client.ts",
    from: "if (meta.data.pipelineVersion !== PIPELINE_VERSION)",
    to: "if (meta.data.pipelineVersion === '')",
    why: "results of another pipeline are not stored",
  },
  {
    id: "repeated-fields-accepted",
    file: "gateway/src/edits/edit-request.ts",
    from: "    if (count > 1)",
    to: "    if (count > 2)",
    why: "a field sent twice is a 400",
  },
  {
    id: "caller-image-error-as-502",
    file: "gateway/src/gpu/gpu-client.ts",
    from: "    code in CALLER_IMAGE_ERRORS\n",
    to: '    code === "internal"\n',
    why: "the GPU's 4xx about the image reaches the client",
  },
  // Credits and tenancy (issue "Hardening, tenancy and exact billing").
  {
    id: "coalesced-hold-kept",
    file: "gateway/src/edits/create-edit.ts",
    from: "      await hold.release();\n      hold = null;",
    to: "      hold = null;",
    why: "a coalesced answer is free: its hold goes back",
  },
  {
    id: "failed-edit-not-refunded",
    file: "gateway/src/edits/create-edit.ts",
    from: "    if (!outcome.ok) {\n      await hold.release();",
    to: "    if (!outcome.ok) {",
    why: "a failed edit refunds its hold",
  },
  {
    id: "credits-check-off-by-one",
    file: "gateway/src/billing/account-balance.ts",
    from: "} else if (balance < request.units) {",
    to: "} else if (balance + 1 < request.units) {",
    why: "never spend below zero",
  },
  {
    id: "expired-hold-always-refunded",
    file: "gateway/src/billing/account-balance.ts",
    from: "if (billed === null) await this.release(holdId);",
    to: "if (billed !== undefined) await this.release(holdId);",
    why: "a dead Worker's billed hold is spent, not refunded",
  },
  {
    id: "cache-shared-across-accounts",
    file: "gateway/src/cache/cache-key.ts",
    from: 'const owner = setting === "shared" ? "shared"',
    to: 'const owner = setting !== "?" ? "shared"',
    why: "one account's hit must not reveal another's upload",
  },
  {
    id: "test-keys-charged",
    file: "gateway/src/billing/prices.ts",
    from: 'units: caller.environment === "test" ? 0 : prices[operation]',
    to: "units: prices[operation]",
    why: "test keys never pay",
  },
  {
    id: "links-from-host-header",
    file: "gateway/src/public-origin.ts",
    from: "  if (!configured) return new URL(requestUrl).origin;",
    to: "  return new URL(requestUrl).origin;",
    why: "links use PUBLIC_BASE_URL when set",
  },
  {
    id: "own-pixels-converted",
    file: "gpu-function/src/image/source-image.ts",
    from: "    .keepIccProfile() // no conversion: the file's own values\n",
    to: "\n",
    why: "a tagged file's own values, not sRGB",
  },
  {
    id: "profile-not-spliced",
    file: "gpu-function/src/image/container-metadata.ts",
    from: '  if (meta.icc) chunks.push(pngChunk("iCCP"',
    to: '  if (meta.icc && meta.icc.length < 0) chunks.push(pngChunk("iCCP"',
    why: "the result carries the input's profile",
  },
  {
    id: "cmyk-passed-by-gateway",
    file: "gateway/src/validation/colour-check.ts",
    from: '    colour.model === "cmyk" ||',
    to: '    colour.model === ("none" as string) ||',
    why: "CMYK refused before storing or billing",
  },
  // Async edits (issue 16): who pays for a shared GPU call, what a cancel gives back, webhook ids.
  {
    id: "coalesced-job-billed-none",
    file: "gateway/src/coordinator/edit-coordinator.ts",
    from: "flight.billed = flight.waiters.values().next().value ?? null;",
    to: "flight.billed = null;",
    why: "the first waiter still on a GPU call is billed, once",
  },
  {
    id: "canceled-job-stays-on-flight",
    file: "gateway/src/coordinator/edit-coordinator.ts",
    from: '    this.emit(jobId, stateEvent("canceled"), { id: jobId, status: "canceled", canceledBy: by });\n    this.leave(jobId);',
    to: '    this.emit(jobId, stateEvent("canceled"), { id: jobId, status: "canceled", canceledBy: by });',
    why: "a canceled job leaves the GPU call (and is not the one billed)",
  },
  {
    id: "canceled-hold-kept",
    file: "gateway/src/coordinator/edit-coordinator.ts",
    from: "    this.leave(jobId);\n    await this.releaseHold(job);\n  }\n\n  private async releaseHold",
    to: "    this.leave(jobId);\n  }\n\n  private async releaseHold",
    why: "a canceled job's credits go back",
  },
  {
    id: "webhook-id-per-attempt",
    file: "gateway/src/webhooks/deliver.ts",
    from: "      id,\n      timestamp: Math.floor(started / 1000),",
    to: "      id: id + String(attempt),\n      timestamp: Math.floor(started / 1000),",
    why: "the same webhook-id on every retry",
  },
  {
    id: "prefer-wait-uncapped",
    file: "gateway/src/jobs/prefer.ts",
    from: "wait = Math.min(Number(value), PREFER_WAIT_MAX_SECONDS);",
    to: "wait = Number(value);",
    why: "Prefer: wait=N is capped",
  },
  // Compose (POST /v1/compose): its cache key, its price, which image SAM segments, sam off.
  {
    id: "compose-key-ignores-rough",
    file: "gateway/src/compose/compose-key.ts",
    from: "      rough: input.roughSha256,",
    to: "      rough: null,",
    why: "another rough mask is another compose",
  },
  {
    id: "compose-priced-as-edit",
    file: "gateway/src/compose/create-compose.ts",
    from: 'hold = await holdCredits(env, caller, { operation: "compose" });',
    to: 'hold = await holdCredits(env, caller, { mode: "default" });',
    why: "a compose is billed as compose, cheaper than an edit",
  },
  {
    id: "compose-remove-segments-edited",
    file: "gpu-function/src/compose/compose-edit.ts",
    from: 'const which = o.action === "remove" ? "original" : "canvas";',
    to: 'const which = o.action === "add" ? "original" : "canvas";',
    why: "remove segments the original (method section 4)",
  },
  {
    id: "compose-sam-off-ignored",
    file: "gpu-function/src/service/run-compose.ts",
    from: '        sam === "off"\n          ? undefined',
    to: '        sam === ("never" as string)\n          ? undefined',
    why: "sam off: the rough mask is the fine mask, no model runs",
  },
  // Region hints on edits: the mask in the key, the rough mask restricted, SAM guided, the frame.
  {
    id: "hint-mask-not-in-key",
    file: "gateway/src/cache/cache-key.ts",
    from: "...(input.hintMaskSha256 ? { hintMask: input.hintMaskSha256 } : {}),",
    to: "...{},",
    why: "another hint mask is another edit",
  },
  {
    id: "hint-rough-unrestricted",
    file: "gpu-function/src/pipeline/zone-edit.ts",
    from: "    rough = restricted.mask;\n",
    to: "\n",
    why: "a hint restricts the rough mask",
  },
  {
    id: "hint-sam-not-guided",
    file: "gpu-function/src/pipeline/zone-edit.ts",
    from: '{ mode: hint ? "guided" : p.sam, guideMargin: p.guideMargin },',
    to: "{ mode: p.sam, guideMargin: p.guideMargin },",
    why: "SAM runs guided over the hint",
  },
  {
    id: "hint-point-ignores-padding",
    file: "gpu-function/src/localize/region-hint.ts",
    from: "  return offset + Math.min(scaled - 1,",
    to: "  return Math.min(scaled - 1,",
    why: "original pixels map through the padding too",
  },
  // The exporter's contract and the runtime's reading of it (test/export-contract.test.ts).
  {
    id: "mask-stats-output-renamed",
    file: "gpu-function/src/segment/mask-statistics.ts",
    from: 'export const MASK_STATS_OUTPUT = "mask_stats";',
    to: 'export const MASK_STATS_OUTPUT = "mask_statistics";',
    why: "the exporter's decoder names its statistics mask_stats",
  },
  {
    id: "clip-context-length",
    file: "gpu-function/src/runtime/tokenizer/clip-tokenizer.ts",
    from: "export const CONTEXT_LENGTH = 77;",
    to: "export const CONTEXT_LENGTH = 76;",
    why: "the exported text encoder takes 77 tokens",
  },
  // Multi-turn chains (issue 17): the key covers the chain, the row lands before the answer, the
  // render reproduces each turn's composite and undoes to the last kept turn's file.
  {
    id: "chain-parent-key-dropped",
    file: "gateway/src/edits/create-edit.ts",
    from: "    ...(parent === null ? {} : { parentKey: parent.cacheKey }),\n",
    to: "\n",
    why: "the cache key covers the whole chain",
  },
  {
    id: "chain-row-deferred",
    file: "gateway/src/edits/create-edit.ts",
    from: "  } else if (parent !== null) {",
    to: "  } else if (parent === undefined) {",
    why: "a chained hit's row (its parent) is written before the answer",
  },
  {
    id: "chain-render-reference-not-last-kept",
    file: "gateway/src/edits/render-chain.ts",
    from: "  const last = kept.at(-1) ?? null;",
    to: "  const last = chain.at(-1) ?? null;",
    why: "undo takes the last kept turn's file",
  },
  {
    id: "chain-render-ring-ignored",
    file: "gpu-function/src/compose/render-layers.ts",
    from: "compositeOver(layer, rgb, ring)",
    to: 'compositeOver(layer, rgb, "round")',
    why: "a release-fidelity turn's ring is truncated",
  },
  {
    id: "chain-parent-deletable",
    file: "gateway/src/edits/edit-lookup.ts",
    from: "  if ((await liveChildrenOf(env.DB, caller.accountId, id)) > 0)",
    to: "  if ((await liveChildrenOf(env.DB, caller.accountId, id)) > 1)",
    why: "a chain's turns stay while a later turn does",
  },
  // The public surface: CORS, the document's errors, the client's retries.
  {
    id: "cors-after-auth",
    file: "gateway/src/app.ts",
    from: "app.use(corsFromEnv);",
    to: 'app.use("/nowhere/*", corsFromEnv);',
    why: "a preflight is answered before authentication",
  },
  {
    id: "openapi-edit-404-undocumented",
    file: "gateway/src/openapi/edits-paths.ts",
    from: '            },\n          },\n          ...problemResponses([...AUTHENTICATED, "not_found"]),\n        },\n      },\n      delete: {',
    to: "            },\n          },\n          ...problemResponses([...AUTHENTICATED]),\n        },\n      },\n      delete: {",
    why: "every status a route answers is documented",
  },
  {
    id: "client-retry-new-body",
    file: "gateway/client/src/retrying-fetch.ts",
    from: "response = await fetchImpl(last ? request : request.clone());",
    to: "response = await fetchImpl(request);",
    why: "a retry resends the same request (body, Idempotency-Key)",
  },
  // Cold-start verification at full size (external weight data, the signed record).
  {
    id: "external-data-unchecked",
    file: "gpu-function/src/runtime/bundle/verify-bundle.ts",
    from: "      problems.push(...(await externalDataProblems(bundle, entry.file, graph.externalData, sums, sha256)));",
    to: "      await externalDataProblems(bundle, entry.file, graph.externalData, sums, sha256);",
    why: "a full-size UNet's 3.4 GB of weights live in its .onnx.data, not its .onnx",
  },
  {
    id: "record-ignores-ctime",
    file: "gpu-function/src/runtime/bundle/verified-record.ts",
    from: "a.size === size && a.mtimeMs === mtimeMs && a.ctimeMs === ctimeMs;",
    to: "a.size === size && a.mtimeMs === mtimeMs;",
    why: "a file rewritten with its size and mtime put back must be hashed again",
  },
  // The playground's wiring (served to a browser: its tests are the browser tests).
  {
    id: "playground-resume-from-start",
    file: `${PLAYGROUND}/job-events.js`,
    from: 'if (parser.lastEventId !== null) headers["last-event-id"] = parser.lastEventId;',
    to: "",
    why: "a dropped event stream resumes after the last event seen, not from the start",
    tests: BROWSER_TESTS,
  },
  {
    id: "playground-undo-wrong-turns",
    file: `${PLAYGROUND}/turns.js`,
    from: "const later = stack.turns.slice(k).map((turn) => turn.id);",
    to: "const later = stack.turns.slice(k + 1).map((turn) => turn.id);",
    why: "undo to turn k leaves out every turn after k",
    tests: BROWSER_TESTS,
  },
  {
    id: "playground-compose-mask-size",
    file: `${PLAYGROUND}/compose.js`,
    from: 'form.append("maskSize", "original");',
    to: "",
    why: "the compose mask overlay must be at the original's size to lie on it",
    tests: BROWSER_TESTS,
  },
];
