// `zone tokenize`: CLIP's token ids for an instruction, as the text encoder receives them, to
// check the tokenizer against the Python pipeline by hand or in scripts.
import { ClipTokenizer } from "../runtime/tokenizer/clip-tokenizer.ts";
import { type CliIo, CliUsageError } from "./io.ts";
import { parseCommandLine, required } from "./parse.ts";

export const TOKENIZE_USAGE = `Usage: zone tokenize --tokenizer DIR "instruction"

Prints the 77 CLIP token ids of an instruction as one JSON array: <|startoftext|> (49406), the
BPE ids of the cleaned, lower-cased text (at most 75), <|endoftext|> (49407), padding (49407).

  --tokenizer DIR     a CLIP tokenizer folder holding vocab.json and merges.txt
  -h, --help          this text

Put -- before a text that starts with "-".
`;

const OPTIONS = {
  tokenizer: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

export async function runTokenize(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine("tokenize", args, OPTIONS, true);
  if (values.help) {
    io.stdout(TOKENIZE_USAGE);
    return 0;
  }
  const dir = required("tokenize", "--tokenizer", values.tokenizer);
  if (positionals.length !== 1) {
    throw new CliUsageError(
      `tokenize: expected exactly one text argument, got ${positionals.length} (quote the instruction)`,
    );
  }
  const tokenizer = await ClipTokenizer.fromFolder(dir);
  io.stdout(`${JSON.stringify(Array.from(tokenizer.encode(positionals[0])))}\n`);
  return 0;
}
