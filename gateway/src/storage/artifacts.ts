// Where edit results and uploads live in R2: results by cache key (shared by every edit with that
// key), uploads by the SHA-256 of their bytes.
import type { GpuEditMeta } from "@zone/shared";

export const ARTIFACTS = ["result", "layer", "mask"] as const;
export type Artifact = (typeof ARTIFACTS)[number];

const resultPath = (cacheKey: string, name: Artifact | "meta") =>
  `results/${cacheKey}/${name}.${name === "meta" ? "json" : "png"}`;

export interface StoredResult {
  meta: GpuEditMeta;
}

export async function readStoredResult(bucket: R2Bucket, cacheKey: string): Promise<StoredResult | null> {
  const object = await bucket.get(resultPath(cacheKey, "meta"));
  if (object === null) return null;
  return { meta: (await object.json()) as GpuEditMeta };
}

/** Images first, meta last: a result counts as stored only once its meta exists. */
export async function storeResult(
  bucket: R2Bucket,
  cacheKey: string,
  parts: Record<Artifact, ArrayBuffer>,
  meta: GpuEditMeta,
): Promise<void> {
  await Promise.all(
    ARTIFACTS.map((name) =>
      bucket.put(resultPath(cacheKey, name), parts[name], { httpMetadata: { contentType: "image/png" } }),
    ),
  );
  await bucket.put(resultPath(cacheKey, "meta"), JSON.stringify(meta), {
    httpMetadata: { contentType: "application/json" },
  });
}

export async function readArtifact(
  bucket: R2Bucket,
  cacheKey: string,
  name: Artifact,
): Promise<R2ObjectBody | null> {
  return bucket.get(resultPath(cacheKey, name));
}

export async function deleteResult(bucket: R2Bucket, cacheKey: string): Promise<void> {
  await bucket.delete([...ARTIFACTS, "meta" as const].map((name) => resultPath(cacheKey, name)));
}

export async function storeUpload(
  bucket: R2Bucket,
  imageSha256: string,
  bytes: ArrayBuffer,
  contentType: string,
): Promise<void> {
  const key = `uploads/${imageSha256}`;
  if ((await bucket.head(key)) === null) await bucket.put(key, bytes, { httpMetadata: { contentType } });
}
