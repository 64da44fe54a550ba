// A stand-in for another editor (an instruction editor that re-renders the whole photo), made in
// the browser on a canvas, so compose means something without real weights: like `zone demo`'s
// simulated editor (gpu-function/src/demo/synthetic-edit.ts) it turns the red things blue (on the
// demo scene: the ball, keeping its shading) and nudges every other pixel a little (a global
// brightness drift plus a fixed noise pattern), as diffusion editors do. It is deterministic, so
// the same photo gives the same output (a second compose of it is a free cache hit).

/** The tone drift added to every pixel outside the recoloured region, and the noise's amplitude. */
export const SIMULATED_EDITOR = { drift: 4, noise: 3 };

/** A strongly red pixel: what this editor recolours. */
const isRed = (r, g, b) => r > 110 && r > 1.8 * g && r > 1.8 * b;

/** Integer noise in [-amplitude, amplitude] from a pixel's index and channel (a fixed hash). */
function noise(i, amplitude) {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) % (2 * amplitude + 1)) - amplitude;
}

const clamp = (v) => Math.min(255, Math.max(0, Math.round(v)));

/**
 * The other editor's output of `file` as a PNG File, and how many of its pixels it changed.
 * Decoded without colour conversion, so the bytes compared are the file's own samples.
 */
export async function simulateOtherEditor(file) {
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
  const data = pixels.data;
  const { drift, noise: amplitude } = SIMULATED_EDITOR;
  let changed = 0;
  for (let p = 0; p < data.length; p += 4) {
    const [r, g, b] = [data[p], data[p + 1], data[p + 2]];
    const next = isRed(r, g, b) ? [b * 0.4, g * 0.8, r + 15] : [r + drift, g + drift, b + drift];
    let differs = false;
    for (let c = 0; c < 3; c++) {
      const value = clamp(next[c] + noise(p + c, amplitude));
      if (value !== data[p + c]) differs = true;
      data[p + c] = value;
    }
    if (differs) changed++;
  }
  context.putImageData(pixels, 0, 0);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  const name = file.name.replace(/\.[^.]+$/, "");
  return {
    file: new File([blob], `${name}-other-editor.png`, { type: "image/png" }),
    changedPixels: changed,
    pixels: bitmap.width * bitmap.height,
  };
}
