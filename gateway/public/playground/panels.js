// Panels for API areas beyond one sync edit, each mounted only when this gateway's OpenAPI
// document has its paths: the page never offers what the API does not do. Each entry is its own
// function taking the document and the page's context ({ runEdit, showEdit, startProgress,
// showProblem }), so compose (POST /v1/compose: an original plus another editor's output) and
// multi-turn (`parent`, /stack: the turn history, undo, continuing from any turn) plug in here
// when those routes are on the gateway. None is on it yet, so the list is empty.
export const PANELS = [];

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
