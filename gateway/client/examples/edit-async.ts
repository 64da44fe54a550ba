// An async edit with the typed client: submitted with Prefer: respond-async, followed to its end
// (each state and denoising step it is seen in, on stderr), then its result saved:
//   ZONE_API_KEY=ze_live_... npx node gateway/client/examples/edit-async.ts photo.png "make the cat black" [out-dir]
// ZONE_API_URL defaults to the local stack (`npm start`).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { createZoneClient, ZoneApiError } from "@zone/client";

const [photo, instruction, outDir = "out/client-example-async"] = process.argv.slice(2);
if (!photo || !instruction || !process.env.ZONE_API_KEY) {
  process.stderr.write(
    'usage: ZONE_API_KEY=ze_... npx node gateway/client/examples/edit-async.ts PHOTO "INSTRUCTION" [OUT]\n',
  );
  process.exit(2);
}

const client = createZoneClient({
  baseUrl: process.env.ZONE_API_URL ?? "http://127.0.0.1:8787",
  apiKey: process.env.ZONE_API_KEY,
});

try {
  // 202 with the job at once (a cache hit answers the edit itself); the gateway cancels it,
  // unbilled, if it has not finished in 5 minutes (at most the longest an edit may run).
  const answer = await client.createEdit(
    { image: readFileSync(photo), filename: basename(photo), instruction },
    { respondAsync: true, cancelAfterSeconds: 300 },
  );
  const edit =
    answer.kind === "edit"
      ? answer.edit
      : await client.waitForEdit(answer.job, {
          timeoutMs: 15 * 60_000,
          onProgress: ({ status, stage, step, steps }) =>
            process.stderr.write(`${status} ${stage ?? ""} ${step === null ? "" : `${step}/${steps}`}\n`),
        });
  const { bytes, contentType } = await client.downloadArtifact(edit, "result");
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `result.${contentType.split("/")[1]}`);
  writeFileSync(file, bytes);
  process.stdout.write(`${file}\n${edit.id}: ${edit.cache}, ${edit.changedPixels} pixels changed\n`);
} catch (error) {
  // A refusal, or the job failed or was canceled (error.job is the job then).
  if (!(error instanceof ZoneApiError)) throw error;
  process.stderr.write(
    `${error.job ? `${error.job.status}` : "refused"}: ${error.status} ${error.code}: ${error.message}\n`,
  );
  process.exit(1);
}
