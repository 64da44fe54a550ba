"""An independent numpy reference for the samDecoder's mask_stats (contract.MASK_STATS_FIELDS), for
tests with and without PyTorch.

Bilinear resizing follows PyTorch's CPU kernel for F.interpolate(mode="bilinear",
align_corners=False) in float32: per output index o, source = max(scale * (o + 0.5) - 0.5, 0)
with scale = in / out, the lower input index floor(source) (at most in - 1), the upper one index +
1 (or the same at the edge), weight lambda = source - index on the upper one; rows and columns
are separable, the columns interpolated first. Then the statistics are segment-anything's
postprocess_masks, calculate_stability_score counts and batched_mask_to_box, written plainly.
"""

from __future__ import annotations

import numpy as np

from zone_export.contract import MASK_THRESHOLD, STABILITY_OFFSET

F32 = np.float32


def source_weights(size_in: int, size_out: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lower index, upper index, lower weight, upper weight) per output index, in float32."""
    scale = F32(size_in) / F32(size_out)
    source = np.maximum(scale * (np.arange(size_out, dtype=F32) + F32(0.5)) - F32(0.5), F32(0))
    lower = np.minimum(np.floor(source).astype(np.int64), size_in - 1)
    upper = np.where(lower < size_in - 1, lower + 1, lower)
    upper_weight = np.clip(source - lower.astype(F32), F32(0), F32(1)).astype(F32)
    return lower, upper, (F32(1) - upper_weight).astype(F32), upper_weight


def resize_bilinear(x: np.ndarray, height: int, width: int) -> np.ndarray:
    """x (..., h, w) float32 -> (..., height, width), as F.interpolate(bilinear, align_corners=False)."""
    x = np.asarray(x, dtype=F32)
    top, bottom, w_top, w_bottom = source_weights(x.shape[-2], height)
    left, right, w_left, w_right = source_weights(x.shape[-1], width)

    def along_row(rows: np.ndarray) -> np.ndarray:
        return rows[..., left] * w_left + rows[..., right] * w_right

    return along_row(x[..., top, :]) * w_top[:, None] + along_row(x[..., bottom, :]) * w_bottom[:, None]


def upscale(logits: np.ndarray, frame, model_size: int) -> np.ndarray:
    """segment-anything's postprocess_masks: to the square model input, crop, to the image."""
    input_height, input_width, image_height, image_width = (int(v) for v in frame)
    square = resize_bilinear(logits, model_size, model_size)
    return resize_bilinear(square[..., :input_height, :input_width], image_height, image_width)


def box(mask: np.ndarray) -> list[int]:
    """Inclusive [x0, y0, x1, y1] of a 2-D boolean mask, zeros when it is empty."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return [0, 0, 0, 0]
    return [int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1])]


def mask_stats(low_res_masks: np.ndarray, frame, model_size: int) -> np.ndarray:
    """(1, P, K, r, r) logits and image_frame -> int32 (1, P, K, 7) as the contract states."""
    masks = upscale(np.asarray(low_res_masks, dtype=F32)[0], frame, model_size)
    cuts = (MASK_THRESHOLD + STABILITY_OFFSET, MASK_THRESHOLD, MASK_THRESHOLD - STABILITY_OFFSET)
    stats = np.zeros(masks.shape[:2] + (7,), dtype=np.int32)
    for p in range(masks.shape[0]):
        for k in range(masks.shape[1]):
            m = masks[p, k]
            stats[p, k] = [int((m > cut).sum()) for cut in cuts] + box(m > MASK_THRESHOLD)
    return stats[None]
