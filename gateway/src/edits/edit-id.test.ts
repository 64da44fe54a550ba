import { describe, expect, it } from "vitest";
import {
  decodeEditId,
  EDIT_ID_KEY_INFO,
  type EditReference,
  encodeEditId,
  isEditIdShape,
  mintEditId,
  verifyEditId,
} from "./edit-id.ts";

const SECRET = "test-pepper";
const ACCOUNT = "acct_1234abcd";
const REF: EditReference = {
  cacheKey: "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
  createdAt: 1_764_590_000_123,
  cache: "HIT",
};
const NONCE = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

const bytesOf = (id: string) =>
  Uint8Array.from(atob(id.slice(3).replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));
const idOf = (bytes: Uint8Array) =>
  `ed_${btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")}`;
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

async function hmac(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, message));
}

describe("edit ids", () => {
  it("lay out version, cache key, time, state, nonce and tag in 60 bytes, 80 base64url characters", async () => {
    const id = await mintEditId(SECRET, ACCOUNT, REF, NONCE);
    expect(id).toMatch(/^ed_[A-Za-z0-9_-]{80}$/);
    const bytes = bytesOf(id);
    expect(bytes).toHaveLength(60);
    expect(bytes[0]).toBe(1);
    expect(hex(bytes.subarray(1, 33))).toBe(REF.cacheKey);
    expect(bytes.subarray(33, 39)).toEqual(Uint8Array.from([0x01, 0x9a, 0xd9, 0xc2, 0x97, 0xfb]));
    expect(bytes[39]).toBe(1);
    expect(bytes.subarray(40, 48)).toEqual(NONCE);
    // Pinned (computed independently with node:crypto hkdfSync + createHmac): ids already handed
    // out must keep verifying after a deploy.
    expect(id).toBe("ed_AQARIjNEVWZ3iJmqu8zd7v8BI0VniavN7_7cuph2VDIQAZrZwpf7AQECAwQFBgcIggHMbbpIraQmH-EF");
  });

  it("round-trip through encode and decode, for every cache state and the ends of the time range", () => {
    for (const cache of ["MISS", "HIT", "COALESCED"] as const)
      for (const createdAt of [0, 1, REF.createdAt, 2 ** 48 - 1]) {
        const ref = { ...REF, cache, createdAt };
        const tag = Uint8Array.from({ length: 12 }, (_, i) => 200 + i);
        const id = encodeEditId(ref, NONCE, tag);
        expect(isEditIdShape(id)).toBe(true);
        expect(decodeEditId(id)).toEqual({ ...ref, version: 1, nonce: NONCE, tag });
      }
    expect(() => encodeEditId({ ...REF, createdAt: 2 ** 48 }, NONCE, new Uint8Array(12))).toThrow();
    expect(() =>
      encodeEditId({ ...REF, cacheKey: REF.cacheKey.toUpperCase() }, NONCE, new Uint8Array(12)),
    ).toThrow();
  });

  it("tag = HMAC-SHA256(HKDF-SHA256(secret, no salt, info), 'edit-id:' + account + ':' + hex(body))[0, 12)", async () => {
    const id = await mintEditId(SECRET, ACCOUNT, REF, NONCE);
    const bytes = bytesOf(id);
    // HKDF by hand (RFC 5869): PRK = HMAC(zero salt, IKM); K = HMAC(PRK, info || 0x01).
    const enc = new TextEncoder();
    const prk = await hmac(new Uint8Array(32), enc.encode(SECRET));
    const key = await hmac(prk, Uint8Array.from([...enc.encode(EDIT_ID_KEY_INFO), 1]));
    const mac = await hmac(key, enc.encode(`edit-id:${ACCOUNT}:${hex(bytes.subarray(0, 48))}`));
    expect(bytes.subarray(48)).toEqual(mac.subarray(0, 12));
  });

  it("verify for the account and secret they were made with, and give back the reference", async () => {
    const id = await mintEditId(SECRET, ACCOUNT, REF);
    expect(await verifyEditId(SECRET, ACCOUNT, id)).toEqual(REF);
    expect(await verifyEditId(SECRET, "acct_other", id)).toBeNull();
    expect(await verifyEditId(SECRET, `${ACCOUNT}x`, id)).toBeNull();
    expect(await verifyEditId("another-pepper", ACCOUNT, id)).toBeNull();
    expect(await mintEditId(SECRET, ACCOUNT, REF)).not.toBe(id);
  });

  it("do not verify once any of their 60 bytes changes", async () => {
    const bytes = bytesOf(await mintEditId(SECRET, ACCOUNT, REF, NONCE));
    for (let i = 0; i < bytes.length; i++) {
      const changed = bytes.slice();
      changed[i] ^= 0x01;
      expect(await verifyEditId(SECRET, ACCOUNT, idOf(changed)), `byte ${i}`).toBeNull();
    }
  });

  it("have one shape (and the older `ed_` + 32 hex digits is recognised, never verified)", async () => {
    const id = await mintEditId(SECRET, ACCOUNT, REF, NONCE);
    expect(isEditIdShape("ed_0123456789abcdef0123456789abcdef")).toBe(true);
    expect(await verifyEditId(SECRET, ACCOUNT, "ed_0123456789abcdef0123456789abcdef")).toBeNull();
    for (const bad of [
      "",
      "ed_",
      `${id}A`,
      id.slice(0, -1),
      `ED${id.slice(2)}`,
      `${id.slice(0, 10)}+${id.slice(11)}`,
    ]) {
      expect(isEditIdShape(bad), bad).toBe(false);
      expect(decodeEditId(bad)).toBeNull();
    }
    expect(decodeEditId(`ed_${"A".repeat(80)}`)).toBeNull();
  });
});
