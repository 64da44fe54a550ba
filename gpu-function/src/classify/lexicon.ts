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
  "texture|tone|look|style|vibe|feel|finish|makeover|appearance|effect|tan|haircut|sepia|" +
  "sunburn|blush|sheen|shine|gloss|polish|patina|rust|shade|hue|pattern";

/** Things one wears; "wearing <one of these>" adds it ("wearing striped" does not). */
const WEARABLES =
  "a|an|some|glasses|sunglasses|goggles|earrings|gloves|boots|shoes|headphones|jewelry|" +
  "jewellery|makeup|lipstick|sneakers|pearls";

/** Quantifiers and indefinite determiners: "<verb> a/some/two ..." introduces a new object. */
const INDEFINITE =
  "a|an|some|another|more|extra|two|three|four|five|several|few|many|lots of|a few|a pair of|a couple of|\\d+";

/**
 * Verbs of putting (a thesaurus's class of "put": place, set, lay, attach ...), of throwing and
 * of making or bringing something into being. With an indefinite object they add one ("attach a
 * bell"), with a definite one and a place ("attach the flag to the pole") too.
 */
const PUTTING_VERBS =
  "place|set|lay|position|stick|affix|attach|append|pin|tack|glue|tape|clip|fasten|hang|hook|" +
  "mount|plant|install|embed|overlay|superimpose|paste|stamp|stitch|sew|tie|strap|perch|rest|" +
  "stack|pile|park|seat|station|drape|wrap|throw|toss|drop|pour|spill|spray|splash|scatter|" +
  "sprinkle|dot|spawn|introduce|bring|slip|tuck|sneak|insert|inject|incorporate|integrate|" +
  "feature|create|generate|build|construct|grow|sprout|carry|hold|fit|equip|adorn|top|crown|" +
  "line|dress";

/** Places a put object goes to. */
const PLACES =
  "on|onto|in|into|inside|to|next to|beside|behind|above|atop|over|under|below|around|near|by|across|along";

/**
 * Verbs of removing (a thesaurus's class of "remove": delete, erase, eliminate, discard ...),
 * of destroying, and of stripping or dropping something off.
 */
const REMOVING_VERBS =
  "remov|delet|eras|eliminat|eradicat|expung|extract|omit|exclud|discard|ditch|dump|purg|" +
  "banish|obliterat|demolish|destroy|dismantl|unplug|unhook|detach|uninstall|declutter|" +
  "unclutter|dispos|evict|expel|shav|pluck|peel|strip|drop|lose|lost";

/** Endings of the removing verbs: "erased", "eliminating", "omitted" (not "striped"). */
const REMOVING_ENDINGS = "e|es|ed|ing|s|ion|ped|ping|ted|ting";

/** Particles that make a verb one of taking away: "cut down", "tear off", "knock out". */
const AWAY_PARTICLES = "away|out|off|down|apart";

/** Verbs that take a particle of taking away ("tear down the fence", "shave off the beard"). */
const PARTICLE_VERBS =
  "cut|crop|edit|rub|scrub|paint|blot|wipe|clean|pull|pluck|put|take|tear|rip|knock|chop|saw|" +
  "shave|strip|peel|break|brush|wash|sweep|blow|chase|send|throw|toss|kick|scrape|sand|clear|" +
  "cross|black|white|shoo|filter|snip|trim|lift|move|haul|tow|drive|carry";

/** Verbs of marking a surface: what they make appears ("sketch a heart", "write a name"). */
const MARKING_VERBS = "sketch|doodle|scribble|write|print|engrave|etch|tattoo|stencil|inscrib";

/** Verbs of furnishing X with Y: Y is added ("top the pizza with olives"). */
const FURNISHING_VERBS =
  "top|fit|garnish|load|stuff|furnish|equip|adorn|dot|stock|cover|populate|decorat|fill|surround|line|crowd|cram";

/** Verbs of moving something from a place, with "from" or "off": it goes ("get the car off the lawn"). */
const MOVING_AWAY_VERBS = "get|take|move|clean|wash|lift|pull|clear|brush|wipe|scrape|shake|carry|tak";

/** Modals and auxiliaries before a negated verb ("should not have", "doesn't wear"). */
const NEGATED =
  "not|no longer|doesn't|does not|don't|do not|shouldn't|should not|mustn't|must not|won't|" +
  "will not|can't|cannot|isn't|aren't|wasn't|never";

/** Words saying something is absent. */
const ABSENT =
  "free of|devoid of|absent|missing|gone|lacking|sans|minus|nobody|no one|nothing|deserted|" +
  "vacant|unoccupied|bare|uninhabited|clean of|clear of|rid of";

