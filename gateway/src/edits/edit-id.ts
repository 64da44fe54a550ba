// Edit ids are verifiable references: an id names its result (the cache key), when and how it was
// answered, and carries a MAC binding all of that to the account it was made for. So GET
// /v1/edits/{id} and its artifact links can answer before the edit's D1 row exists (free hits
// are written after their answer, edits/hit-recorder.ts), in any isolate, and an id can neither be
// forged nor used by another account.
//
// Layout (60 bytes, base64url without padding: exactly 80 characters, so every id has one spelling):
//   [0]      version, 1
//   [1, 33)  the cache key (SHA-256, 32 bytes)
//   [33, 39) createdAt, Unix milliseconds, big-endian (48 bits)
//   [39]     the cache state the edit was answered with: 0 MISS, 1 HIT, 2 COALESCED
//   [40, 48) nonce: 8 random bytes, so every request gets its own id (one ledger row per id)
//   [48, 60) tag: HMAC-SHA256(K, "edit-id:" + accountId + ":" + hex(bytes [0, 48)))[0, 12)
// id = "ed_" + base64url(bytes). K = HKDF-SHA256(KEY_PEPPER, salt "", info EDIT_ID_KEY_INFO),
// derived once per isolate. createdAt and the cache state are in the id because a resource read
// before the row lands must equal the one answered; the tag covers them and the nonce too, so a
// deleted edit cannot be revived by respelling its id. 96 bits of tag: a forgery is a 2^-96 guess.
// Ids made before this layout (`ed_` + 32 hex digits) have rows and are still found by them.
import type { CacheState } from "@zone/shared";

export const EDIT_ID_VERSION = 1;
export const EDIT_ID_KEY_INFO = "zone-edit edit-id v1";
const PREFIX = "ed_";
const BODY_BYTES = 48;
const TAG_BYTES = 12;
const ID_BYTES = BODY_BYTES + TAG_BYTES;
const ID_PATTERN = /^ed_[A-Za-z0-9_-]{80}$/;
const LEGACY_ID_PATTERN = /^ed_[0-9a-f]{32}$/;
/** Byte [39] of an id: the code of each cache state (the wire order, fixed: never reorder). */
const CACHE_STATE_CODES: readonly CacheState[] = ["MISS", "HIT", "COALESCED"];
const MAX_CREATED_AT = 2 ** 48 - 1;

/** What an edit id says about its edit, besides the account it is bound to. */
export interface EditReference {
  /** The result's cache key, 64 lower-case hex digits. */
  cacheKey: string;
  /** Unix milliseconds. */
  createdAt: number;
  cache: CacheState;
}

/** An id's fields as laid out, tag unchecked (for tests and for verifyEditId). */
export interface EditIdFields extends EditReference {
  version: number;
  nonce: Uint8Array;
  tag: Uint8Array;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_");
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Whether a path segment can be an edit id at all, of this layout or the older one. */
export function isEditIdShape(id: string): boolean {
  return ID_PATTERN.test(id) || LEGACY_ID_PATTERN.test(id);
}

/** The 48 bytes before the tag. */
function body(ref: EditReference, nonce: Uint8Array): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(ref.cacheKey)) throw new Error("a cache key is 64 lower-case hex digits");
  if (!Number.isInteger(ref.createdAt) || ref.createdAt < 0 || ref.createdAt > MAX_CREATED_AT)
    throw new Error("createdAt must be a 48-bit count of milliseconds");
  if (nonce.length !== 8) throw new Error("the nonce is 8 bytes");
  const bytes = new Uint8Array(BODY_BYTES);
  bytes[0] = EDIT_ID_VERSION;
  for (let i = 0; i < 32; i++) bytes[1 + i] = Number.parseInt(ref.cacheKey.slice(2 * i, 2 * i + 2), 16);
  let t = ref.createdAt;
  for (let i = 38; i >= 33; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes[39] = CACHE_STATE_CODES.indexOf(ref.cache);
  bytes.set(nonce, 40);
  return bytes;
}

/** The layout alone: fields and tag to an id. */
export function encodeEditId(ref: EditReference, nonce: Uint8Array, tag: Uint8Array): string {
  if (tag.length !== TAG_BYTES) throw new Error("the tag is 12 bytes");
  const bytes = new Uint8Array(ID_BYTES);
  bytes.set(body(ref, nonce));
  bytes.set(tag, BODY_BYTES);
  return PREFIX + base64url(bytes);
}

/** The layout alone: an id to its fields, or null when it is not an id of this layout. */
export function decodeEditId(id: string): EditIdFields | null {
  if (!ID_PATTERN.test(id)) return null;
  const bytes = fromBase64url(id.slice(PREFIX.length));
  if (bytes.length !== ID_BYTES || bytes[0] !== EDIT_ID_VERSION) return null;
  const cache = CACHE_STATE_CODES[bytes[39]];
  if (cache === undefined) return null;
  let createdAt = 0;
  for (let i = 33; i < 39; i++) createdAt = createdAt * 256 + bytes[i];
  return {
    version: bytes[0],
    cacheKey: hex(bytes.subarray(1, 33)),
    createdAt,
    cache,
    nonce: bytes.slice(40, BODY_BYTES),
    tag: bytes.slice(BODY_BYTES),
  };
}

let derived: { secret: string; key: Promise<CryptoKey> } | null = null;

/** K, derived from the secret once per isolate (again only if the secret changes). */
function macKey(secret: string): Promise<CryptoKey> {
  if (derived?.secret !== secret) {
    const encoder = new TextEncoder();
    const key = crypto.subtle
      .importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"])
      .then((ikm) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(EDIT_ID_KEY_INFO) },
          ikm,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign"],
        ),
      );
    key.catch(() => {
      if (derived?.key === key) derived = null;
    });
    derived = { secret, key };
  }
  return derived.key;
}

async function tagOf(secret: string, accountId: string, bodyBytes: Uint8Array): Promise<Uint8Array> {
  const message = new TextEncoder().encode(`edit-id:${accountId}:${hex(bodyBytes)}`);
  const mac = await crypto.subtle.sign("HMAC", await macKey(secret), message);
  return new Uint8Array(mac, 0, TAG_BYTES);
}

/** A fresh id for an edit of this account (the nonce from the CSPRNG unless given, for tests). */
export async function mintEditId(
  secret: string,
  accountId: string,
  ref: EditReference,
  nonce: Uint8Array = crypto.getRandomValues(new Uint8Array(8)),
): Promise<string> {
  return encodeEditId(ref, nonce, await tagOf(secret, accountId, body(ref, nonce)));
}

/** What the id refers to if it was made for this account with this secret; otherwise null. */
export async function verifyEditId(
  secret: string,
  accountId: string,
  id: string,
): Promise<EditReference | null> {
  const fields = decodeEditId(id);
  if (fields === null) return null;
  const ref = { cacheKey: fields.cacheKey, createdAt: fields.createdAt, cache: fields.cache };
  const expected = await tagOf(secret, accountId, body(ref, fields.nonce));
  let diff = 0;
  for (let i = 0; i < TAG_BYTES; i++) diff |= expected[i] ^ fields.tag[i];
  return diff === 0 ? ref : null;
}
