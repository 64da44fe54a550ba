// The one `Authorization: Bearer` grammar and the one constant-time secret comparison, used by the
// gateway (workerd) and the GPU service (Node) alike, so both are written on WebCrypto only.
//
// Grammar (RFC 6750 §2.1, with RFC 9110 §11.1's case-insensitive scheme):
//   credentials = "Bearer" 1*SP b64token
//   b64token    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
// Whitespace around the whole value is not part of a field value (RFC 9110 §5.5) and is ignored;
// anything else (a tab after the scheme, a second word, a comma, a quote) is not a bearer token.

const B64TOKEN = "[A-Za-z0-9\\-._~+/]+=*";
const B64TOKEN_ONLY = new RegExp(`^${B64TOKEN}$`);
const BEARER_CREDENTIALS = new RegExp(`^[ \\t]*Bearer +(${B64TOKEN})[ \\t]*$`, "i");

/** The token of an `Authorization: Bearer <token>` value, else null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = BEARER_CREDENTIALS.exec(header ?? "");
  return match ? match[1] : null;
}

/** Whether a secret can be sent as a bearer token at all (checked where secrets are configured). */
export function isBearerToken(value: string): boolean {
  return B64TOKEN_ONLY.test(value);
}

const sha256 = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));

/**
 * Constant-time string equality. Both sides are hashed first, so the loop always runs over two
 * 32-byte digests whatever the lengths: neither the secret's length nor the position of the first
 * differing character shows in the timing.
 */
export async function timingSafeEqualText(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(given), sha256(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
