// Progress of one edit. Today the API answers an edit in one request, so this is a spinner with
// the elapsed time; the async jobs' events (/v1/edits/{id}/events) feed update() once they land.
export function startProgress(root, text) {
  const started = performance.now();
  root.hidden = false;
  let label = "Editing";
  const tick = () => {
    text.textContent = `${label}... ${((performance.now() - started) / 1000).toFixed(1)} s`;
  };
  tick();
  const timer = setInterval(tick, 200);
  return {
    /** A stage's name, e.g. from a progress event. */
    update(stage) {
      label = stage;
      tick();
    },
    done() {
      clearInterval(timer);
      root.hidden = true;
    },
  };
}
