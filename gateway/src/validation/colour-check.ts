// What the pipeline cannot return exactly, refused from the header before anything is stored or
// billed, with the same codes and messages as the GPU function's refusals (CALLER_IMAGE_ERRORS):
// CMYK/YCCK JPEGs, greyscale images with an ICC profile, an RGB image whose uncompressed profile
// (JPEG, WebP) is of another colour model, and a 16-bit PNG asked for as WebP (8 bits only).
import { CALLER_IMAGE_ERRORS, type OutputFormat, ZoneError } from "@zone/shared";
import type { ImageColour } from "./image-header.ts";

export function refuseUnservable(colour: ImageColour, output: OutputFormat): void {
  const space = colour.profileSpace;
  if (
    colour.model === "cmyk" ||
    (colour.model === "grey" && colour.profile === true) ||
    (colour.model !== "grey" && space !== null && space !== "RGB ")
  )
    throw new ZoneError("unsupported_colour_space", CALLER_IMAGE_ERRORS.unsupported_colour_space);
  if (colour.bitDepth > 8 && output === "webp")
    throw new ZoneError("unsupported_output", CALLER_IMAGE_ERRORS.unsupported_output);
}
