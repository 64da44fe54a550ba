// An edit's attention heatmap and canvas as parts of the GPU answer (asked for in `outputs`): PNG
// at the working resolution with the padding cropped off, the pipeline's own images; a compose has
// none; the default outputs stay result, layer and mask.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editForm, fixtureModelsOnce, postEdit, startTestService } from "../../test/service-support.ts";
import { syntheticScene } from "../demo/synthetic-scene.ts";
import { decodeImage, encodePng } from "../image/io.ts";
import { cropContent } from "../image/working-frame.ts";
import { workingResolution } from "../image/working-resolution.ts";
import { zoneEdit } from "../pipeline/zone-edit.ts";

const models = fixtureModelsOnce();
const scene = syntheticScene(64, 48);
let service: Awaited<ReturnType<typeof startTestService>>;
let png: Buffer;

beforeAll(async () => {
  service = await startTestService({ maxPixels: 100 * 100 }, { loadModels: models });
  png = await encodePng(scene.image);
  await service.ready;
}, 120_000);
afterAll(async () => {
  await service?.stop();
});

describe("attention and canvas parts", () => {
  it("sends them when asked, cropped to the original's content in the working frame", async () => {
    const params = { instruction: "make the ball blue", steps: 1 };
    const res = await postEdit(
      service,
      editForm(png, { ...params, outputs: ["result", "attention", "canvas"] }),
    );
    expect(res.status).toBe(200);
    const form = await res.formData();
    expect([...form.keys()]).toEqual(["result", "attention", "canvas", "meta"]);
    expect(JSON.parse(await (form.get("meta") as Blob).text()).outputs).toEqual([
      "result",
      "attention",
      "canvas",
    ]);
    const part = async (name: string) =>
      decodeImage(new Uint8Array(await (form.get(name) as Blob).arrayBuffer()));
    const [attention, canvas] = await Promise.all([part("attention"), part("canvas")]);
    // 64 x 48 works in a 64 x 64 frame (8 rows of padding above and below): the parts are 64 x 48.
    const work = workingResolution(64, 48);
    expect(work.height).toBe(64);
    expect([canvas.width, canvas.height, attention.width, attention.height]).toEqual([64, 48, 64, 48]);
    const { models: m } = await models();
    const edit = await zoneEdit(m, scene.image, params);
    expect(Buffer.from(canvas.data).equals(Buffer.from(cropContent(edit.canvas, work.content, 3).data))).toBe(
      true,
    );
    expect(
      Buffer.from(attention.data).equals(Buffer.from(cropContent(edit.attention, work.content, 3).data)),
    ).toBe(true);
  }, 120_000);

  it("keeps the default outputs to result, layer and mask", async () => {
    const res = await postEdit(service, editForm(png, { instruction: "make the ball blue", steps: 1 }));
    expect([...(await res.formData()).keys()]).toEqual(["result", "layer", "mask", "meta"]);
  }, 120_000);
});
