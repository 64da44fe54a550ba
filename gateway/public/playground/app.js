// The playground: an API key kept in this browser, a photo and an instruction, POST /v1/edits on
// this gateway, then the edit and its artifacts (view.js), with progress from progress.js. Only
// what this gateway documents is offered: panels for later areas (compose, multi-turn) mount from
// panels.js when their paths are in /openapi.json.
import { apiDocument, apiKey, artifact, createEdit, demoScene, health, PlaygroundProblem } from "./api.js";
import { mountPanels } from "./panels.js";
import { startProgress } from "./progress.js";
import { artifactLinks, showEdit, wireControls } from "./view.js";

const $ = (id) => document.getElementById(id);
/** The demo scene's instruction: the object `zone demo` recolours. */
const DEMO_INSTRUCTION = "make the ball blue";

let photo = null;

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
  preview.src = URL.createObjectURL(file);
  preview.hidden = false;
  $("drop-text").textContent = `${file.name} (${Math.round(file.size / 1024)} KiB)`;
}

function showKeyState() {
  $("key-state").textContent = apiKey.get()
    ? "A key is saved in this browser (localStorage); it is sent only to this gateway."
    : "No key saved: npm start prints a local one.";
}

async function runEdit(instruction) {
  showProblem(null);
  if (!apiKey.get()) return showProblem(new Error("Save an API key first."));
  if (photo === null) return showProblem(new Error("Choose a photo first."));
  const form = new FormData();
  form.append("image", photo, photo.name);
  form.append("instruction", instruction);
  // The mask at the photo's size, so its overlay lies exactly on the photo.
  form.append("maskSize", "original");
  for (const name of ["seed", "steps", "mode", "output"]) {
    const value = $(name).value;
    if (value !== "") form.append(name, value);
  }
  const progress = startProgress($("progress"), $("progress-text"));
  $("run").disabled = true;
  try {
    const answer = await createEdit(form);
    progress.update("Downloading the artifacts");
    const blobs = Object.fromEntries(
      await Promise.all(artifactLinks(answer.edit).map(async ([name, url]) => [name, await artifact(url)])),
    );
    await showEdit(answer, blobs, photo);
    $("result-heading").focus?.();
  } catch (error) {
    showProblem(error);
  } finally {
    progress.done();
    $("run").disabled = false;
  }
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
  $("run-demo").addEventListener("click", async () => {
    try {
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
    const panels = mountPanels(document_, { runEdit, showEdit, startProgress, showProblem });
    document.body.dataset.panels = panels.join(" ");
  } catch (error) {
    showProblem(error);
  }
  document.body.dataset.ready = "true";
}

start();
