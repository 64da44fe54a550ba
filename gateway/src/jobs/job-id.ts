// Job ids: `ej_` + the cache key (64 hex digits, so the id names the coordinator Durable Object
// that owns the job: idFromName(cacheKey)) + 32 hex digits from the CSPRNG (128 bits: not
// guessable). The id is a routing hint, not a credential: the owning object answers only the
// account that submitted the job. Once a job has succeeded, its id is also an edit id (its D1 row
// is written under it), so the artifact links and DELETE /v1/edits/{id} work on it.
const PREFIX = "ej_";
export const JOB_ID_PATTERN = /^ej_[0-9a-f]{96}$/;
/** The same pattern, for a Hono route parameter. */
export const JOB_ID_ROUTE_PATTERN = "ej_[0-9a-f]{96}";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

export function mintJobId(cacheKey: string, nonce = crypto.getRandomValues(new Uint8Array(16))): string {
  if (!/^[0-9a-f]{64}$/.test(cacheKey)) throw new Error("a cache key is 64 lower-case hex digits");
  if (nonce.length !== 16) throw new Error("the nonce is 16 bytes");
  return `${PREFIX}${cacheKey}${hex(nonce)}`;
}

export const isJobIdShape = (id: string): boolean => JOB_ID_PATTERN.test(id);

/** The cache key a job id names, or null when it is not a job id. */
export function cacheKeyOfJobId(id: string): string | null {
  return isJobIdShape(id) ? id.slice(PREFIX.length, PREFIX.length + 64) : null;
}
