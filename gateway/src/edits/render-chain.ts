// POST /v1/edits/{id}/render: the chain's turns less `without`, laid over the chain's original in
// order by the GPU function's CPU-only POST /v1/render (the composite each turn's edit applied; no
// diffusion). It runs there rather than in the Worker because the composite must be the edit's
// own, bit for bit: decoding 16-bit, alpha, palette and ICC-tagged files, converting each layer
// into the image's colour space (lcms2) and encoding PNG/WebP/JPEG with the same libvips as the
// result was, none of which a Worker has. The file's format is the last kept turn's (or the body's
// `output`), and its ICC/EXIF/XMP are that turn's result file's, so leaving out only later turns
// (undo) gives that turn's result byte for byte. Leaving out an earlier turn is an approximation:
// each later turn was computed on an image that contained it. A render is free (no diffusion, a
// fraction of a second of CPU) and not stored; the edit rate limit applies.
import {
  fidelitySettings,
  formatZodIssues,
  type RenderRequest,
  renderRequestSchema,
  ZoneError,
} from "@zone/shared";
import type { Env } from "../env.ts";
import { gpuClientConfig } from "../gpu/gpu-client.ts";
import { callGpuRender } from "../gpu/gpu-render-client.ts";
import { readArtifact, readOriginal } from "../storage/artifacts.ts";
import type { ChainTurn } from "./edit-chain.ts";

export function parseRenderRequest(body: unknown): RenderRequest {
  const parsed = renderRequestSchema.safeParse(body);
  if (!parsed.success) throw new ZoneError("invalid_argument", formatZodIssues(parsed.error, "body"));
  return parsed.data;
}

/** The chain's upload, stored with its first turn's result. */
export async function chainOriginal(env: Env, chain: ChainTurn[]): Promise<R2ObjectBody> {
  const object = await readOriginal(env.ARTIFACTS, chain[0].cacheKey);
  if (object === null)
    throw new ZoneError(
      "not_found",
      `the original upload of ${chain[0].id} is not stored (results made before chains existed keep none)`,
    );
  return object;
}

async function artifact(env: Env, turn: ChainTurn, name: "layer" | "result"): Promise<Blob> {
  const object = await readArtifact(env.ARTIFACTS, turn.cacheKey, name);
  if (object === null) throw new ZoneError("not_found", `the ${name} of ${turn.id} is no longer stored`);
  return new Blob([await object.arrayBuffer()], { type: object.httpMetadata?.contentType });
}

export interface RenderedChain {
  bytes: ArrayBuffer;
  contentType: string;
  /** The turn numbers (1-based) laid over the original. */
  keptTurns: number[];
}

export async function renderChain(
  env: Env,
  chain: ChainTurn[],
  request: RenderRequest,
  requestId?: string,
): Promise<RenderedChain> {
  const ids = new Set(chain.map((t) => t.id));
  for (const id of request.without)
    if (!ids.has(id))
      throw new ZoneError("not_in_chain", `without: ${id} is not a turn of this chain (see its stack)`);
  const without = new Set(request.without);
  const kept = chain.filter((t) => !without.has(t.id));
  const keptTurns = chain.flatMap((t, i) => (without.has(t.id) ? [] : [i + 1]));
  const last = kept.at(-1) ?? null;
  const output = request.output ?? last?.meta.result.format ?? "png";
  const quality =
    request.quality ?? (request.output === undefined && output === "jpeg" ? last?.meta.result.quality : null);
  const original = await chainOriginal(env, chain);
  const [layers, reference] = await Promise.all([
    Promise.all(kept.map((t) => artifact(env, t, "layer"))),
    last === null ? null : artifact(env, last, "result"),
  ]);
  const rendered = await callGpuRender(gpuClientConfig(env), {
    original: new Blob([await original.arrayBuffer()], { type: original.httpMetadata?.contentType }),
    layers,
    reference,
    params: {
      rings: kept.map((t) => fidelitySettings(t.meta.fidelity).ring),
      output,
      ...(quality === null || quality === undefined ? {} : { quality }),
    },
    requestId,
  });
  return { ...rendered, keptTurns };
}
