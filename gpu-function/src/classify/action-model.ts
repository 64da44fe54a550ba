// The paper's action classifier (method section 1): an MLP (768 -> 128 -> ReLU -> 3) over the
// CLIP text encoder's output, logits in EDIT_ACTIONS order. Two ways to read the encoder:
// - "latest-peak" (the release, msk_from_attn.cls_predict; the default): the MLP on every one of
//   the 77 token states (the graph's batch axis carries the tokens), per class the token index
//   of its peak (torch.max over tokens), and the label is the class whose peak comes latest
//   (argmax over those indices; first class on ties);
// - "pooled" (an option): the MLP once on the pooled end-of-text embedding, plain argmax.
// Why latest-peak is the default: the release ships the checkpoint without training code (no
// commit of lsl001006/ZONE has any), so what the MLP was fitted on cannot be read; the release's
// inference is the only use of this checkpoint the authors published, and the paper's numbers
// come from it. One known gap: the release passes the attention mask to the text encoder, the
// bundle's text encoder takes input_ids only, so the states at padding positions differ (they
// also attend to earlier padding), and a peak on a padding position can move.

import { join } from "node:path";
import { type ClassifierReduction, EDIT_ACTIONS, type EditAction, ZONE_DEFAULTS } from "@zone/shared";
import { type ModelBundle, modelPath } from "../runtime/bundle/bundle.ts";
import { ModelSession, type RuntimeOptions } from "../runtime/onnx-runtime.ts";
import { ClipTokenizer } from "../runtime/tokenizer/clip-tokenizer.ts";
import type { ActionModel } from "./classify.ts";

/** The action with the largest logit (first on ties). */
export function actionFromLogits(logits: Float32Array): EditAction {
  let best = 0;
  for (let i = 1; i < EDIT_ACTIONS.length; i++) if (logits[i] > logits[best]) best = i;
  return EDIT_ACTIONS[best];
}

/**
 * The release's reduction of per-token logits (tokens, classes): per class the first token index
 * of its maximum, then the class with the largest index (first on ties).
 */
export function actionFromTokenLogits(logits: Float32Array, tokens: number): EditAction {
  const classes = EDIT_ACTIONS.length;
  if (logits.length !== tokens * classes) {
    throw new RangeError(`token logits: ${logits.length} values for ${tokens} x ${classes}`);
  }
  const peaks = Array.from({ length: classes }, (_, c) => {
    let best = 0;
    for (let t = 1; t < tokens; t++) if (logits[t * classes + c] > logits[best * classes + c]) best = t;
    return best;
  });
  let label = 0;
  for (let c = 1; c < classes; c++) if (peaks[c] > peaks[label]) label = c;
  return EDIT_ACTIONS[label];
}

async function logitsOf(classifier: ModelSession, rows: Float32Array, count: number): Promise<Float32Array> {
  const out = await classifier.run({
    text_embeds: { dtype: "float32", data: rows, dims: [count, rows.length / count] },
  });
  return out.logits.data as Float32Array;
}

/** Runs the classifier on a pooled text embedding (1, D). */
export async function classifyPooled(classifier: ModelSession, pooled: Float32Array): Promise<EditAction> {
  return actionFromLogits(await logitsOf(classifier, pooled, 1));
}

/** Runs the classifier on every token state (T, D) of one prompt: the release's reduction. */
export async function classifyTokens(
  classifier: ModelSession,
  states: Float32Array,
  tokens: number,
): Promise<EditAction> {
  return actionFromTokenLogits(await logitsOf(classifier, states, tokens), tokens);
}

/** The text encoder's output for one prompt: last_hidden_state (T, D) and pooler_output (D). */
export interface PromptStates {
  hidden: Float32Array;
  tokens: number;
  pooled: Float32Array | undefined;
}

/** The classifier on one prompt's states with the chosen reduction. */
export function classifyStates(
  classifier: ModelSession,
  states: PromptStates,
  reduction: ClassifierReduction = ZONE_DEFAULTS.classify.reduction,
): Promise<EditAction> {
  if (reduction === "latest-peak") return classifyTokens(classifier, states.hidden, states.tokens);
  if (!states.pooled) throw new Error("the text encoder returned no pooler_output for the pooled reduction");
  return classifyPooled(classifier, states.pooled);
}

export interface ActionModelOptions {
  runtime: Partial<RuntimeOptions>;
  reduction: ClassifierReduction;
  /** Load the fixture bundle's untrained MLP anyway (tests of the wiring). */
  untrained: boolean;
}

/**
 * A standalone ActionModel (tokenizer + text encoder + classifier) for `zone classify --models`;
 * null when the bundle has no classifier, or only the untrained one of the fixture bundle (the
 * lexicon must not be overruled by random weights) unless `untrained` asks for it.
 */
export async function loadActionModel(
  bundle: ModelBundle,
  options: Partial<ActionModelOptions> = {},
): Promise<{ model: ActionModel; release: () => Promise<void> } | null> {
  const { runtime = {}, reduction = ZONE_DEFAULTS.classify.reduction, untrained = false } = options;
  const classifierEntry = bundle.manifest.models.actionClassifier;
  if (!classifierEntry || (bundle.fixtures && !untrained)) return null;
  const tokenizer = await ClipTokenizer.fromFolder(join(bundle.dir, bundle.manifest.tokenizer.dir));
  const textEncoder = await ModelSession.create(
    "textEncoder",
    modelPath(bundle, "textEncoder"),
    bundle.manifest.models.textEncoder,
    runtime,
  );
  const classifier = await ModelSession.create(
    "actionClassifier",
    modelPath(bundle, "actionClassifier"),
    classifierEntry,
    runtime,
  );
  return {
    model: async (instruction) => {
      const ids = tokenizer.encode(instruction);
      const out = await textEncoder.run({ input_ids: { dtype: "int32", data: ids, dims: [1, ids.length] } });
      return classifyStates(
        classifier,
        {
          hidden: out.last_hidden_state.data as Float32Array,
          tokens: ids.length,
          pooled: out.pooler_output?.data as Float32Array | undefined,
        },
        reduction,
      );
    },
    release: async () => {
      await Promise.all([textEncoder.release(), classifier.release()]);
    },
  };
}
