// The playground: an API key kept in this browser, a photo (or a turn to continue from) and an
// instruction, POST /v1/edits on this gateway as a job with live progress (edit-job.js), then the
// edit and its artifacts (view.js). Only what this gateway documents is offered: the multi-turn
// history and compose mode mount from panels.js when their paths are in /openapi.json.
import { apiDocument, apiKey, artifact, demoScene, health, PlaygroundProblem } from "./api.js";
import { runEditJob } from "./edit-job.js";
import { mountPanels } from "./panels.js";
import { startProgress } from "./progress.js";
import { artifactLinks, showEdit, wireControls } from "./view.js";

const $ = (id) => document.getElementById(id);
/** The demo scene's instruction: the object `zone demo` recolours. */
const DEMO_INSTRUCTION = "make the ball blue";

let photo = null;
/** The turn the next edit continues from ({ id, turn, instruction, blob }), or null: the photo. */
let parent = null;
/** Runs after an edit or compose is shown, with { edit, blobs, form } (the turns panel listens). */
const shownListeners = [];
let busy = false;

function showProblem(error) {
  const box = $("problem");
  if (error === null) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  box.hidden = false;
  box.textContent =
    error instanceof PlaygroundProblem
      ? `${error.title}: ${error.message} (${error.code}${error.status ? `, HTTP ${error.status}` : ""})`
      : String(error.message ?? error);
}

function choosePhoto(file) {
  photo = file;
  const preview = $("photo-preview");
  preview.onerror = () => {
    preview.hidden = true;
  };
  if (preview.src.startsWith("blob:")) URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(file);
  preview.hidden = false;
  $("drop-text").textContent = `${file.name} (${Math.round(file.size / 1024)} KiB)`;
}

/** The next edit continues from `turn` (its result is the input), or from a photo when null. */
function continueFrom(turn, blob) {
  const preview = $("parent-preview");
  if (preview.src.startsWith("blob:")) URL.revokeObjectURL(preview.src);
  parent = turn === null ? null : { id: turn.id, turn: turn.turn, instruction: turn.instruction, blob };
  $("parent-note").hidden = parent === null;
  $("photo-fields").hidden = parent !== null;
  if (parent !== null) {
    $("parent-text").textContent =
      `The next edit continues from turn ${parent.turn} ("${parent.instruction}", ${parent.id}): its result is the input.`;
    preview.src = URL.createObjectURL(blob);
    $("mode-edit").checked = true;
    showMode();
    $("instruction").value = "";
    $("instruction").focus();
  }
}

function showKeyState() {
  $("key-state").textContent = apiKey.get()
    ? "A key is saved in this browser (localStorage); it is sent only to this gateway."
    : "No key saved: npm start prints a local one.";
}

/**
 * Downloads the resource's artifacts and shows it over `input` (the image it changed); `form` is
 * the request that made an edit (the turns panel may need to send it again), null for a compose.
 */
async function present(answer, input, extraFacts = [], form = null) {
  const blobs = Object.fromEntries(
    await Promise.all(artifactLinks(answer.edit).map(async ([name, url]) => [name, await artifact(url)])),
  );
  await showEdit(answer, blobs, input, extraFacts);
  for (const listener of shownListeners) await listener({ edit: answer.edit, blobs, form });
  $("result").dataset.shown = answer.edit.id;
}

/** One operation at a time: `work` runs with the buttons disabled and its problem shown. */
async function exclusive(work) {
  if (busy) return;
  busy = true;
  showProblem(null);
  for (const id of ["run", "run-demo", "run-compose", "compose-demo"]) $(id).disabled = true;
  try {
    await work();
  } catch (error) {
    showProblem(error);
  } finally {
    busy = false;
    for (const id of ["run", "run-demo", "run-compose", "compose-demo"]) $(id).disabled = false;
  }
}

async function runEdit(instruction) {
  showProblem(null);
  if (!apiKey.get()) return showProblem(new Error("Save an API key first."));
  if (parent === null && photo === null) return showProblem(new Error("Choose a photo first."));
  const form = new FormData();
  if (parent === null) form.append("image", photo, photo.name);
  else form.append("parent", parent.id);
  form.append("instruction", instruction);
  // The mask at the input's size, so its overlay lies exactly on it.
  form.append("maskSize", "original");
  for (const name of ["seed", "steps", "mode", "output"]) {
    const value = $(name).value;
    if (value !== "") form.append(name, value);
  }
  const input = parent === null ? photo : parent.blob;
  await exclusive(async () => {
    const answer = await runEditJob(form);
    await present(answer, input, [], form);
    // A turn is made: the next edit is of the photo again unless a turn is picked to continue from.
    if (parent !== null) continueFrom(null);
    $("result-heading").focus?.();
  });
}

/** A request answered in one go (compose), with an indeterminate progress saying `label`. */
async function run(label, submit, input, extraFacts) {
  if (!apiKey.get()) return showProblem(new Error("Save an API key first."));
  await exclusive(async () => {
    const progress = startProgress();
    progress.say(label);
    try {
      const answer = await submit();
      await present(
        { edit: answer.body, cache: answer.cache, serverTiming: answer.serverTiming },
        input,
        extraFacts,
      );
    } finally {
      progress.done();
    }
    $("result-heading").focus?.();
  });
}

/** The form's placeholders and bounds: the defaults and limits the document states for POST /v1/edits. */
function showDefaults(document_) {
  const fields =
    document_.paths?.["/v1/edits"]?.post?.requestBody?.content?.["multipart/form-data"]?.schema?.properties ??
    {};
  for (const name of ["seed", "steps"]) {
    const field = fields[name] ?? {};
    const input = $(name);
    if (field.default !== undefined) input.placeholder = String(field.default);
    if (field.minimum !== undefined) input.min = String(field.minimum);
    if (field.maximum !== undefined) input.max = String(field.maximum);
  }
}

/** Edit mode or compose mode (the switch shows when the compose panel is mounted). */
function showMode() {
  const compose = $("mode-compose").checked;
  $("edit-form").hidden = compose;
  $("compose-mode").hidden = !compose;
}

async function start() {
  wireControls();
  $("api-key").value = apiKey.get();
  showKeyState();
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    apiKey.set($("api-key").value.trim());
    showKeyState();
  });
  $("forget-key").addEventListener("click", () => {
    apiKey.forget();
    $("api-key").value = "";
    showKeyState();
  });
  $("photo").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) choosePhoto(file);
  });
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    const [file] = event.dataTransfer.files;
    if (file) choosePhoto(file);
  });
  $("edit-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runEdit($("instruction").value);
  });
  $("clear-parent").addEventListener("click", () => continueFrom(null));
  for (const id of ["mode-edit", "mode-compose"]) $(id).addEventListener("change", showMode);
  $("run-demo").addEventListener("click", async () => {
    try {
      continueFrom(null);
      choosePhoto(await demoScene());
      $("instruction").value = DEMO_INSTRUCTION;
      await runEdit(DEMO_INSTRUCTION);
    } catch (error) {
      showProblem(error);
    }
  });
  try {
    const [status, document_] = await Promise.all([health(), apiDocument()]);
    $("fixtures-notice").hidden = !status.fixtures;
    showDefaults(document_);
    const context = {
      showProblem,
      run,
      continueFrom,
      onShown: (listener) => shownListeners.push(listener),
      fixtures: status.fixtures === true,
    };
    document.body.dataset.panels = mountPanels(document_, context).join(" ");
  } catch (error) {
    showProblem(error);
  }
  document.body.dataset.ready = "true";
}

start();
