// The automatic generator's point prompts (segment-anything `build_point_grid`): an n x n grid of
// points evenly spaced in [0, 1]^2, half a cell in from every edge, x varying fastest; then scaled
// to an image by its width and height, as the generator does before decoding.

/** (n * n, 2) normalised (x, y) points, row by row. */
export function buildPointGrid(pointsPerSide: number): Float64Array {
  if (!Number.isInteger(pointsPerSide) || pointsPerSide < 1) {
    throw new RangeError(`pointsPerSide must be a positive integer, got ${pointsPerSide}`);
  }
  const n = pointsPerSide;
  const offset = 1 / (2 * n);
  // numpy.linspace(offset, 1 - offset, n): start + i * step, with the last value exactly `stop`.
  const stop = 1 - offset;
  const step = n > 1 ? (stop - offset) / (n - 1) : 0;
  const side = Float64Array.from({ length: n }, (_, i) => (i === n - 1 && n > 1 ? stop : offset + i * step));
  const points = new Float64Array(2 * n * n);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const k = 2 * (row * n + col);
      points[k] = side[col];
      points[k + 1] = side[row];
    }
  }
  return points;
}

/** Normalised (x, y) pairs -> pixel coordinates of a width x height image (x * width, y * height). */
export function scalePoints(normalised: Float64Array, width: number, height: number): Float64Array {
  const out = new Float64Array(normalised.length);
  for (let k = 0; k < normalised.length; k += 2) {
    out[k] = normalised[k] * width;
    out[k + 1] = normalised[k + 1] * height;
  }
  return out;
}
