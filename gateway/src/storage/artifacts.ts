// Where edit (and compose) results live in R2: results/<cache key>/{result,layer,mask}.png (an
// edit's also attention.png and canvas.png) and meta.json, shared by every edit with that key.
// meta.json is the one store of an edit's metadata (the D1 row keeps only who, which key, how
// answered and when). The image bytes go to the coordinator in its RPC call; an edit of an upload
// also stores the upload as original.png (its own type), because a chain's render
// (POST /v1/edits/{id}/render) lays the turns' layers over it. It lives and goes with the
// result's other artifacts, so deleting an edit's last row still leaves nothing of the photo.
// Results stored before chains existed have no original: their chains cannot be rendered.
import {
  CONTENT_TYPES,
  EDIT_ARTIFACTS,
  type EditArtifact,
  type GpuEditMeta,
  type GpuResultMeta,
} from "@zone/shared";

// The keys end in .png for every format (the object's content type says what it is), so that
// deleting a result needs no lookup of its meta.
const resultPath = (cacheKey: string, name: EditArtifact | "meta" | "original") =>
  `results/${cacheKey}/${name}.${name === "meta" ? "json" : "png"}`;

export interface StoredResult<M extends GpuResultMeta = GpuEditMeta> {
  meta: M;
}

/** The stored meta, as `M` (a cache key's derivation fixes its kind: edit or compose). */
export async function readStoredMeta<M extends GpuResultMeta>(
  bucket: R2Bucket,
  cacheKey: string,
): Promise<StoredResult<M> | null> {
  const object = await bucket.get(resultPath(cacheKey, "meta"));
  if (object === null) return null;
  return { meta: (await object.json()) as M };
}

/** An edit's stored meta. */
export function readStoredResult(bucket: R2Bucket, cacheKey: string): Promise<StoredResult | null> {
  return readStoredMeta<GpuEditMeta>(bucket, cacheKey);
}

/** Images first, meta last: a result counts as stored only once its meta exists. */
export async function storeResult(
  bucket: R2Bucket,
  cacheKey: string,
  parts: Partial<Record<EditArtifact, ArrayBuffer>>,
  meta: GpuResultMeta,
  original: { bytes: ArrayBuffer; contentType: string } | null = null,
): Promise<void> {
  await Promise.all([
    ...(original === null
      ? []
      : [
          bucket.put(resultPath(cacheKey, "original"), original.bytes, {
            httpMetadata: { contentType: original.contentType },
          }),
        ]),
    ...(Object.entries(parts) as Array<[EditArtifact, ArrayBuffer]>).map(([name, bytes]) =>
      bucket.put(resultPath(cacheKey, name), bytes, {
        httpMetadata: {
          contentType: name === "result" ? CONTENT_TYPES[meta.result.format] : CONTENT_TYPES.png,
        },
      }),
    ),
  ]);
  await bucket.put(resultPath(cacheKey, "meta"), JSON.stringify(meta), {
    httpMetadata: { contentType: "application/json" },
  });
}

export async function readArtifact(
  bucket: R2Bucket,
  cacheKey: string,
  name: EditArtifact,
): Promise<R2ObjectBody | null> {
  return bucket.get(resultPath(cacheKey, name));
}

/** The upload an edit of an upload was made from (null for a chain's later turns, and old results). */
export async function readOriginal(bucket: R2Bucket, cacheKey: string): Promise<R2ObjectBody | null> {
  return bucket.get(resultPath(cacheKey, "original"));
}

/** Meta first: once it is gone the key reads as not stored, even if an image delete lags. */
export async function deleteResult(bucket: R2Bucket, cacheKey: string): Promise<void> {
  await bucket.delete(resultPath(cacheKey, "meta"));
  await bucket.delete([...EDIT_ARTIFACTS, "original" as const].map((name) => resultPath(cacheKey, name)));
}
