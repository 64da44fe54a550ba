"""numpy + OpenCV reference for `npm run bench:compose`: the same back half of ZONE, written the
way the release writes it (cv2 morphology, np.fft, findContours), timed stage by stage on the
inputs the TypeScript benchmark hands over. Prints one JSON object on stdout and writes the final
mask as final-<case>.raw so the benchmark can report how well the two implementations agree.

Usage: python3 compose_baseline.py DIR RUNS   (DIR holds cases.json and the raw inputs)
Needs numpy and OpenCV (Debian: apt-get install python3-opencv).
"""
import json
import os
import sys
import time

import cv2
import numpy as np


def small_regions_removed(mask, min_pixels=64):
    count, labels, stats, _ = cv2.connectedComponentsWithStats((mask > 0).astype(np.uint8), connectivity=4)
    keep = np.zeros(count, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_pixels
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def region_iou(rough, candidates):
    r = rough > 0
    best, best_iou = None, 0.0
    for i, c in enumerate(candidates):
        s = c > 0
        inter = np.logical_and(r, s).sum()
        union = np.logical_or(r, s).sum()
        iou = inter / union if union else 0.0
        if iou > best_iou:
            best, best_iou = i, iou
    fine = rough if best is None else candidates[best]
    return small_regions_removed(fine), best


def edge_smoother(edited, original, dilated):
    # The project's default difference ("rgb"): per channel, the maximum of the three magnitudes.
    h, w = dilated.shape
    e = np.where(dilated[..., None] > 0, edited, 0).astype(np.uint8)
    g = np.where(dilated[..., None] > 0, original, 0).astype(np.uint8)
    radius = 200 * max(w, h) / 512
    yy, xx = np.ogrid[:h, :w]
    lowpass = ((yy - h // 2) ** 2 + (xx - w // 2) ** 2) <= radius * radius
    diff = np.zeros((h, w))
    for c in range(3):
        f1 = np.fft.fftshift(np.fft.fft2(e[..., c]))
        f2 = np.fft.fftshift(np.fft.fft2(g[..., c]))
        diff = np.maximum(diff, np.abs(np.fft.ifft2(np.fft.ifftshift((f1 - f2) * lowpass))))
    thresholded = np.where(np.minimum(diff + 1e-6, 255).astype(np.uint8) > 30, 255, 0).astype(np.uint8)
    closed = cv2.morphologyEx(thresholded, cv2.MORPH_CLOSE, np.ones((21, 21), np.uint8))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = np.zeros_like(closed)
    cv2.drawContours(filled, contours, -1, 255, cv2.FILLED)
    return filled


def layer_and_composite(edited, original, fine, final):
    core = (final > 0) & (fine > 0)
    ring = (final > 0) ^ (fine > 0)
    alpha = np.where(core, 255, np.where(ring, 153, 0)).astype(np.uint8)
    layer = np.dstack([np.where(alpha[..., None] > 0, edited, 0), alpha]).astype(np.uint8)
    a = alpha[..., None].astype(np.float32) / 255
    result = np.rint(edited * a + original * (1 - a)).astype(np.uint8)
    return layer, result


def over(layer, base):
    a = layer[..., 3:4].astype(np.float32) / 255
    return np.rint(layer[..., :3] * a + base * (1 - a)).astype(np.uint8)


def run_case(case, folder):
    W, H = case["width"], case["height"]
    w, h = case["workWidth"], case["workHeight"]
    load = lambda name, shape: np.fromfile(os.path.join(folder, name), dtype=np.uint8).reshape(shape)
    original_full = load(case["original"], (H, W, 3))
    edited_full = load(case["edited"], (H, W, 3))
    rough = load(case["rough"], (h, w))
    candidates = list(load(case["candidates"], (case["candidateCount"], h, w)))
    t = {}

    def stage(name, fn, *args):
        start = time.perf_counter()
        value = fn(*args)
        t[name] = t.get(name, 0) + (time.perf_counter() - start) * 1000
        return value

    if (w, h) != (W, H):
        stage("prepare", cv2.resize, original_full, (w, h), None, 0, 0, cv2.INTER_AREA)
        stage("prepare", cv2.resize, edited_full, (w, h), None, 0, 0, cv2.INTER_AREA)
    # The later stages run on the very working images the TypeScript side used, so the final
    # masks can be compared pixel for pixel (resampling kernels differ between the libraries).
    original = load(case["originalWork"], (h, w, 3))
    edited = load(case["editedWork"], (h, w, 3))
    fine, _ = stage("regionIou", region_iou, rough, candidates)
    dilated = stage("dilate", cv2.dilate, fine, np.ones((3, 3), np.uint8), None, None, 4)
    final = stage("edgeSmoother", edge_smoother, edited, original, dilated)
    layer, _ = stage("layer+composite", layer_and_composite, edited, original, fine, final)
    if (w, h) != (W, H):
        layer = stage("scaleBack", cv2.resize, layer, (W, H), None, 0, 0, cv2.INTER_LANCZOS4)
    stage("compositeFull", over, layer, original_full)
    return t, final


def main():
    folder, runs = sys.argv[1], int(sys.argv[2])
    cases = json.load(open(os.path.join(folder, "cases.json")))
    out = {"numpy": np.__version__, "opencv": cv2.__version__, "cases": {}}
    for case in cases:
        samples = []
        for i in range(runs + 2):
            timings, final = run_case(case, folder)
            if i >= 2:
                samples.append(timings)
        final.tofile(os.path.join(folder, f"final-{case['name']}.raw"))
        stages = {k: float(np.median([s[k] for s in samples])) for k in samples[0]}
        total = float(np.median([sum(s.values()) for s in samples]))
        core_stages = ("regionIou", "dilate", "edgeSmoother", "layer+composite")
        core = float(np.median([sum(s[k] for k in core_stages) for s in samples]))
        out["cases"][case["name"]] = {"stages": stages, "total": total, "core": core}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
