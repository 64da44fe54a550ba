// Content negotiation of POST /v1/edits: the edit as JSON, or the result PNG when the Accept
// header ranks an image type (image/png, image/*, any image/...) at least as high as JSON.
// `*/*` alone (curl's default) means JSON. The image's format: the `output` field when given,
// else the image type the Accept header ranks highest (acceptedImageFormat), else PNG.
import { CONTENT_TYPES, OUTPUT_FORMATS, type OutputFormat } from "@zone/shared";

function quality(parameters: string[]): number {
  const q = parameters.map((p) => p.trim()).find((p) => p.startsWith("q="));
  if (q === undefined) return 1;
  const value = Number(q.slice(2));
  return Number.isFinite(value) ? value : 0;
}

export function prefersImage(accept: string | undefined): boolean {
  if (!accept) return false;
  let image = 0;
  let json = 0;
  for (const part of accept.toLowerCase().split(",")) {
    const [range, ...parameters] = part.split(";");
    const type = range.trim();
    const q = quality(parameters);
    if (type.startsWith("image/")) image = Math.max(image, q);
    else if (type === "application/json" || type === "application/*" || type === "*/*")
      json = Math.max(json, q);
  }
  return image > 0 && image >= json;
}

/**
 * The output format an Accept header asks for: the highest-ranked of image/png, image/webp and
 * image/jpeg (image/jpg too), ties to the earlier of OUTPUT_FORMATS (PNG first); image/* alone
 * is PNG; null when no image type is acceptable. JPEG only when named: it is the lossy one.
 */
export function acceptedImageFormat(accept: string | undefined): OutputFormat | null {
  if (!accept) return null;
  const ranks = new Map<OutputFormat, number>();
  let anyImage = 0;
  for (const part of accept.toLowerCase().split(",")) {
    const [range, ...parameters] = part.split(";");
    const type = range.trim() === "image/jpg" ? CONTENT_TYPES.jpeg : range.trim();
    const q = quality(parameters);
    if (type === "image/*") anyImage = Math.max(anyImage, q);
    const format = OUTPUT_FORMATS.find((f) => CONTENT_TYPES[f] === type);
    if (format) ranks.set(format, Math.max(ranks.get(format) ?? 0, q));
  }
  if (anyImage > 0 && !ranks.has("png")) ranks.set("png", anyImage);
  let best: OutputFormat | null = null;
  for (const format of OUTPUT_FORMATS) {
    const q = ranks.get(format) ?? 0;
    if (q > 0 && (best === null || q > (ranks.get(best) ?? 0))) best = format;
  }
  return best;
}
