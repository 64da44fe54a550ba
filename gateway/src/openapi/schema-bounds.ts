// z.toJSONSchema writes z.number().int() as bounded by +-Number.MAX_SAFE_INTEGER: true of a
// JavaScript number, meaningless to a client, and Swagger UI shows the bound as the example. This
// drops those bounds (a schema then states its real ones, or none).
export function withRealBounds<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(withRealBounds) as T;
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if ((key === "minimum" || key === "maximum") && Math.abs(value as number) === Number.MAX_SAFE_INTEGER)
      continue;
    out[key] = withRealBounds(value);
  }
  return out as T;
}
