// Region hints on an edit (POST /v1/edits `point`, `box` or `mask`): where the user says the edit
// is, in the original's pixels. They restrict the rough mask M_b and run Segment Anything in
// guided mode over the hint (gpu-function/src/localize/region-hint.ts). The GPU function gets a
// point or a box in its params (`hint`); a mask hint travels as the `hint` file part, with
// `{ kind: "mask" }` in the params. Every hint is checked against the image's size; a bad one is
// a 422 `invalid_hint` naming the field.
import { z } from "zod";
import { ZoneError } from "./errors.ts";

export const REGION_HINT_KINDS = ["point", "box", "mask"] as const;
export type RegionHintKind = (typeof REGION_HINT_KINDS)[number];

/** The multipart part of the GPU request that carries a mask hint. */
export const HINT_MASK_FIELD = "hint";

const coordinate = z.number().int().nonnegative();

export const regionHintSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("point"), x: coordinate, y: coordinate }),
  z
    .strictObject({ kind: z.literal("box"), x0: coordinate, y0: coordinate, x1: coordinate, y1: coordinate })
    .refine((b) => b.x1 > b.x0 && b.y1 > b.y0, "x1 > x0 and y1 > y0 (x1, y1 exclusive)"),
  z.strictObject({ kind: z.literal("mask") }),
]);
export type RegionHint = z.infer<typeof regionHintSchema>;

/** How a hint was used: M_b kept inside it ("restricted"), or M_b had nothing there and the hint's region is the rough mask ("replaced"). */
export const HINT_ROUGH_USES = ["restricted", "replaced"] as const;

export const hintMetaSchema = z.object({
  kind: z.enum(REGION_HINT_KINDS),
  rough: z.enum(HINT_ROUGH_USES),
  /** SAM ran guided over the hint's region, or not at all (sam off). */
  sam: z.enum(["guided", "off"]),
  /** The hint's region in the working frame (exclusive right, bottom). */
  working: z.object({
    x0: z.number().int(),
    y0: z.number().int(),
    x1: z.number().int(),
    y1: z.number().int(),
  }),
});
export type HintMeta = z.infer<typeof hintMetaSchema>;

/** Refuses a point or box outside a `width` x `height` image, naming the field. */
export function checkHintInImage(hint: RegionHint, width: number, height: number): void {
  if (hint.kind === "point" && (hint.x >= width || hint.y >= height))
    throw new ZoneError(
      "invalid_hint",
      `point: (${hint.x}, ${hint.y}) is outside the ${width}x${height} image (0 <= x < ${width}, 0 <= y < ${height})`,
    );
  if (hint.kind === "box" && (hint.x1 > width || hint.y1 > height))
    throw new ZoneError(
      "invalid_hint",
      `box: (${hint.x0}, ${hint.y0}, ${hint.x1}, ${hint.y1}) reaches outside the ${width}x${height} image (x1 <= ${width}, y1 <= ${height})`,
    );
}

/** Refuses a mask hint of another size than the image, naming the field. */
export function checkHintMaskSize(
  mask: { width: number; height: number },
  width: number,
  height: number,
): void {
  if (mask.width !== width || mask.height !== height)
    throw new ZoneError(
      "invalid_hint",
      `mask: ${mask.width}x${mask.height}, but the image is ${width}x${height}; send a mask of the image's size`,
    );
}

const INTEGER = /^\d+$/;

/**
 * The form fields `point` ("x,y") and `box` ("x0,y0,x1,y1"), whole pixels of the original; at most
 * one of point, box and mask (`maskGiven`). Null when none is sent.
 */
export function parseHintFields(
  fields: { point?: string; box?: string },
  maskGiven: boolean,
): RegionHint | null {
  const given = [
    fields.point !== undefined && "point",
    fields.box !== undefined && "box",
    maskGiven && "mask",
  ];
  const named = given.filter((g): g is string => typeof g === "string");
  if (named.length > 1)
    throw new ZoneError(
      "invalid_hint",
      `${named.join(" and ")}: send at most one region hint (point, box or mask)`,
    );
  const numbers = (name: string, text: string, count: number): number[] => {
    const parts = text.split(",").map((p) => p.trim());
    if (parts.length !== count || !parts.every((p) => INTEGER.test(p)))
      throw new ZoneError(
        "invalid_hint",
        `${name}: "${text}" is not ${count} whole numbers separated by commas (${name === "point" ? "x,y" : "x0,y0,x1,y1"})`,
      );
    return parts.map(Number);
  };
  if (fields.point !== undefined) {
    const [x, y] = numbers("point", fields.point, 2);
    return { kind: "point", x, y };
  }
  if (fields.box !== undefined) {
    const [x0, y0, x1, y1] = numbers("box", fields.box, 4);
    if (!(x1 > x0 && y1 > y0))
      throw new ZoneError(
        "invalid_hint",
        `box: "${fields.box}" needs x1 > x0 and y1 > y0 (x1, y1 exclusive)`,
      );
    return { kind: "box", x0, y0, x1, y1 };
  }
  return maskGiven ? { kind: "mask" } : null;
}
