// The `zone` command line: dispatches subcommands and owns the CLI's one error path: a usage
// error or a ZoneError is one line on stderr and a non-zero exit, never a stack trace (set
// ZONE_DEBUG=1 to see one).
import { ZoneError } from "@zone/shared";
import { runClassify } from "./classify-command.ts";
import { runCompose } from "./compose-command.ts";
import { runDemo } from "./demo-command.ts";
import { runEdit } from "./edit-command.ts";
import { type CliIo, CliUsageError } from "./io.ts";
import { runModels } from "./models-command.ts";
import { runSegment } from "./segment-command.ts";
import { runServe } from "./serve-command.ts";
import { runTokenize } from "./tokenize-command.ts";

const COMMANDS: Record<string, { summary: string; run: (args: string[], io: CliIo) => Promise<number> }> = {
  edit: { summary: "edit one region of a photo from an instruction (the whole pipeline)", run: runEdit },
  compose: { summary: "turn an editor's output into a local edit of the original", run: runCompose },
  demo: { summary: "run compose on an embedded default picture", run: runDemo },
  classify: { summary: "classify an instruction as change, add or remove", run: runClassify },
  tokenize: { summary: "print the 77 CLIP token ids of a text", run: runTokenize },
  models: { summary: "verify a model bundle against its manifest", run: runModels },
  segment: { summary: "Segment Anything's automatic masks for an image", run: runSegment },
  serve: { summary: "run the GPU HTTP service (POST /v1/edit, /healthz, /readyz, /metrics)", run: runServe },
};

export const USAGE = `Usage: zone <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Run \`zone <command> --help\` for a command's options.
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined)
      throw new CliUsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(", ")})`);
    return await command.run(rest, io);
  } catch (error) {
    if (process.env.ZONE_DEBUG === "1" && error instanceof Error) io.stderr(`${error.stack}\n`);
    if (error instanceof CliUsageError) {
      io.stderr(`zone: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ZoneError) {
      io.stderr(`zone: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    io.stderr(`zone: internal error: ${message}\n`);
    return 1;
  }
}
