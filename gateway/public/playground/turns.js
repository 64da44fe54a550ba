// Multi-turn (GET /v1/edits/{id}/stack, POST /v1/edits/{id}/render): after an edit, the chain from
// the upload to it, each turn with its instruction, result thumbnail and changed box, a button to
// continue from it (the next POST /v1/edits sends `parent` = its id instead of a photo) and, for
// every turn but the last, an undo to it: the later turns' layers left out and the rest laid over
// the original again (free, CPU only). The rendered image is shown with whether it is that turn's
// result byte for byte (it is, for an undo: the API guarantees it).
import { artifact, editStack, renderChain } from "./api.js";
import { downloadLink, extensionOf } from "./view.js";

const $ = (id) => document.getElementById(id);

/** SHA-256 of a blob, as hex. */
export async function sha256Hex(blob) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const boxText = (box) => (box ? `x ${box.x0} to ${box.x1}, y ${box.y0} to ${box.y1}` : "nothing changed");

export const turnsPanel = {
  name: "turns",
  requires: ["/v1/edits/{id}/stack", "/v1/edits/{id}/render"],
  mount(_document, context) {
    /** Result blobs by edit id (a turn's result never changes), and this panel's object URLs. */
    const results = new Map();
    const urls = [];
    const urlOf = (blob) => {
      const url = URL.createObjectURL(blob);
      urls.push(url);
      return url;
    };
    const resultOf = async (turn) => {
      if (!results.has(turn.id)) results.set(turn.id, await artifact(turn.links.result));
      return results.get(turn.id);
    };

    async function undoTo(stack, k) {
      const last = stack.turns.at(-1);
      const later = stack.turns.slice(k).map((turn) => turn.id);
      const caption = $("render-caption");
      caption.textContent = `Rendering without turn ${later.length === 1 ? k + 1 : `${k + 1} to ${stack.turns.length}`}...`;
      try {
        const [rendered, target] = await Promise.all([
          renderChain(last.id, later),
          resultOf(stack.turns[k - 1]),
        ]);
        const image = $("render-image");
        image.src = urlOf(rendered.blob);
        await image.decode();
        $("render-download").replaceChildren(
          downloadLink(
            image.src,
            `${last.id}-undone-to-turn-${k}.${extensionOf(rendered.blob)}`,
            "Download this image",
          ),
        );
        const same = (await sha256Hex(rendered.blob)) === (await sha256Hex(target));
        caption.textContent =
          `Undone to turn ${k}: the layers of turns ${rendered.turns} laid over the original (free, no diffusion). ` +
          (same
            ? `Byte for byte the result of turn ${k}.`
            : `Not byte for byte the result of turn ${k} (the API promises it is: please report this).`);
        image.dataset.sameAsTurn = same ? String(k) : "";
        $("render").hidden = false;
      } catch (error) {
        caption.textContent = "";
        context.showProblem(error);
      }
    }

    function turnItem(stack, turn, blob) {
      const li = document.createElement("li");
      li.dataset.id = turn.id;
      const image = document.createElement("img");
      image.className = "thumb";
      image.src = urlOf(blob);
      image.alt = `Turn ${turn.turn}'s result`;
      const text = document.createElement("p");
      const title = document.createElement("strong");
      title.textContent = `Turn ${turn.turn}: ${turn.instruction}`;
      const details = document.createElement("span");
      details.className = "muted";
      details.textContent = ` (${turn.action}; changed ${turn.changedPixels} pixels, ${boxText(turn.changedBox)}; ${turn.id})`;
      text.append(title, details);
      const actions = document.createElement("div");
      actions.className = "row";
      const next = document.createElement("button");
      next.type = "button";
      next.className = "continue";
      next.textContent = `Continue from turn ${turn.turn}`;
      next.addEventListener("click", () => context.continueFrom(turn, blob));
      actions.append(next);
      if (turn.turn < stack.turns.length) {
        const undo = document.createElement("button");
        undo.type = "button";
        undo.className = "undo";
        undo.textContent = `Undo to turn ${turn.turn}`;
        undo.addEventListener("click", () => undoTo(stack, turn.turn));
        actions.append(undo);
      }
      li.append(image, text, actions);
      return li;
    }

    context.onShown(async ({ edit }) => {
      for (const url of urls.splice(0)) URL.revokeObjectURL(url);
      $("render").hidden = true;
      $("render-caption").textContent = "";
      const list = $("turn-list");
      list.replaceChildren();
      delete list.dataset.for;
      delete list.dataset.shown;
      // A compose is not a turn of a chain: it has no stack.
      $("turns").hidden = edit.kind === "compose";
      if (edit.kind === "compose") return;
      try {
        const stack = await editStack(edit.id);
        const blobs = await Promise.all(stack.turns.map(resultOf));
        const original = document.createElement("li");
        original.className = "original";
        const image = document.createElement("img");
        image.className = "thumb";
        image.src = urlOf(await artifact(stack.original.link));
        image.alt = "The original upload";
        const text = document.createElement("p");
        text.textContent = `The original upload (${stack.original.width} x ${stack.original.height})`;
        original.append(image, text);
        list.append(original, ...stack.turns.map((turn, i) => turnItem(stack, turn, blobs[i])));
        list.dataset.for = stack.id;
        list.dataset.shown = edit.id;
      } catch (error) {
        context.showProblem(error);
      }
    });
  },
};
