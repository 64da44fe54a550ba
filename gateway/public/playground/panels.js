// Panels for API areas beyond one edit, each mounted only when this gateway's OpenAPI document
// has its paths: the page never offers what the API does not do. Each entry (its own module)
// takes the document and the page's context (app.js: showProblem, run, onShown, continueFrom,
// fixtures): multi-turn (turns.js: the turn history, undo, continuing from any turn) and compose
// mode (compose.js: an original plus another editor's output).
import { composePanel } from "./compose.js";
import { turnsPanel } from "./turns.js";

export const PANELS = [turnsPanel, composePanel];

/** Mounts the panels this gateway supports; answers their names (kept on <body data-panels>). */
export function mountPanels(document_, context) {
  const paths = Object.keys(document_.paths ?? {});
  const mounted = [];
  for (const panel of PANELS) {
    if (!panel.requires.every((path) => paths.includes(path))) continue;
    panel.mount(document_, context);
    mounted.push(panel.name);
  }
  return mounted;
}
