// Content negotiation of POST /v1/edits: the edit as JSON, or the result PNG when the Accept
// header ranks an image type (image/png, image/*, any image/...) at least as high as JSON.
// `*/*` alone (curl's default) means JSON.

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
