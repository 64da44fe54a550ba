// Byte-level alphabet of CLIP's BPE (GPT-2's `bytes_to_unicode`): every UTF-8 byte becomes one
// printable character, so BPE runs on strings that never contain whitespace or control
// characters and any text, in any script, is encodable without an unknown token.

/**
 * Byte -> character. Printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') map to themselves;
 * the other 68 bytes map, in byte order, to U+0100, U+0101, ...
 */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const table = new Array<string>(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCharCode(printable ? b : next++);
  }
  return table;
})();

const utf8 = new TextEncoder();

/**
 * One pre-token as byte-level symbols: one single-character string per UTF-8 byte. A lone
 * surrogate is encoded as U+FFFD (the reference, Python, would raise instead).
 */
export function byteSymbols(token: string): string[] {
  const bytes = utf8.encode(token);
  const symbols = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) symbols[i] = BYTE_TO_CHAR[bytes[i]];
  return symbols;
}
