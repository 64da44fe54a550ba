// Edit a photo with the typed client and save the result, its RGBA layer and its mask:
//   ZONE_API_KEY=ze_live_... npx node gateway/client/examples/edit.ts photo.png "make the cat black" [out-dir]
// ZONE_API_URL defaults to the local stack (`npm start`).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { createZoneClient, ZoneApiError } from "@zone/client";

const [photo, instruction, outDir = "out/client-example"] = process.argv.slice(2);
if (!photo || !instruction || !process.env.ZONE_API_KEY) {
  process.stderr.write(
    'usage: ZONE_API_KEY=ze_... npx node gateway/client/examples/edit.ts PHOTO "INSTRUCTION" [OUT]\n',
  );
  process.exit(2);
}

const client = createZoneClient({
  baseUrl: process.env.ZONE_API_URL ?? "http://127.0.0.1:8787",
  apiKey: process.env.ZONE_API_KEY,
});

try {
  // An Idempotency-Key is sent for you, and kept when a 429 or 503 is retried.
  const { edit, cache } = await client.createEdit({
    image: readFileSync(photo),
    filename: basename(photo),
    instruction,
  });
  mkdirSync(outDir, { recursive: true });
  for (const name of ["result", "layer", "mask"] as const) {
    const { bytes, contentType } = await client.downloadArtifact(edit, name);
    const file = join(outDir, `${name}.${contentType.split("/")[1]}`);
    writeFileSync(file, bytes);
    process.stdout.write(`${file}\n`);
  }
  process.stdout.write(
    `${edit.id}: ${cache}, ${edit.changedPixels} pixels changed in ${JSON.stringify(edit.changedBox)}\n`,
  );
} catch (error) {
  if (!(error instanceof ZoneApiError)) throw error;
  process.stderr.write(`refused: ${error.status} ${error.code}: ${error.message}\n`);
  process.exit(1);
}
