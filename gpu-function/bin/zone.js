#!/usr/bin/env node
import { processIo } from "../src/cli/io.ts";
// The `zone` CLI. Runs TypeScript directly (Node >= 22.18 strips types); `npx zone` from the
// repository root puts the project's Node 22 first on PATH.
import { main } from "../src/cli/main.ts";

process.exitCode = await main(process.argv.slice(2), processIo);
