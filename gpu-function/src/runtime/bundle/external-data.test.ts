// A bundle whose text encoder keeps its weights in an external data file, as every full-size UNet
// and SAM encoder does (over protobuf's 2 GB): the runtime checks that file against SHA256SUMS,
// and ONNX Runtime loads it from beside the graph.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { withExternalData } from "../../../test/external-data.ts";
import { ModelSession } from "../onnx-runtime.ts";
import { openBundle, resolveBundleDir } from "./bundle.ts";
import { SUMS_FILE } from "./bundle-sums.ts";
import { sha256Bytes, sha256File } from "./file-hash.ts";
import { readOnnxGraphFile } from "./onnx-graph-file.ts";
import { verifyBundle } from "./verify-bundle.ts";

const DATA = "textEncoder.onnx.data";
let dir: string;

async function writeSums(entries: Record<string, string>) {
  await writeFile(
    join(dir, SUMS_FILE),
    Object.entries(entries)
      .map(([path, digest]) => `${digest}  ${path}\n`)
      .join(""),
  );
}

beforeEach(async () => {
  const fixtures = (await resolveBundleDir("fixtures")).dir;
  dir = await mkdtemp(join(tmpdir(), "zone-external-"));
  const manifest = JSON.parse(await readFile(join(fixtures, "manifest.json"), "utf8"));
  for (const entry of Object.values(manifest.models) as Array<{ file: string }>)
    await copyFile(join(fixtures, entry.file), join(dir, entry.file));
  await mkdir(join(dir, "tokenizer"));
  await mkdir(join(dir, "scheduler"));
  for (const file of ["tokenizer/vocab.json", "tokenizer/merges.txt", manifest.scheduler.config])
    await copyFile(join(fixtures, file), join(dir, file));
  const { graph, data } = withExternalData(await readFile(join(fixtures, "textEncoder.onnx")), DATA);
  await writeFile(join(dir, "textEncoder.onnx"), graph);
  await writeFile(join(dir, DATA), data);
  manifest.models.textEncoder.sha256 = sha256Bytes(graph);
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
  await writeSums({ [DATA]: sha256Bytes(data) });
});

const textEncoderCheck = async () =>
  (await verifyBundle(await openBundle(dir))).find((check) => check.role === "textEncoder");

describe("external weight data", () => {
  it("is named by the graph, and ONNX Runtime loads it from beside the graph", async () => {
    expect((await readOnnxGraphFile(join(dir, "textEncoder.onnx"), "textEncoder")).externalData).toEqual([
      DATA,
    ]);
    const bundle = await openBundle(dir);
    const fixtures = await openBundle((await resolveBundleDir("fixtures")).dir, true);
    const entry = bundle.manifest.models.textEncoder;
    const ids = {
      dtype: "int32" as const,
      data: Int32Array.from({ length: 77 }, (_, i) => (i * 7) % 97),
      dims: [1, 77],
    };
    const run = async (where: string) =>
      (
        await ModelSession.create("textEncoder", join(where, "textEncoder.onnx"), entry, {
          providers: ["cpu"],
        })
      ).run({
        input_ids: ids,
      });
    const [outside, inside] = [await run(dir), await run(fixtures.dir)];
    for (const name of Object.keys(inside)) expect(outside[name].data).toEqual(inside[name].data);
  });

  it("passes when SHA256SUMS lists it with its digest", async () => {
    expect(await textEncoderCheck()).toMatchObject({ ok: true, problems: [] });
  });

  it("fails when one byte of the weights changed", async () => {
    const data = await readFile(join(dir, DATA));
    data[data.length >> 1] ^= 0xff;
    await writeFile(join(dir, DATA), data);
    const check = await textEncoderCheck();
    expect(check?.ok).toBe(false);
    expect(check?.problems).toHaveLength(1);
    expect(check?.problems[0]).toContain(`sha256 ${await sha256File(join(dir, DATA))},`);
    expect(check?.problems[0]).toMatch(
      new RegExp(`^external data ${DATA}: sha256 [0-9a-f]{64}, SHA256SUMS says [0-9a-f]{64}$`),
    );
  });

  it("fails when nothing vouches for it: no SHA256SUMS, or not listed there", async () => {
    await rm(join(dir, SUMS_FILE));
    expect((await textEncoderCheck())?.problems).toEqual([
      `external data ${DATA} cannot be checked: the bundle has no ${SUMS_FILE}`,
    ]);
    await writeSums({ "other.bin": "0".repeat(64) });
    expect((await textEncoderCheck())?.problems).toEqual([
      `external data ${DATA} is not listed in ${SUMS_FILE}`,
    ]);
  });

  it("refuses a location outside the bundle", async () => {
    const fixtures = (await resolveBundleDir("fixtures")).dir;
    const { graph } = withExternalData(
      await readFile(join(fixtures, "textEncoder.onnx")),
      "../elsewhere.data",
    );
    await writeFile(join(dir, "textEncoder.onnx"), graph);
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
    manifest.models.textEncoder.sha256 = sha256Bytes(graph);
    await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
    expect((await textEncoderCheck())?.problems).toEqual([
      "external data ../elsewhere.data is outside the bundle",
    ]);
  });
});
