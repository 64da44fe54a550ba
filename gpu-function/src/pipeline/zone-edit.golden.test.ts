// Golden outputs of zoneEdit on the fixture bundle: for fixed seeds and a few configurations, the
// sha256 of every image's raw pixel bytes and the meta without its timings, as recorded in
// zone-edit.goldens.json with the PIPELINE_VERSION that computed them. Any change fails: when it
// is intended, bump PIPELINE_REVISION (shared/src/pipeline-version.ts) and regenerate with
//   UPDATE_GOLDENS=1 npx vitest run gpu-function/src/pipeline/zone-edit.golden.test.ts
// Regenerating refuses to overwrite changed outputs while PIPELINE_VERSION is the recorded one.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { PIPELINE_VERSION } from "@zone/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticScene } from "../demo/synthetic-scene.ts";
import { openBundle, resolveBundleDir } from "../runtime/bundle/bundle.ts";
import { type EditParams, type EditResult, zoneEdit } from "./zone-edit.ts";
import { loadZoneModels, releaseZoneModels, type ZoneModels } from "./zone-models.ts";

const GOLDENS = new URL("./zone-edit.goldens.json", import.meta.url);
const UPDATE = process.env.UPDATE_GOLDENS === "1";
const REGENERATE = "UPDATE_GOLDENS=1 npx vitest run gpu-function/src/pipeline/zone-edit.golden.test.ts";

type Params = Partial<EditParams> & { instruction: string };
const CONFIGS: Record<string, Params> = {
  change: { instruction: "make the ball blue" },
  remove: { instruction: "remove the ball", seed: 7 },
  fast: { instruction: "make the ball blue", mode: "fast" },
  guided: { instruction: "turn the ball into a melon", sam: "guided", seed: 3 },
  samOff: { instruction: "make the ball blue", sam: "off" },
  // Options that reach deeper stages: each trajectory's own ancestral noise, the grey difference.
  eulerAncestral: { instruction: "make the ball blue", scheduler: "euler-ancestral", sam: "off", steps: 6 },
  luma: { instruction: "make the ball blue", channels: "luma", sam: "off" },
  // The authors' release reproduced (release-fidelity.ts), and the enlarging option.
  release: { instruction: "make the ball blue", fidelity: "release", sam: "off" },
  enlarge: { instruction: "make the ball blue", enlarge: true, sam: "off" },
};

interface Golden {
  images: Record<string, string>;
  meta: unknown;
}
interface GoldenFile {
  pipelineVersion: string;
  image: string;
  outputs: Record<string, Golden>;
}

const IMAGE = { width: 150, height: 100, seed: 7 };
const original = syntheticScene(IMAGE.width, IMAGE.height, IMAGE.seed).image;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** What a golden pins: "WxH sha256" of each image's raw bytes, and the meta without timings. */
function golden(edit: EditResult): Golden {
  const images: Record<string, { width: number; height: number; data: Uint8Array }> = {
    result: edit.result,
    layer: edit.layer,
    canvas: edit.canvas,
    attention: edit.attention,
    ...Object.fromEntries(Object.entries(edit.masks).map(([name, mask]) => [`mask-${name}`, mask])),
  };
  const { timingsMs: _t, stepMs: _s, segment, ...meta } = edit.meta;
  const { timingsMs: _st, ...segmentMeta } = segment ?? { timingsMs: null };
  return {
    images: Object.fromEntries(
      Object.entries(images).map(([name, i]) => [name, `${i.width}x${i.height} ${sha256(i.data)}`]),
    ),
    meta: JSON.parse(JSON.stringify({ ...meta, segment: segment ? segmentMeta : null })),
  };
}

function readGoldens(): GoldenFile | null {
  try {
    return JSON.parse(readFileSync(GOLDENS, "utf8")) as GoldenFile;
  } catch {
    return null;
  }
}

function howToUpdate(recorded: string | undefined): string {
  return recorded === PIPELINE_VERSION
    ? `the outputs changed but PIPELINE_VERSION is still ${recorded}, the version these goldens were recorded at: ` +
        `the revision must be bumped. If the change is intended, bump PIPELINE_REVISION in ` +
        `shared/src/pipeline-version.ts, then regenerate with ${REGENERATE}`
    : `PIPELINE_VERSION is ${PIPELINE_VERSION}, the goldens were recorded at ${recorded ?? "(none)"}: ` +
        `regenerate them with ${REGENERATE}`;
}

let models: ZoneModels;
const computed: Record<string, Golden> = {};
beforeAll(async () => {
  const { dir, fixtures } = await resolveBundleDir("fixtures");
  models = await loadZoneModels(await openBundle(dir, fixtures));
  for (const [name, params] of Object.entries(CONFIGS))
    computed[name] = golden(await zoneEdit(models, original, params));
}, 120_000);
afterAll(async () => releaseZoneModels(models));

describe.runIf(UPDATE)("zoneEdit golden outputs: regenerating", () => {
  it("writes zone-edit.goldens.json, unless outputs changed under the recorded version", () => {
    const recorded = readGoldens();
    const changed = recorded !== null && JSON.stringify(recorded.outputs) !== JSON.stringify(computed);
    if (changed && recorded.pipelineVersion === PIPELINE_VERSION) {
      throw new Error(`not regenerating the goldens: ${howToUpdate(recorded.pipelineVersion)}`);
    }
    const file: GoldenFile = {
      pipelineVersion: PIPELINE_VERSION,
      image: `syntheticScene(${IMAGE.width}, ${IMAGE.height}, ${IMAGE.seed})`,
      outputs: computed,
    };
    writeFileSync(GOLDENS, `${JSON.stringify(file, null, 2)}\n`);
  });
});

describe.skipIf(UPDATE)("zoneEdit golden outputs (fixture bundle)", () => {
  const recorded = readGoldens();

  it("were recorded at the current PIPELINE_VERSION, for every configuration", () => {
    expect(recorded, `no goldens at ${GOLDENS.pathname}: ${REGENERATE}`).not.toBeNull();
    expect(Object.keys(recorded?.outputs ?? {}).sort(), howToUpdate(recorded?.pipelineVersion)).toEqual(
      Object.keys(CONFIGS).sort(),
    );
    expect(recorded?.pipelineVersion, howToUpdate(recorded?.pipelineVersion)).toBe(PIPELINE_VERSION);
  });

  it.each(Object.keys(CONFIGS))("%s: every image and the meta are as recorded", (name) => {
    const want = recorded?.outputs[name];
    const message = `${name}: ${howToUpdate(recorded?.pipelineVersion)}`;
    expect(computed[name].images, message).toEqual(want?.images);
    expect(computed[name].meta, message).toEqual(want?.meta);
  });

  it("are deterministic: the same configuration twice gives the same outputs", async () => {
    expect(golden(await zoneEdit(models, original, CONFIGS.samOff))).toEqual(computed.samOff);
  });
});
