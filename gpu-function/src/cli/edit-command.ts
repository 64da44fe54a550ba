// `zone edit IMAGE "instruction"`: the whole ZONE pipeline on one photo with a model bundle
// (real exports, or --models fixtures for the tiny test models).

import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  CLASSIFIER_REDUCTIONS,
  type ClassifierReduction,
  DIFFERENCE_CHANNELS,
  type DifferenceChannels,
  EDIT_ACTIONS,
  type EditAction,
  SAM_SETTINGS,
  type SamSetting,
  SCHEDULERS,
  type SchedulerName,
} from "@zone/shared";
import { layerMask } from "../compose/composite.ts";
import { describeOutput, encodeOutput } from "../image/encode-output.ts";
import { encodePng } from "../image/io.ts";
import { EDIT_DEFAULTS, type EditResult, zoneEdit } from "../pipeline/zone-edit.ts";
import { loadZoneModels, releaseZoneModels } from "../pipeline/zone-models.ts";
import { openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import { readInputArg } from "./compose-files.ts";
import { readParentDir, STACK_FILE, type StackFile, stackTurn } from "./edit-stack.ts";
import { type CliIo, CliUsageError } from "./io.ts";
import { OUTPUT_OPTIONS, outputUsage, parseOutputOptions, resultFileName } from "./output-options.ts";
import { oneOf, parseCommandLine, parseProviders } from "./parse.ts";
import { Progress, type ProgressSink } from "./progress.ts";
import { writeCandidates } from "./segment-files.ts";

export const EDIT_USAGE = `Usage: zone edit IMAGE "instruction" [options]
       zone edit --parent-dir DIR "instruction" [options]

Edits one region of IMAGE from a plain instruction and leaves every other pixel as it was.
With --parent-dir, continues a chain: the input is DIR's (lossless) result, and the new folder's
stack.json lists the chain's original and every turn (folder, instruction, layer, mask, box).

  --models DIR|fixtures  model bundle (default: $MODELS_DIR); "fixtures" generates the tiny
                         deterministic test models (not trained: the edit is meaningless)
  --out DIR              output folder (default out/edit)
  --parent-dir DIR       the previous turn's output folder: edit its result (a chain)
  --seed N               initial noise seed (default ${EDIT_DEFAULTS.seed})
  --steps N              denoising steps (default ${EDIT_DEFAULTS.steps})
  --action A             change | add | remove: overrides the classifier
  --scheduler S          dpm-solver++ (default) | euler-ancestral
  --text-guidance X      s_T (default ${EDIT_DEFAULTS.textGuidance})
  --image-guidance X     s_I (default ${EDIT_DEFAULTS.imageGuidance})
  --fast                 skip MagicBrush unless the action is remove
  --channels C           ${DIFFERENCE_CHANNELS.join(" | ")} for the edge smoother (default ${EDIT_DEFAULTS.channels})
  --enlarge              scale images under 512 px up to it (default: padded, never enlarged)
  --classifier-reduction R
                         latest-peak (default: the release's, every token state) | pooled
  --release-exact        reproduce the authors' release where the project deliberately differs
                         (grey, padding rule, no enlarging, disc centre, small-region filter,
                         magnitude wrap, ring truncation, classifier reduction, scheduler);
                         --channels, --enlarge and --classifier-reduction are then ignored
  --sam M                Segment Anything for the fine mask: full (default: the release's
                         32 x 32 grid), guided (only grid points near the rough mask: faster),
                         off (the fine mask is the rough mask)
  --guide-margin N       guided: the rough mask's dilation, in grid steps (default ${EDIT_DEFAULTS.guideMargin})
  --save-candidates      also write Segment Anything's masks to candidates/ (PNGs + candidates.json)
  --providers LIST       execution providers in order of preference, e.g. cuda,cpu (default cpu)
${outputUsage(25)}  --json                 print meta.json on stdout
  -h, --help             this text

Writes result.png (.webp, .jpg with --format: the input's own colour space, bit depth, alpha and
ICC profile), layer.png, canvas.png (the globally edited image), attention.png,
mask-rough/fine/dilated/final.png, mask-edit.png (the input's size), stack.json and meta.json.
`;

const OPTIONS = {
  models: { type: "string" },
  out: { type: "string", default: "out/edit" },
  "parent-dir": { type: "string" },
  seed: { type: "string" },
  steps: { type: "string" },
  action: { type: "string" },
  scheduler: { type: "string" },
  "text-guidance": { type: "string" },
  "image-guidance": { type: "string" },
  fast: { type: "boolean", default: false },
  channels: { type: "string" },
  enlarge: { type: "boolean", default: false },
  "classifier-reduction": { type: "string" },
  "release-exact": { type: "boolean", default: false },
  sam: { type: "string" },
  "guide-margin": { type: "string" },
  "save-candidates": { type: "boolean", default: false },
  providers: { type: "string" },
  ...OUTPUT_OPTIONS,
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

function number(
  flag: string,
  value: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
  what: string,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || !check(n))
    throw new CliUsageError(`edit: ${flag} must be ${what}, got "${value}"`);
  return n;
}

export async function runEdit(
  args: string[],
  io: CliIo,
  sink: ProgressSink = process.stderr,
): Promise<number> {
  const { values, positionals } = parseCommandLine("edit", args, OPTIONS, true);
  if (values.help) {
    io.stdout(EDIT_USAGE);
    return 0;
  }
  const parentDir = values["parent-dir"];
  if (parentDir !== undefined && positionals.length !== 1)
    throw new CliUsageError(
      `edit: with --parent-dir, expected only "instruction" (the input is the parent's result), got ${positionals.length} argument(s)`,
    );
  if (parentDir === undefined && positionals.length !== 2)
    throw new CliUsageError(`edit: expected IMAGE and "instruction", got ${positionals.length} argument(s)`);
  if (parentDir !== undefined && resolve(parentDir) === resolve(values.out))
    throw new CliUsageError(
      "edit: --out must be another folder than --parent-dir (the parent's files are the chain)",
    );
  const parent = parentDir === undefined ? null : await readParentDir(parentDir);
  const [imagePath, instruction] = parent === null ? positionals : [parent.input, positionals[0]];
  if (instruction.trim() === "") throw new CliUsageError("edit: the instruction is empty");
  const params = {
    instruction,
    seed: number(
      "--seed",
      values.seed,
      EDIT_DEFAULTS.seed,
      (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 53,
      "a non-negative integer",
    ),
    steps: number(
      "--steps",
      values.steps,
      EDIT_DEFAULTS.steps,
      (n) => Number.isInteger(n) && n >= 1 && n <= 1000,
      "an integer in 1..1000",
    ),
    textGuidance: number(
      "--text-guidance",
      values["text-guidance"],
      EDIT_DEFAULTS.textGuidance,
      (n) => n >= 0 && n <= 30,
      "a number in 0..30",
    ),
    imageGuidance: number(
      "--image-guidance",
      values["image-guidance"],
      EDIT_DEFAULTS.imageGuidance,
      (n) => n >= 0 && n <= 30,
      "a number in 0..30",
    ),
    action:
      values.action === undefined
        ? undefined
        : oneOf<EditAction>("edit", "--action", values.action, EDIT_ACTIONS, "change"),
    scheduler: oneOf<SchedulerName>(
      "edit",
      "--scheduler",
      values.scheduler,
      SCHEDULERS,
      EDIT_DEFAULTS.scheduler,
    ),
    mode: values.fast ? ("fast" as const) : ("default" as const),
    channels: oneOf<DifferenceChannels>(
      "edit",
      "--channels",
      values.channels,
      DIFFERENCE_CHANNELS,
      EDIT_DEFAULTS.channels,
    ),
    enlarge: values.enlarge,
    classifierReduction: oneOf<ClassifierReduction>(
      "edit",
      "--classifier-reduction",
      values["classifier-reduction"],
      CLASSIFIER_REDUCTIONS,
      EDIT_DEFAULTS.classifierReduction,
    ),
    fidelity: values["release-exact"] ? ("release" as const) : ("corrected" as const),
    sam: oneOf<SamSetting>("edit", "--sam", values.sam, SAM_SETTINGS, EDIT_DEFAULTS.sam),
    guideMargin: number(
      "--guide-margin",
      values["guide-margin"],
      EDIT_DEFAULTS.guideMargin,
      (n) => n >= 0 && n <= 32,
      "a number in 0..32",
    ),
  };
  if (values["guide-margin"] !== undefined && params.sam !== "guided")
    throw new CliUsageError("edit: --guide-margin needs --sam guided");
  if (values["save-candidates"] && params.sam === "off")
    throw new CliUsageError("edit: --save-candidates needs Segment Anything (--sam full or guided)");
  const runtime = parseProviders("edit", values.providers);
  const output = parseOutputOptions("edit", values);

  const progress = new Progress(sink);
  try {
    const original = await readInputArg(imagePath, "IMAGE");
    const { dir, fixtures } = await resolveBundleDir(values.models);
    if (fixtures)
      sink.write(
        "zone edit: using the generated FIXTURE models: tiny and untrained, so the edit itself is meaningless\n",
      );
    const bundle = await openBundle(dir, fixtures);
    const models = await loadZoneModels(
      bundle,
      { providers: runtime, log: (line) => sink.write(`${line}\n`) },
      (e) => progress.loaded(e),
      { sam: params.sam !== "off" },
    );
    try {
      const edit = await zoneEdit(models, original, params, (event) => {
        if (event.stage === "denoise") progress.step(event);
        else progress.stage(event.stage, event.ms);
      });
      const start = performance.now();
      await mkdir(values.out, { recursive: true });
      const resultName = resultFileName(output.format);
      const files: Array<[string, Parameters<typeof encodePng>[0]]> = [
        ["layer.png", edit.layer],
        ["canvas.png", edit.canvas],
        ["attention.png", edit.attention],
        ["mask-rough.png", edit.masks.rough],
        ["mask-fine.png", edit.masks.fine],
        ["mask-dilated.png", edit.masks.dilated],
        ["mask-final.png", edit.masks.final],
        ["mask-edit.png", layerMask(edit.layer)],
      ];
      await Promise.all([
        encodeOutput(edit.output, output).then((bytes) => writeFile(join(values.out, resultName), bytes)),
        ...files.map(async ([name, image]) => writeFile(join(values.out, name), await encodePng(image))),
      ]);
      const written: string[] = [resultName, ...files.map(([name]) => name)];
      if (values["save-candidates"] && edit.segmentation) {
        await writeCandidates(join(values.out, "candidates"), edit.segmentation, "candidates.json", {
          image: edit.meta.segment?.image,
        });
        written.push("candidates/");
      }
      const resultFile = { name: resultName, ...describeOutput(edit.output, output) };
      const turn = stackTurn(values.out, { ...edit.meta, resultFile });
      const stack: StackFile = parent
        ? { original: parent.stack.original, turns: [...parent.stack.turns, turn] }
        : { original: resolve(imagePath), turns: [turn] };
      await writeFile(join(values.out, STACK_FILE), `${JSON.stringify(stack, null, 2)}\n`);
      written.push(STACK_FILE);
      const meta = {
        ...edit.meta,
        image: imagePath,
        parentDir: parentDir ?? null,
        loadSeconds: models.loadSeconds,
        compose: edit.summary,
        resultFile,
        fineMask: describeFineMask(edit.meta.segment, edit.summary),
        outDir: values.out,
        files: [...written, "meta.json"],
      };
      meta.timingsMs = { ...meta.timingsMs, write: Math.round((performance.now() - start) * 100) / 100 };
      await writeFile(join(values.out, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
      if (values.json) io.stdout(`${JSON.stringify(meta, null, 2)}\n`);
      else {
        io.stdout(`wrote ${meta.files.join(", ")} to ${values.out}\n`);
        io.stdout(
          `action ${meta.action} (${meta.actionSource}); changed ${meta.changedPixels} pixels; bundle ${meta.bundleId}\n`,
        );
        io.stdout(`fine mask: ${meta.fineMask}\n`);
      }
      return 0;
    } finally {
      await releaseZoneModels(models);
    }
  } finally {
    progress.close();
  }
}

/** One line on where the fine mask came from, for meta.json and the terminal. */
function describeFineMask(segment: EditResult["meta"]["segment"], summary: EditResult["summary"]): string {
  if (segment === null) return "the rough mask (--sam off)";
  const of = `${segment.candidates} Segment Anything candidates (${segment.mode} grid on the ${segment.image})`;
  if (summary.chosenSegment !== null) {
    return `candidate ${summary.chosenSegment} of ${of}, Region-IoU ${summary.chosenIou?.toFixed(3)}`;
  }
  const why = summary.fallbackReason === "no-candidates" ? "there were none" : "none overlaps the rough mask";
  return `the rough mask: ${why} among ${of}`;
}
