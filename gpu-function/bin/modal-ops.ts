// `npm run modal -- status | warm --min N | smoke`: operations on the deployed GPU function with
// the Modal JS SDK (see gpu-function/src/modal-ops/).
import { processIo } from "../src/cli/io.ts";
import { runModalOps } from "../src/modal-ops/modal-ops.ts";
import { modalSdkControl } from "../src/modal-ops/modal-sdk.ts";

process.exitCode = await runModalOps(process.argv.slice(2), processIo, {
  control: modalSdkControl,
  fetch,
  env: process.env,
});
