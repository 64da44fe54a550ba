// Renders one edit or compose: before/after with a slider, the mask as a tinted overlay with its
// opacity, the changed box, the RGBA layer on a checkerboard, facts, the timings (the GPU
// function's stages, and the request's Server-Timing when it was answered in one go) and the
// downloads. Overlays come from the resource's links: what it has is shown, nothing else.
const $ = (id) => document.getElementById(id);

/** Links of a resource that are not artifacts: itself, and a job's events and cancel. */
const NOT_ARTIFACTS = new Set(["self", "events", "cancel"]);

/** Artifact links a resource carries, as [name, url]. */
export function artifactLinks(edit) {
  return Object.entries(edit.links).filter(([name]) => !NOT_ARTIFACTS.has(name));
}

/** A file's extension from its type ("image/png" -> "png"). */
export const extensionOf = (blob) => blob.type.split("/")[1] ?? "bin";

/** A download button for an object URL. */
export function downloadLink(url, filename, text) {
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.textContent = text;
  a.className = "button";
  return a;
}

/** Server-Timing (RFC 8673 grammar as the gateway writes it) as rows { name, dur, desc }. */
export function parseServerTiming(header) {
  return header
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, ...params] = entry.split(";").map((part) => part.trim());
      const row = { name, dur: "", desc: "" };
      for (const param of params) {
        const [key, value = ""] = param.split("=");
        if (key === "dur") row.dur = value;
        if (key === "desc") row.desc = value.replace(/^"|"$/g, "");
      }
      return row;
    });
}

/** The mask (white = edited) as a red tint whose alpha is the mask, on the canvas. */
async function paintMask(canvas, blob) {
  const bitmap = await createImageBitmap(blob);
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
  for (let i = 0; i < pixels.data.length; i += 4) {
    const value = pixels.data[i];
    pixels.data[i] = 255;
    pixels.data[i + 1] = 40;
    pixels.data[i + 2] = 40;
    pixels.data[i + 3] = value;
  }
  context.putImageData(pixels, 0, 0);
}

function fact(list, term, value) {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  list.append(dt, dd);
}

const objectUrls = [];

/** What a compose did (POST /v1/compose): the other editor's image, the rough and fine masks. */
function composeFacts(facts, edit) {
  fact(facts, "Operation", "compose: another editor's output made a local edit");
  fact(facts, "Edited image", `${edit.edited.width} x ${edit.edited.height} (resize: ${edit.edited.resize})`);
  fact(facts, "Rough mask", edit.roughSource === "given" ? "the one sent" : "from the images' difference");
  fact(
    facts,
    "Segment Anything",
    edit.segment === null
      ? "off (the rough mask is the fine mask)"
      : `${edit.segment.mode} on the ${edit.segment.image} image`,
  );
}

/**
 * The timings table: this request's Server-Timing (it has the GPU function's stages as gpu-*),
 * or, for an edit that ran as a job (its answer came as events), the GPU function's stages.
 */
