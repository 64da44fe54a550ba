// Instruction text cleaning: the one normal form of an instruction. The gateway cleans once at its
// boundary and everything after it (cache key, GPU function, tokenizer, the meta shown to the
// user) sees that exact string; `zoneEdit` cleans at its own boundary for the CLI. The rule is a
// fixed point, clean(clean(x)) === clean(x), so cleaning again anywhere changes nothing.
//
// One round mirrors CLIP's `basic_clean` + `whitespace_clean` + `.lower()` (openai/CLIP
// simple_tokenizer): HTML unescape twice, whitespace runs to one space, trimmed, lower-cased.
// CLIP's round is not idempotent ("&amp;amp;lt;3" -> "&lt;3" -> "<3"), so rounds repeat until the
// text stops changing: an instruction escaped three or more times reads as its plain text, where
// CLIP would leave one level of escaping in. C0 and C1 control characters (NUL, ESC of ANSI
// colour codes, DEL, ...) are removed first; tab, line breaks and NEL count as whitespace.
// CLIP also runs ftfy.fix_text first; we do not. Unicode NFC normalisation (ftfy's last step)
// covers the common cases; what ftfy would change beyond that (curly quotes to straight ones,
// fullwidth letters, ligatures such as "ﬁ", mojibake) is kept as typed.
import { unescapeHtml } from "./html-unescape.ts";

/** An instruction in its normal form: only `cleanInstruction` makes one. */
export type CleanInstruction = string & { readonly __cleanInstruction: unique symbol };

// Python's `regex` module (which CLIP imports as `re`) matches `\s` as Unicode White_Space.
const WHITESPACE_RUN = /\p{White_Space}+/gu;
// Python's str.strip() removes str.isspace() characters: White_Space plus U+001C..U+001F.
// biome-ignore lint/suspicious/noControlCharactersInRegex: those separators count as space there
const EDGE_SPACE = /^[\p{White_Space}\u001c-\u001f]+|[\p{White_Space}\u001c-\u001f]+$/gu;
// C0 and C1 controls and DEL, except those that are White_Space (tab, LF, VT, FF, CR, NEL) and the
// separators U+001C..U+001F (Python's strip treats them as space; removed here like the others).
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/gu;

/** Rounds after which a still-changing text is taken as it is (real text settles in 2 or 3). */
const MAX_ROUNDS = 16;

function cleanRound(text: string): string {
  const unescaped = unescapeHtml(unescapeHtml(text.normalize("NFC").replace(CONTROL, "")));
  // Controls a reference produced ("&#x1b;") go in the next round: the rounds repeat until stable.
  return unescaped.replace(WHITESPACE_RUN, " ").replace(EDGE_SPACE, "").toLowerCase();
}

export function cleanInstruction(text: string): CleanInstruction {
  let current = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = cleanRound(current);
    if (next === current) break;
    current = next;
  }
  return current as CleanInstruction;
}
