// Picks an instruction's ZONE action (change | add | remove) from, in order of precedence: an
// explicit override from the caller, a learned model (the paper's MLP over CLIP embeddings)
// when one is supplied, else the deterministic verb lexicon. Every answer says where it came from.
import { type ActionSource, EDIT_ACTIONS, type EditAction, ZoneError } from "@zone/shared";
import { classifyByLexicon } from "./lexicon.ts";

/** A learned classifier; it must resolve to one of EDIT_ACTIONS. */
export type ActionModel = (instruction: string) => Promise<EditAction>;

export interface ClassifyOptions {
  override?: EditAction;
  model?: ActionModel;
}

export interface ActionClassification {
  action: EditAction;
  source: ActionSource;
  /** The lexicon rule that fired; absent for override and model, and when the lexicon defaulted. */
  cue?: string;
}

export function isAction(value: unknown): value is EditAction {
  return typeof value === "string" && (EDIT_ACTIONS as ReadonlyArray<string>).includes(value);
}

export async function classifyAction(
  instruction: string,
  options: ClassifyOptions = {},
): Promise<ActionClassification> {
  if (typeof instruction !== "string" || instruction.trim() === "") {
    throw new ZoneError("invalid_argument", "The instruction must be a non-empty string.");
  }
  const { override, model } = options;
  if (override !== undefined) {
    if (!isAction(override)) {
      throw new ZoneError(
        "invalid_argument",
        `Unknown action "${String(override)}"; expected one of ${EDIT_ACTIONS.join(", ")}.`,
      );
    }
    return { action: override, source: "override" };
  }
  if (model !== undefined) {
    const action: unknown = await model(instruction);
    if (!isAction(action)) {
      throw new ZoneError("internal", `The action model returned "${String(action)}", not an action.`);
    }
    return { action, source: "model" };
  }
  const { action, cue } = classifyByLexicon(instruction);
  return cue === null ? { action, source: "lexicon" } : { action, source: "lexicon", cue };
}
