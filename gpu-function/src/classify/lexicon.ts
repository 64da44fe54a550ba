// A deterministic, model-free action classifier: ordered verb/phrase rules over the normalised
// instruction. ZONE (CVPR 2024) uses an MLP over CLIP embeddings; this lexicon is the fallback
// that needs no weights. The action only picks a blending weight and which image is segmented
// (add: the edited one, remove: the original, change: either), so a rule's question is always
// "does the edited object exist before, after, or in both images?".
//
// Rules are data, tried top to bottom; the first match wins. Priority, and why:
//   1. unambiguous removals that would otherwise look like a change ("make the boat disappear
//      into the fog", "replace the hat with nothing");
//   2. change structures that contain an add/remove verb: "replace/swap X with/for Y",
//      "X instead of Y", "turn/change/convert X into/to Y", an attribute rather than an object
//      ("remove the color", "add blur", "give the photo a vintage look": the object stays in
//      both images, only its appearance changes), and "remove X and add Y" (a swap);
//   3. remove verbs and phrases ("take off his hat" lands here, before "put on" can);
//   4. add verbs and phrases ("give him glasses", "put on a hat", "wearing a hat");
//   5. explicit change verbs (turn, make, color, paint, ...), only to name a cue;
//   6. nothing matched: change, with cue null.
import type { EditAction } from "@zone/shared";

export interface LexiconRule {
  action: EditAction;
  /** "<action>:<phrase>", reported as the classification's cue. */
  cue: string;
  pattern: RegExp;
}

export interface LexiconResult {
  action: EditAction;
  /** The rule that fired, or null when nothing matched and the action defaulted to change. */
  cue: string | null;
}

const rule = (action: EditAction, phrase: string, pattern: RegExp): LexiconRule => ({
  action,
  cue: `${action}:${phrase}`,
  pattern,
});

/** Appearance attributes: adding, giving or removing one changes an object, it adds none. */
const ATTRIBUTES =
  "colou?rs?|saturation|tint|hue|contrast|brightness|lighting|blur|noise|grain|glow|filter|" +
  "texture|tone|look|style|vibe|feel|finish|makeover|appearance|effect|tan|haircut|sepia";

/** Things one wears; "wearing <one of these>" adds it ("wearing striped" does not). */
const WEARABLES =
  "a|an|some|glasses|sunglasses|goggles|earrings|gloves|boots|shoes|headphones|jewelry|" +
  "jewellery|makeup|lipstick|sneakers|pearls";

const CHANGE_VERBS = [
  "turn",
  "make",
  "change",
  "convert",
  "transform",
  "color",
  "colour",
  "recolor",
  "recolour",
  "paint",
  "dye",
  "tint",
  "restyle",
];

