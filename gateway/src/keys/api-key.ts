// API keys: `ze_live_` / `ze_test_` + 30 random base62 characters + a 6-character CRC-32 checksum
// (the GitHub token layout). The checksum lets the gateway reject mistyped or made-up keys without
// a database read; the secret itself is never stored, only HMAC-SHA256(pepper, key).

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
export const KEY_PREFIXES = ["ze_live_", "ze_test_"] as const;
export type KeyEnvironment = "live" | "test";

const KEY_PATTERN = /^ze_(live|test)_([0-9A-Za-z]{30})([0-9A-Za-z]{6})$/;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(value: number, width: number): string {
  let out = "";
  let v = value;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

/** A fresh key. Uses rejection sampling so every character is uniform over the alphabet. */
export function generateApiKey(environment: KeyEnvironment): string {
  let random = "";
  while (random.length < RANDOM_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(48))) {
      if (byte < 248 && random.length < RANDOM_LENGTH) random += ALPHABET[byte % 62];
    }
  }
  const body = `ze_${environment}_${random}`;
  return body + base62(crc32(body), CHECKSUM_LENGTH);
}

/** Shape and checksum only; says nothing about whether the key exists. */
export function parseApiKey(key: string): { environment: KeyEnvironment } | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const body = key.slice(0, key.length - CHECKSUM_LENGTH);
  if (base62(crc32(body), CHECKSUM_LENGTH) !== match[3]) return null;
  return { environment: match[1] as KeyEnvironment };
}

/** HMAC-SHA256(pepper, key) as lower-case hex: what the database stores and looks up. */
export async function hashApiKey(key: string, pepper: string): Promise<string> {
  const secret = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(pepper),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", secret, new TextEncoder().encode(key)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A short, non-secret label for logs and listings: the prefix and the last 4 characters. */
export function keyHint(key: string): string {
  return `${key.slice(0, 8)}...${key.slice(-4)}`;
}
