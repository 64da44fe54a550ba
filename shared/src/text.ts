// Instruction text cleaning: the one normal form used both by the CLIP tokenizer and by cache
// keys, so instructions that differ only in case, spacing or HTML escaping share a cache entry.
//
// Mirrors CLIP's `basic_clean` + `whitespace_clean` + `.lower()` (openai/CLIP simple_tokenizer):
// HTML unescape twice, whitespace runs to one space, trimmed, lower-cased. CLIP also runs
// ftfy.fix_text first; we do not. Unicode NFC normalisation (ftfy's last step) covers the common
// cases; what ftfy would change beyond that (curly quotes to straight ones, fullwidth letters,
// ligatures such as "ﬁ", mojibake, control characters) is kept as typed.
import { unescapeHtml } from "./html-unescape.ts";

// Python's `regex` module (which CLIP imports as `re`) matches `\s` as Unicode White_Space.
const WHITESPACE_RUN = /\p{White_Space}+/gu;
// Python's str.strip() removes str.isspace() characters: White_Space plus U+001C..U+001F.
// biome-ignore lint/suspicious/noControlCharactersInRegex: those separators count as space there
const EDGE_SPACE = /^[\p{White_Space}\u001c-\u001f]+|[\p{White_Space}\u001c-\u001f]+$/gu;

export function cleanInstruction(text: string): string {
  const unescaped = unescapeHtml(unescapeHtml(text.normalize("NFC")));
  return unescaped.replace(WHITESPACE_RUN, " ").replace(EDGE_SPACE, "").toLowerCase();
}