export const LEXICON_RULES: ReadonlyArray<LexiconRule> = [
  // 1. Removals that outrank the change structures.
  rule("remove", "disappear", /\b(?:disappear\w*|vanish\w*|go away|invisible)\b/),
  rule("remove", "with nothing", /\bwith nothing\b/),

  // 2. Change structures that contain add/remove words.
  rule("change", "replace", /\b(?:replac\w*|swap\w*|substitut\w*|exchang\w*)\b/),
  rule("change", "instead of", /\b(?:instead of|rather than)\b/),
  rule("change", "turn into", /\b(?:turn|transform|convert|chang|morph)\w* (?:.+ )?(?:into|to)\b/),
  rule(
    "change",
    "attribute",
    new RegExp(`\\b(?:add\\w*|giv\\w*|remov\\w*|strip|drain)\\b.*\\b(?:${ATTRIBUTES})\\b`),
  ),
  rule("change", "in a style", /\bin (?:the |a |an )?(?:[\w-]+ )?style\b/),
  rule(
    "change",
    "remove and add",
    /\b(?:remov\w*|delet\w*|eras\w*|take off|take away|get rid of)\b.* and .*\b(?:add|put|place|insert|give)\b/,
  ),

  // 3. Remove.
  rule("remove", "remove", /\bremov\w*/),
  rule("remove", "delete", /\bdelet\w*/),
  rule("remove", "erase", /\beras(?:e|es|ed|ing)\b/),
  rule("remove", "get rid of", /\brid of\b/),
  rule("remove", "take away/out/off", /\b(?:take|takes|taking|took) (?:.+ )?(?:away|out|off)\b/),
  rule("remove", "without", /\bwithout\b/),
  rule("remove", "eliminate", /\beliminat\w*/),
  rule("remove", "clear ... of", /^clear\b|\bclear\w* (?:.+ )?of\b/),
  rule("remove", "no more", /\bno (?:more|longer)\b/),
  rule("remove", "no", /^no\b/),
  rule("remove", "-free", /\b\w+-free\b/),
  rule("remove", "out of the picture", /\bout of (?:the )?(?:picture|photo|image|frame|shot|scene|view)\b/),
  rule(
    "remove",
    "cut/wipe out",
    /\b(?:cut|crop|edit|rub|scrub|paint|blot|wipe|clean|pull|pluck|put)\w* (?:\S+ ){0,4}?(?:out|away|off)\b/,
  ),
  rule("remove", "hide", /\bhid(?:e|es|ing)\b/),
  rule("remove", "lose", /^lose\b/),
  rule("remove", "keep only", /\b(?:leave|keep) only\b/),
  rule("remove", "empty", /^empty\b|\bempty$/),

  // 4. Add.
  rule("add", "add", /\badd(?:s|ed|ing)?\b/),
  rule("add", "put", /\bput(?:s|ting)?\b/),
  rule("add", "place", /\bplac(?:e|es|ed|ing) (?:a|an|some|the|another|two|three|several|\d+)\b/),
  rule("add", "insert", /\binsert\w*/),
  rule("add", "give", /\bgiv(?:e|es|ing)\b/),
  rule("add", "let there be", /\blet there be\b/),
  rule("add", "there be", /\bthere (?:should|must|will|could|would|can|needs to) be\b|^there (?:is|are)\b/),
  rule("add", "include", /\binclud\w*/),
  rule("add", "draw", /\bdraw(?:s|ing|n)?\b/),
  rule("add", "paint a", /\bpaint\w* (?:a|an|some)\b/),
  rule("add", "wear", new RegExp(`\\bwear(?:s|ing)? (?:${WEARABLES})\\b`)),
  rule("add", "with a ... on", /\bwith (?:a|an|some) .+ on\b/),
  rule("add", "hold", /\bhold(?:s|ing)? (?:a|an|some)\b/),
  rule("add", "show", /\bshow(?:s|ing)? (?:a|an|some)\b/),
  rule(
    "add",
    "hang/plant/attach",
    /\b(?:attach|hang|plant|introduce|mount|bring in)\w* (?:a|an|some|two|three|several|more|\d+)\b/,
  ),
  rule("add", "sprinkle/scatter", /\b(?:sprinkl|scatter)\w*/),
  rule("add", "decorate/fill with", /\b(?:decorat|fill|surround)\w* (?:.+ )?with\b/),
  rule("add", "another", /^(?:more|another|extra)\b/),

  // 5. Change verbs, named so the cue says why.
  ...CHANGE_VERBS.map((verb) => rule("change", verb, new RegExp(`\\b${verb}(?:s|ed|ing)?\\b`))),
];

/** Lower-cases, straightens quotes, drops punctuation and leading politeness, collapses space. */
export function normaliseInstruction(instruction: string): string {
  let text = instruction
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^\p{L}\p{N}'\s-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const polite = /^(?:please|pls|kindly|can you|could you|would you|now|just|also|and|then) /;
  while (polite.test(text)) text = text.replace(polite, "");
  return text;
}

/** The first matching rule's action and cue; change with cue null when none matches. */
export function classifyByLexicon(instruction: string): LexiconResult {
  const text = normaliseInstruction(instruction);
  for (const r of LEXICON_RULES) {
    if (r.pattern.test(text)) return { action: r.action, cue: r.cue };
  }
  return { action: "change", cue: null };
}
