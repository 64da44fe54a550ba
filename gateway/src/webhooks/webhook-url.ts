// Which webhook URLs the gateway will call: https only, and never an address inside a network
// (private, loopback, link-local, carrier-grade NAT, multicast, reserved), checked for every
// address the host resolves to (DNS over HTTPS), at registration and again before every attempt
// (a name may be re-pointed). Under `npm start` (WEBHOOKS_ALLOW_LOOPBACK = "true", set by the
// local stack) loopback addresses and `localhost` are allowed, over http too, so a receiver on
// the same machine works; every other rule stays.
import { ZoneError } from "@zone/shared";

export type AddressClass = "public" | "loopback" | "private";

function ipv4Class(address: string): AddressClass | null {
  const parts = address.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  const [a, b] = parts.map(Number);
  if (a === 127) return "loopback";
  if (
    a === 0 ||
    a === 10 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && Number(parts[2]) === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  )
    return "private";
  return "public";
}

function ipv6Class(address: string): AddressClass | null {
  if (!address.includes(":")) return null;
  const lower = address.toLowerCase();
  const mapped = lower.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) return ipv4Class(mapped[1]);
  if (lower === "::1") return "loopback";
  if (lower === "::" || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || lower.startsWith("ff"))
    return "private";
  if (lower.startsWith("::ffff:") || lower.startsWith("64:ff9b:")) return "private";
  return "public";
}

/** The class of an IP literal, or null when it is not one. */
export function addressClass(address: string): AddressClass | null {
  return ipv4Class(address) ?? ipv6Class(address);
}

export type Resolver = (host: string) => Promise<string[]>;

/** A and AAAA records by DNS over HTTPS (Workers have no resolver of their own). */
export const dohResolver: Resolver = async (host) => {
  const addresses: string[] = [];
  for (const type of ["A", "AAAA"]) {
    const res = await fetch(
      `https://cloudflare-dns.com/dns-query?name=${encodeURIComponent(host)}&type=${type}`,
      {
        headers: { accept: "application/dns-json" },
      },
    );
    if (!res.ok) throw new Error(`DNS lookup answered ${res.status}`);
    const body = (await res.json()) as { Answer?: Array<{ type: number; data: string }> };
    for (const answer of body.Answer ?? [])
      if (answer.type === 1 || answer.type === 28) addresses.push(answer.data);
  }
  return addresses;
};

export const allowsLoopback = (env: { WEBHOOKS_ALLOW_LOOPBACK?: string }) =>
  env.WEBHOOKS_ALLOW_LOOPBACK === "true";

const refuse = (url: string, why: string) =>
  new ZoneError("invalid_argument", `the webhook URL ${url} ${why}`);

/** The URL if the gateway may call it; otherwise a 400 ZoneError saying why. */
export async function checkWebhookUrl(
  raw: string,
  options: { allowLoopback: boolean; resolve?: Resolver },
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(raw, "is not a URL");
  }
  if (url.username || url.password) throw refuse(raw, "may not carry credentials");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  if (addressClass(host) !== null) addresses = [host];
  else if (host === "localhost" || host.endsWith(".localhost")) addresses = ["127.0.0.1"];
  else {
    try {
      addresses = await (options.resolve ?? dohResolver)(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw refuse(raw, "does not resolve");
  }
  const classes = new Set(addresses.map((a) => addressClass(a) ?? "private"));
  if (classes.has("private")) throw refuse(raw, "points inside a private network");
  if (classes.has("loopback") && !options.allowLoopback) throw refuse(raw, "points at a loopback address");
  const local = classes.has("loopback");
  if (url.protocol !== "https:" && !(local && url.protocol === "http:")) throw refuse(raw, "must use https");
  return url;
}
