// Python's html.unescape, reference by reference, so that instruction cleaning matches CLIP's
// `basic_clean` exactly. Named references go to the `entities` package's HTML decoder (the same
// HTML5 table, with the same longest-prefix rule for legacy names written without ";"); numeric
// references are decided here because Python drops control and non-character code points
// (e.g. "&#1;", "&#xFFFE;") where an HTML decoder keeps them.
import { decodeHTML } from "entities";

// Python's `_charref` pattern: what one reference is, and so where scanning resumes.
const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu;

// Python's `_invalid_codepoints` outside 0x80..0x9F (those map through the windows-1252 table).
function droppedByPython(code: number): boolean {
  return (
    (code >= 0x01 && code <= 0x08) ||
    code === 0x0b ||
    (code >= 0x0e && code <= 0x1f) ||
    code === 0x7f ||
    (code >= 0xfdd0 && code <= 0xfdef) ||
    (code & 0xfffe) === 0xfffe
  );
}

function numericReference(reference: string, body: string): string {
  const hex = body[1] === "x" || body[1] === "X";
  const digits = body.slice(hex ? 2 : 1).replace(/;$/, "");
  const code = Number.parseInt(digits, hex ? 16 : 10);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
  if (droppedByPython(code)) return "";
  return decodeHTML(reference);
}

/** `html.unescape(text)` of Python 3. */
export function unescapeHtml(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(CHARREF, (reference: string, body: string) =>
    body[0] === "#" ? numericReference(reference, body) : decodeHTML(reference),
  );
}
