// The OpenAPI part of region hints on POST /v1/edits (shared/src/region-hint.ts): the `point`,
// `box` and `mask` form fields, merged into the edit form's properties by routes/openapi.ts.
import { HINT_MASK_FORM_FIELD } from "../edits/form-fields.ts";

const USE =
  "At most one of point, box and mask. The hint restricts the rough mask (inside a box or mask; the mask components a point reaches; the hint's region itself when the rough mask has nothing there) and Segment Anything runs guided over it; the edit's `hint` says how it was used. Part of the cache key. Malformed or outside the image: 422 `invalid_hint` naming the field.";

export const HINT_FORM_PROPERTIES: Readonly<Record<string, Record<string, unknown>>> = {
  point: {
    type: "string",
    pattern: "^\\s*\\d+\\s*,\\s*\\d+\\s*$",
    description: `Region hint "x,y": a pixel of the original (0 <= x < width, 0 <= y < height). ${USE}`,
  },
  box: {
    type: "string",
    pattern: "^\\s*\\d+\\s*,\\s*\\d+\\s*,\\s*\\d+\\s*,\\s*\\d+\\s*$",
    description: `Region hint "x0,y0,x1,y1" in the original's pixels, x1 and y1 exclusive (x1 <= width, y1 <= height). ${USE}`,
  },
  [HINT_MASK_FORM_FIELD]: {
    type: "string",
    format: "binary",
    description: `Region hint: an image of the original's size, white where the edit is (PNG, JPEG or WebP; with the image within the upload limit). ${USE}`,
  },
};
