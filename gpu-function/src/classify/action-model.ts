// The paper's action classifier (method section 1): an MLP over the CLIP text embedding of the
// instruction (we use the pooled end-of-text embedding), logits in EDIT_ACTIONS order.

import { join } from "node:path";
import { EDIT_ACTIONS, type EditAction } from "@zone/shared";
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

/** Runs the classifier on a pooled text embedding (1, D). */
export async function classifyPooled(classifier: ModelSession, pooled: Float32Array): Promise<EditAction> {
  const out = await classifier.run({
    text_embeds: { dtype: "float32", data: pooled, dims: [1, pooled.length] },
  });
  return actionFromLogits(out.logits.data as Float32Array);
}

/**
 * A standalone ActionModel (tokenizer + text encoder + classifier) for `zone classify --models`;
 * null when the bundle has no classifier.
 */
export async function loadActionModel(
  bundle: ModelBundle,
  runtime: Partial<RuntimeOptions> = {},
): Promise<{ model: ActionModel; release: () => Promise<void> } | null> {
  const classifierEntry = bundle.manifest.models.actionClassifier;
  if (!classifierEntry) return null;
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
      const out = await textEncoder.run({
        input_ids: { dtype: "int32", data: tokenizer.encode(instruction), dims: [1, 77] },
      });
      return classifyPooled(classifier, out.pooler_output.data as Float32Array);
    },
    release: async () => {
      await Promise.all([textEncoder.release(), classifier.release()]);
    },
  };
}
