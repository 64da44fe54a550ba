// One formatter for zod's issues, used wherever a schema rejects input: "path: message; ...",
// with `root` naming the whole value when an issue has no path.
import type { z } from "zod";

export function formatZodIssues(error: z.ZodError, root = "(root)"): string {
  return error.issues.map((i) => `${i.path.join(".") || root}: ${i.message}`).join("; ");
}
