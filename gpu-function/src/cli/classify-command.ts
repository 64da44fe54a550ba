// `zone classify`: which ZONE action (change | add | remove) an editing instruction asks for,
// printed as one JSON line. The action decides the blending weight and which image is segmented.
// Without a model the deterministic verb lexicon decides; --action overrides everything.
import {
  CLASSIFIER_REDUCTIONS,
  type ClassifierReduction,
  EDIT_ACTIONS,
  type EditAction,
  ZONE_DEFAULTS,
} from "@zone/shared";
import { loadActionModel } from "../classify/action-model.ts";
import { type ActionModel, classifyAction } from "../classify/classify.ts";
import { openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import { type CliIo, CliUsageError } from "./io.ts";
import { oneOf, parseCommandLine } from "./parse.ts";

export const CLASSIFY_USAGE = `Usage: zone classify [--action A] [--models DIR|fixtures] "instruction"

Prints the instruction's ZONE action as one JSON line, e.g.
  {"action":"remove","source":"lexicon","cue":"remove:remove"}
source is "override" (--action), "model" (a learned classifier) or "lexicon" (deterministic
verb rules; "cue" names the rule that fired, null when it defaulted to change).

  --action A      change | add | remove: skip classification and report A
  --models DIR    use the bundle's classifier (text encoder + MLP) when it has one;
                  "fixtures" is the untrained test bundle: its MLP never overrules the lexicon
  --classifier-reduction latest-peak|pooled
                  how the MLP reads the text encoder: every token, the latest peak wins
                  (the release; default), or the pooled end-of-text embedding
  -h, --help      this text
`;

const OPTIONS = {
  action: { type: "string" },
  models: { type: "string" },
  "classifier-reduction": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** What the command can be given besides its arguments (tests inject a model here). */
export interface ClassifyDeps {
  model?: ActionModel;
}

export async function runClassify(args: string[], io: CliIo, deps: ClassifyDeps = {}): Promise<number> {
  const { values, positionals } = parseCommandLine("classify", args, OPTIONS, true);
  if (values.help) {
    io.stdout(CLASSIFY_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new CliUsageError(
      `classify: expected exactly one instruction (quote it), got ${positionals.length} (see zone classify --help)`,
    );
  }
  const [instruction] = positionals as [string];
  if (instruction.trim() === "") throw new CliUsageError("classify: the instruction is empty");
  const override =
    values.action === undefined
      ? undefined
      : oneOf<EditAction>("classify", "--action", values.action, EDIT_ACTIONS, "change");

  const reduction = oneOf<ClassifierReduction>(
    "classify",
    "--classifier-reduction",
    values["classifier-reduction"],
    CLASSIFIER_REDUCTIONS,
    ZONE_DEFAULTS.classify.reduction,
  );
  let model = deps.model;
  let release = async () => {};
  if (values.models !== undefined && override === undefined && model === undefined) {
    const { dir, fixtures } = await resolveBundleDir(values.models);
    const loaded = await loadActionModel(await openBundle(dir, fixtures), { reduction });
    if (loaded) ({ model, release } = loaded);
    else if (fixtures)
      io.stderr("zone classify: the fixture bundle's classifier is untrained; using the lexicon\n");
    else io.stderr("zone classify: the bundle has no action classifier; using the lexicon\n");
  }
  const result = await classifyAction(instruction, { override, model }).finally(release);
  const line =
    result.source === "lexicon"
      ? { action: result.action, source: result.source, cue: result.cue ?? null }
      : { action: result.action, source: result.source };
  io.stdout(`${JSON.stringify(line)}\n`);
  return 0;
}