function showTimings(edit, serverTiming) {
  const rows = $("timings").querySelector("tbody");
  rows.replaceChildren();
  const fromJob = serverTiming === "";
  $("timings-caption").textContent = fromJob
    ? "The GPU function's stages (timingsMs: the edit ran as a job)"
    : "This request's Server-Timing";
  const all = fromJob
    ? Object.entries(edit.timingsMs ?? {}).map(([name, ms]) => ({ name, dur: String(ms), desc: "GPU stage" }))
    : parseServerTiming(serverTiming);
  for (const { name, dur, desc } of all) {
    const tr = document.createElement("tr");
    for (const text of [name, dur, desc]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    rows.append(tr);
  }
}

/**
 * Shows an edit or a compose; `blobs` maps each artifact name to its blob, `before` is the image
 * it changed (the photo sent, or a turn's parent result); `extraFacts` are [term, value] pairs.
 */
export async function showEdit({ edit, cache, serverTiming }, blobs, input, extraFacts = []) {
  for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
  const urlOf = (blob) => {
    const url = URL.createObjectURL(blob);
    objectUrls.push(url);
    return url;
  };
  const before = $("before");
  before.src = urlOf(input);
  await before.decode();
  $("after").src = urlOf(blobs.result);
  $("layer").src = urlOf(blobs.layer);
  await paintMask($("mask-overlay"), blobs.mask);
  const attention = $("attention-overlay");
  attention.hidden = !blobs.attention;
  if (blobs.attention) attention.src = urlOf(blobs.attention);
  $("attention-note").textContent = blobs.attention
    ? "The attention heatmap (and the canvas download) is at the working resolution, without its padding, stretched over the photo."
    : "No attention heatmap: this edit has no attention artifact (its links: " +
      artifactLinks(edit)
        .map(([name]) => name)
        .join(", ") +
      ").";

  const box = $("changed-box");
  if (edit.changedBox) {
    const { x0, y0, x1, y1 } = edit.changedBox;
    const width = before.naturalWidth;
    const height = before.naturalHeight;
    Object.assign(box.style, {
      left: `${(x0 / width) * 100}%`,
      top: `${(y0 / height) * 100}%`,
      width: `${((x1 - x0) / width) * 100}%`,
      height: `${((y1 - y0) / height) * 100}%`,
    });
  }
  box.dataset.present = edit.changedBox ? "yes" : "no";
  box.hidden = !edit.changedBox || !$("show-box").checked;

  const facts = $("facts");
  facts.replaceChildren();
  fact(facts, "Cache", `${cache} (${cache === "MISS" ? "billed: this request ran the edit" : "free"})`);
  if (edit.kind === "compose") composeFacts(facts, edit);
  else fact(facts, "Action", `${edit.action} (${edit.actionSource})`);
  fact(facts, "Changed pixels", String(edit.changedPixels));
  fact(
    facts,
    "Changed box",
    edit.changedBox
      ? `x ${edit.changedBox.x0} to ${edit.changedBox.x1}, y ${edit.changedBox.y0} to ${edit.changedBox.y1}`
      : "nothing changed",
  );
  if (edit.kind !== "compose")
    fact(facts, "Seed / steps / mode", `${edit.seed} / ${edit.steps} / ${edit.mode}`);
  for (const [term, value] of extraFacts) fact(facts, term, value);
  fact(facts, "Model bundle", edit.bundleId);
  fact(facts, "Edit id", edit.id);
  showTimings(edit, serverTiming);

  const downloads = $("downloads");
  downloads.replaceChildren();
  for (const [name, blob] of Object.entries(blobs)) {
    const li = document.createElement("li");
    li.append(downloadLink(urlOf(blob), `${edit.id}-${name}.${extensionOf(blob)}`, `Download ${name}`));
    downloads.append(li);
  }
  $("result").hidden = false;
}

/** The slider and opacity controls (wired once). */
export function wireControls() {
  const after = $("after");
  const slider = $("slider");
  const setSplit = () => {
    after.style.clipPath = `inset(0 0 0 ${slider.value}%)`;
  };
  slider.addEventListener("input", setSplit);
  setSplit();
  const mask = $("mask-overlay");
  const opacity = $("mask-opacity");
  const setOpacity = () => {
    mask.style.opacity = String(opacity.value / 100);
  };
  opacity.addEventListener("input", setOpacity);
  setOpacity();
  const attention = $("attention-overlay");
  const attentionOpacity = $("attention-opacity");
  const setAttentionOpacity = () => {
    attention.style.opacity = String(attentionOpacity.value / 100);
  };
  attentionOpacity.addEventListener("input", setAttentionOpacity);
  setAttentionOpacity();
  $("show-box").addEventListener("change", (event) => {
    const box = $("changed-box");
    box.hidden = box.dataset.present !== "yes" || !event.target.checked;
  });
}
