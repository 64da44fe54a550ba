// The progress of one job, from its events (job-events.js): a <progress> bar (indeterminate until
// denoising starts, then step k of n), a text that screen readers hear (aria-live), the elapsed
// time, and a Cancel button that asks the gateway to cancel the job (POST .../cancel).

/** What the text says for each job event (progress events by their stage). */
const STAGE_TEXT = {
  classify: "Classified the instruction",
  encode: "Encoded the photo",
  decode: "Decoded the edited canvas",
  localize: "Localized the edit",
  segment: "Segmented the edited canvas",
  compose: "Composited the layer",
};

/** The line shown for an event of the job's stream, or null to keep the one before. */
export function describeEvent({ event, data }) {
  switch (event) {
    case "edit.queued":
      return "Queued: waiting for a GPU slot";
    case "edit.running":
      return "Running";
    case "edit.progress":
      if (data.stage === "denoise" && data.step !== null)
        return `Denoising: step ${data.step} of ${data.steps}`;
      return STAGE_TEXT[data.stage] ?? `Stage ${data.stage} done`;
    case "edit.succeeded":
      return "Done: loading the edit";
    case "edit.failed":
      return "Failed";
    case "edit.canceled":
      return "Canceled";
    default:
      return null;
  }
}

const $ = (id) => document.getElementById(id);

/**
 * Shows the progress box, indeterminate, with no Cancel button until cancelable() gives it its
 * action. Answers { event(e), say(text), cancelable(fn), resumed(id), settled(), done() }.
 */
export function startProgress() {
  const root = $("progress");
  const bar = $("progress-bar");
  const text = $("progress-text");
  const elapsed = $("progress-elapsed");
  const cancel = $("cancel");
  const started = performance.now();
  root.hidden = false;
  bar.removeAttribute("value");
  text.textContent = "Sending";
  $("progress-note").textContent = "";
  const tick = () => {
    elapsed.textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  };
  tick();
  const timer = setInterval(tick, 200);
  cancel.hidden = true;
  const stopCanceling = () => {
    cancel.hidden = true;
    cancel.onclick = null;
  };
  return {
    event(event) {
      const line = describeEvent(event);
      if (line !== null) text.textContent = line;
      if (event.event === "edit.progress" && event.data.stage === "denoise" && event.data.steps) {
        bar.max = event.data.steps;
        bar.value = event.data.step;
      }
    },
    say(line) {
      text.textContent = line;
    },
    /** A Cancel button that runs `action` once (its failure is shown under the bar). */
    cancelable(action) {
      cancel.hidden = false;
      cancel.disabled = false;
      cancel.textContent = "Cancel";
      cancel.onclick = async () => {
        cancel.disabled = true;
        cancel.textContent = "Canceling";
        try {
          await action();
        } catch (error) {
          cancel.disabled = false;
          cancel.textContent = "Cancel";
          $("progress-note").textContent = `Could not cancel: ${error.message}`;
        }
      };
    },
    /** The event stream dropped and was read again from the event after `lastEventId`. */
    resumed(lastEventId) {
      $("progress-note").textContent = `The event stream dropped; resumed after event ${lastEventId}.`;
    },
    /** The job has ended: nothing left to cancel. */
    settled: stopCanceling,
    done() {
      clearInterval(timer);
      stopCanceling();
      root.hidden = true;
    },
  };
}
