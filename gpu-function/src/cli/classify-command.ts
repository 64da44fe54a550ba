// `zone classify`: which ZONE action (change | add | remove) an editing instruction asks for,
// printed as one JSON line. The action decides the blending weight and which image is segmented.
// Without a model the deterministic verb lexicon decides; --action overrides everything.

import { type ActionModel, classifyAction } from "../action/classify.ts";
import { ACTIONS, type Action } from "../compose/compose-edit.ts";
import { type CliIo, CliUsageError } from "./io.ts";
import { oneOf, parseCommandLine } from "./parse.ts";

export const CLASSIFY_USAGE = `Usage: zone classify [--action A] "instruction"

Prints the instruction's ZONE action as one JSON line, e.g.
  {"action":"remove","source":"lexicon","cue":"remove:remove"}
source is "override" (--action), "model" (a learned classifier) or "lexicon" (deterministic
verb rules; "cue" names the rule that fired, null when it defaulted to change).

  --action A      change | add | remove: skip classification and report A
  -h, --help      this text
`;

const OPTIONS = {
  action: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * What the command can be given besides its arguments. Extension point: a `--models DIR` option
 * will load the paper's MLP over CLIP embeddings and pass it here as `model`; until then the
 * lexicon decides.
 */
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
      : oneOf<Action>("classify", "--action", values.action, ACTIONS, "change");

  const result = await classifyAction(instruction, { override, model: deps.model });
  const line =
    result.source === "lexicon"
      ? { action: result.action, source: result.source, cue: result.cue ?? null }
      : { action: result.action, source: result.source };
  io.stdout(`${JSON.stringify(line)}\n`);
  return 0;
}