/** "-less" adjectives that are not appearance words ("beardless" removes, "colorless" changes). */
const NOT_ABSENCE_LESS =
  "colou?r|end|time|care|harm|wire|use|mind|worth|count|life|motion|flaw|seam|help|hope|price|un|spot";

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

  // 3. Remove. Throwing or dropping a new object in adds it ("drop a coin in the fountain").
  rule("add", "throw/drop a", new RegExp(`\\b(?:throw|toss|drop|dump|pour)\\w* (?:${INDEFINITE})\\b`)),
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
  // Word classes and constructions of removal without the word "remove".
  rule(
    "remove",
    "removing verb",
    new RegExp(`\\b(?!striped\\b)(?:${REMOVING_VERBS})(?:${REMOVING_ENDINGS})?\\b`),
  ),
  rule(
    "remove",
    "verb + away/off/down",
    new RegExp(`\\b(?:${PARTICLE_VERBS})\\w* (?:\\S+ ){0,4}?(?:${AWAY_PARTICLES})\\b`),
  ),
  rule(
    "remove",
    "move ... from/off",
    new RegExp(
      `\\b(?:${MOVING_AWAY_VERBS})\\w* (?:\\S+ ){1,4}?(?:from|off) (?:of )?(?:the|his|her|its|their|my|a|an)\\b`,
    ),
  ),
  rule("remove", "do away with", /\b(?:do|did|does|doing) away with\b|\bdispose of\b/),
  rule(
    "remove",
    "there should be no",
    /\b(?:there|it|they|he|she|this|that) (?:\w+ )?(?:be|is|are|has|have|contains?|shows?) (?:no|none|zero)\b/,
  ),
  rule("remove", "with no", /\b(?:with|has|have|having|had|wear\w*|hold\w*|contain\w*) (?:no|zero)\b/),
  rule(
    "remove",
    "not have",
    new RegExp(
      `\\b(?:${NEGATED}) (?:\\w+ )?(?:have|has|wear|wearing|hold|holding|contain|show|include|be there|appear|exist|see|need)\\b`,
    ),
  ),
  rule("remove", "absent", new RegExp(`\\b(?:${ABSENT})\\b`)),
  rule("remove", "-less", new RegExp(`\\b(?!(?:${NOT_ABSENCE_LESS})less\\b)[a-z]{3,}less\\b`)),
  rule("remove", "no ...", /\bno (?!doubt|matter|way|longer)\w+/),

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
  rule("add", "furnish ... with", new RegExp(`\\b(?:${FURNISHING_VERBS})\\w* (?:.+ )?with\\b`)),
  rule("add", "another", /^(?:more|another|extra)\b/),
  // Word classes and constructions of adding without the word "add".
  rule("add", "putting verb + a", new RegExp(`\\b(?:${PUTTING_VERBS})\\w* (?:${INDEFINITE})\\b`)),
  rule(
    "add",
    "putting verb + place",
    new RegExp(`\\b(?:${PUTTING_VERBS})\\w* (?:the|his|her|their|its|my) (?:\\S+ ){1,3}?(?:${PLACES})\\b`),
  ),
  rule(
    "add",
    "putting verb + things + place",
    new RegExp(
      `\\b(?:${PUTTING_VERBS})\\w* (?!the\\b|his\\b|her\\b|its\\b|their\\b|my\\b|it\\b)[\\w-]+ (?:[\\w-]+ )?(?:${PLACES}) (?:the|a|an|his|her|its|their|my)\\b`,
    ),
  ),
  rule("add", "marking verb", new RegExp(`\\b(?:${MARKING_VERBS})\\w*\\b`)),
  rule(
    "add",
    "a ... doing",
    /^(?:a|an|some|two|three|several|\d+) (?:[\w-]+ ){1,3}?\w+ing (?:on|in|over|under|across|through|near|by|next|behind|above|along|around|at|into|from|with|down|up|past)\b/,
  ),
  rule("add", "appear", /\b(?:appear\w*|pop\w* up|show\w* up|emerg\w*|join\w*|arriv\w*|come in)\b/),
  rule("add", "make a", /^(?:make|have|let|get) (?:a|an|some)\b/),
  rule("add", "with a", new RegExp(`^(?:a|an|the|some|his|her|their|my)\\b.*\\bwith (?:${INDEFINITE})\\b`)),
  rule("add", "new", /\b(?:a|an|some) (?:new|additional|second|third)\b/),
  rule("add", "carrying", /\b(?:carry|carrying|carries|sporting)\b/),

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
