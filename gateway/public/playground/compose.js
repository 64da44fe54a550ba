// Compose mode (POST /v1/compose): an original, another editor's output of it (any size) and an
// optional rough mask; ZONE keeps the region that editor changed and every other pixel of the
// original. Shown like an edit (result, mask overlay, layer, changed box). "Simulate another
// editor on the demo scene" makes the other editor's output in this browser (simulated-editor.js)
// and composes it in one click; on the fixture models it turns Segment Anything off, since the
// fixture SAM's segments are noise, and the difference's rough mask is then the fine mask.
import { demoScene, submitCompose } from "./api.js";
import { simulateOtherEditor } from "./simulated-editor.js";
import { downloadLink } from "./view.js";

const $ = (id) => document.getElementById(id);
const FILES = { image: "compose-image", edited: "compose-edited", rough: "compose-rough" };

export const composePanel = {
  name: "compose",
  requires: ["/v1/compose"],
  mount(_document, context) {
    /** The files to send (chosen, or made by the simulated editor) and what the page knows of them. */
    const chosen = { image: null, edited: null, rough: null };
    let simulated = null;

    const preview = (name, file) => {
      const image = $(`${FILES[name]}-preview`);
      if (image.src.startsWith("blob:")) URL.revokeObjectURL(image.src);
      image.src = URL.createObjectURL(file);
      image.closest("figure").hidden = false;
    };
    for (const [name, id] of Object.entries(FILES))
      $(id).addEventListener("change", (event) => {
        const [file] = event.target.files;
        chosen[name] = file ?? null;
        if (name === "edited") {
          simulated = null;
          $("compose-edited-caption").textContent = "The other editor's output";
          $("compose-edited-download").replaceChildren();
        }
        if (file) preview(name, file);
      });

    async function compose() {
      context.showProblem(null);
      if (chosen.image === null || chosen.edited === null)
        return context.showProblem(new Error("Choose the original and the other editor's output first."));
      const form = new FormData();
      form.append("image", chosen.image, chosen.image.name);
      form.append("edited", chosen.edited, chosen.edited.name);
      if (chosen.rough !== null) form.append("rough", chosen.rough, chosen.rough.name);
      if ($("compose-sam").value !== "") form.append("sam", $("compose-sam").value);
      // The mask at the original's size, so its overlay lies exactly on it.
      form.append("maskSize", "original");
      const extra =
        simulated === null
          ? []
          : [
              [
                "Pixels the other editor changed",
                `${simulated.changedPixels} of ${simulated.pixels} (the result differs from the original only in the changed pixels above)`,
              ],
            ];
      await context.run("Composing", () => submitCompose(form), chosen.image, extra);
    }

    $("compose-form").addEventListener("submit", (event) => {
      event.preventDefault();
      compose();
    });
    $("compose-demo").addEventListener("click", async () => {
      try {
        context.showProblem(null);
        const original = await demoScene();
        simulated = await simulateOtherEditor(original);
        chosen.image = original;
        chosen.edited = simulated.file;
        chosen.rough = null;
        for (const id of Object.values(FILES)) $(id).value = "";
        preview("image", original);
        preview("edited", simulated.file);
        $("compose-edited-caption").textContent =
          `A simulated other editor: the red ball turned blue, and ${simulated.changedPixels} of ${simulated.pixels} pixels changed`;
        const download = $("compose-edited-download");
        const previous = download.querySelector("a");
        if (previous !== null) URL.revokeObjectURL(previous.href);
        download.replaceChildren(
          downloadLink(
            URL.createObjectURL(simulated.file),
            simulated.file.name,
            "Download the simulated output",
          ),
        );
        if (context.fixtures) $("compose-sam").value = "off";
        await compose();
      } catch (error) {
        context.showProblem(error);
      }
    });
    $("mode-switch").hidden = false;
  },
};
