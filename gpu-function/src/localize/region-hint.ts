// Region hints (POST /v1/edits `point`, `box`, `mask`): the user's "here", in the original's
// pixels, brought into the working frame (working-resolution.ts: scaled, then padded, centred)
// and applied to the rough mask M_b: a box or mask keeps M_b inside the hint's region; a point
// keeps the components of M_b that come within one SAM grid step of it. When M_b has nothing
// there, the hint's region itself is the rough mask. Segment Anything then runs guided over the
// hint's region (segment/guided-points.ts), so every candidate is prompted from the hint.
import type { HintMeta, RegionHint } from "@zone/shared";
import { type BoundingBox, type Mask, maskBoundingBox } from "../image/types.ts";
import { toWorkingMask } from "../image/working-frame.ts";
import type { WorkingResolution } from "../image/working-resolution.ts";
import { labelComponents } from "../kernels/connected-components.ts";

/** A hint as the pipeline takes it: a point or box, or a mask hint with its decoded mask (original size). */
export type PipelineHint = Exclude<RegionHint, { kind: "mask" }> | { kind: "mask"; mask: Mask };

export interface WorkingHint {
  kind: RegionHint["kind"];
  /** The hint's region in the working frame; a point's is the square of `radius` around it. */
  region: Mask;
  /** A point's pixel in the working frame (null for a box or mask). */
  point: { x: number; y: number } | null;
  box: BoundingBox;
}

/** Original pixel column/row `v` (of `size`) to the working frame's (content offset + scale). */
function mapCoordinate(v: number, size: number, offset: number, scaled: number): number {
  return offset + Math.min(scaled - 1, Math.floor(((v + 0.5) * scaled) / size));
}

/** The working frame's box covering original pixels [x0, x1) x [y0, y1). */
export function boxToWorking(box: BoundingBox, work: WorkingResolution): BoundingBox {
  const { content, originalWidth: W, originalHeight: H } = work;
  return {
    x0: content.x + Math.floor((box.x0 * content.width) / W),
    y0: content.y + Math.floor((box.y0 * content.height) / H),
    x1: content.x + Math.max(1, Math.ceil((box.x1 * content.width) / W)),
    y1: content.y + Math.max(1, Math.ceil((box.y1 * content.height) / H)),
  };
}

/** The working frame's pixel holding the centre of original pixel (x, y). */
export function pointToWorking(x: number, y: number, work: WorkingResolution): { x: number; y: number } {
  const { content, originalWidth: W, originalHeight: H } = work;
  return {
    x: mapCoordinate(x, W, content.x, content.width),
    y: mapCoordinate(y, H, content.y, content.height),
  };
}

function rectangle(width: number, height: number, box: BoundingBox): Mask {
  const data = new Uint8Array(width * height);
  const x0 = Math.max(0, box.x0);
  const x1 = Math.min(width, box.x1);
  for (let y = Math.max(0, box.y0); y < Math.min(height, box.y1); y++)
    data.fill(255, y * width + x0, y * width + x1);
  return { width, height, data };
}

/** The hint in the working frame; `radius` (pixels) sizes a point's region. */
export async function hintToWorking(
  hint: PipelineHint,
  work: WorkingResolution,
  radius: number,
): Promise<WorkingHint> {
  const { width, height } = work;
  if (hint.kind === "mask") {
    const region = await toWorkingMask(hint.mask, work);
    return {
      kind: "mask",
      region,
      point: null,
      box: maskBoundingBox(region) ?? { x0: 0, y0: 0, x1: 0, y1: 0 },
    };
  }
  if (hint.kind === "box") {
    const box = boxToWorking(hint, work);
    return { kind: "box", region: rectangle(width, height, box), point: null, box };
  }
  const point = pointToWorking(hint.x, hint.y, work);
  const box = {
    x0: Math.max(0, point.x - radius),
    y0: Math.max(0, point.y - radius),
    x1: Math.min(width, point.x + radius + 1),
    y1: Math.min(height, point.y + radius + 1),
  };
  return { kind: "point", region: rectangle(width, height, box), point, box };
}

/**
 * M_b under the hint: inside the region (box, mask), or its components that reach the point's
 * region (point); the region itself when that leaves nothing.
 */
export function restrictRough(rough: Mask, hint: WorkingHint): { mask: Mask; use: HintMeta["rough"] } {
  const { width, height } = rough;
  const out = new Uint8Array(width * height);
  let any = false;
  if (hint.kind === "point") {
    const { labels } = labelComponents(rough);
    const near = new Set<number>();
    for (let i = 0; i < labels.length; i++)
      if (labels[i] !== 0 && hint.region.data[i] !== 0) near.add(labels[i]);
    for (let i = 0; i < labels.length; i++)
      if (near.has(labels[i])) {
        out[i] = 255;
        any = true;
      }
  } else {
    for (let i = 0; i < out.length; i++)
      if (rough.data[i] !== 0 && hint.region.data[i] !== 0) {
        out[i] = 255;
        any = true;
      }
  }
  if (!any) return { mask: { width, height, data: hint.region.data.slice() }, use: "replaced" };
  return { mask: { width, height, data: out }, use: "restricted" };
}
