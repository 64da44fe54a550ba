"""The samDecoder's mask statistics (contract.SAM_STATS_OUTPUT): the numpy reference on cases small
enough to check by hand, then (where PyTorch is installed) wrappers.mask_statistics against that
reference, and (with onnx and onnxruntime) the exported graph against it too."""

import tempfile
import unittest
from pathlib import Path

from tests.support import available

HAVE_NUMPY = available("numpy")
HAVE_TORCH = HAVE_NUMPY and available("torch")
HAVE_ONNX = HAVE_TORCH and available("onnx", "onnxruntime")
HAVE_SAM_EXPORT = HAVE_ONNX and available("transformers")

# Hand-checked cases: 4 x 4 low-resolution logits, a 16-pixel square model input, then a frame
# [input_height, input_width, image_height, image_width] (each one sam_image_frame of its image).
# Upscaling 4 -> 16 turns a step between 2 and -2 into 2, 1.5, 0.5, -0.5, -1.5, -2 (source
# positions k/4 + 1/8 apart); 16 -> 8 and 12 -> 6 average neighbouring pairs, 16 -> 32 interpolates
# at quarter positions. Every value is a short binary fraction, so float32 holds them exactly
# and values that land on a cut-off (1 or -1) test that the counts are strict (m > cut).
MODEL_SIZE = 16
PORTRAIT = (16, 12, 8, 6)  # an 8 x 6 image: the padding cuts columns 12..15 of the square
LANDSCAPE = (12, 16, 6, 8)  # a 6 x 8 image: the padding cuts rows 12..15
LARGE = (12, 16, 24, 32)  # a 24 x 32 image, larger than the model input


def _low_res(name: str):
    import numpy as np

    if name.startswith("constant "):
        return np.full((4, 4), float(name.split()[1]), dtype=np.float32)
    logits = np.full((4, 4), -8.0 if name == "hot pixel" else -2.0, dtype=np.float32)
    if name == "left half":
        logits[:, :2] = 2
    elif name == "right half":
        logits[:, 2:] = 2
    elif name == "top half":
        logits[:2] = 2
    elif name == "hot pixel":
        logits[1, 2] = 8
    return logits


# (low-resolution logits, frame, [count > 1, count > 0, count > -1, x0, y0, x1, y1])
CASES = [
    ("constant 2", PORTRAIT, [48, 48, 48, 0, 0, 5, 7]),  # full mask: the whole image is the box
    ("constant 0.5", PORTRAIT, [0, 48, 48, 0, 0, 5, 7]),  # a mask, but not a stable one
    ("constant -0.5", PORTRAIT, [0, 0, 48, 0, 0, 0, 0]),  # empty mask: zeros box, union still full
    ("constant -2", PORTRAIT, [0, 0, 0, 0, 0, 0, 0]),
    ("left half", PORTRAIT, [24, 32, 32, 0, 0, 3, 7]),  # columns 2, 2, 2, 1, -1, -2
    ("right half", PORTRAIT, [8, 16, 16, 4, 0, 5, 7]),  # after the crop: -2, -2, -2, -1, 1, 2
    ("top half", PORTRAIT, [18, 24, 24, 0, 0, 5, 3]),  # rows 2, 2, 2, 1, -1, -2, -2, -2
    ("hot pixel", PORTRAIT, [0, 4, 4, 4, 2, 5, 3]),  # peak exactly 1 in a 2 x 2 block, -5 and -7 around
    ("left half", LANDSCAPE, [18, 24, 24, 0, 0, 3, 5]),  # columns 2, 2, 2, 1, -1, -2, -2, -2
    ("top half", LANDSCAPE, [24, 32, 32, 0, 0, 7, 3]),  # rows 2, 2, 2, 1, -1, -2 after the crop
    # Upscaled again: columns ..., 1.25, 0.75, 0.25, -0.25, -0.75, -1.25, ... (14, 16, 18 above the cuts)
    ("left half", LARGE, [14 * 24, 16 * 24, 18 * 24, 0, 0, 15, 23]),
]


@unittest.skipUnless(HAVE_NUMPY, "numpy is not installed")
class ResizeReferenceTest(unittest.TestCase):
    def test_same_size_is_the_identity(self):
        import numpy as np

        from tests.mask_stats_reference import resize_bilinear

        x = np.random.default_rng(0).standard_normal((2, 5, 7)).astype(np.float32)
        self.assertTrue((resize_bilinear(x, 5, 7) == x).all())

    def test_halving_averages_pairs(self):
        import numpy as np

        from tests.mask_stats_reference import resize_bilinear

        x = np.random.default_rng(1).standard_normal((16, 12)).astype(np.float32)
        pairs = (x[0::2] + x[1::2]) / 2
        np.testing.assert_allclose(resize_bilinear(x, 8, 12), pairs, rtol=0, atol=1e-6)

    def test_quadrupling_clamps_at_the_edges(self):
        import numpy as np

        from tests.mask_stats_reference import resize_bilinear

        ramp = np.array([[0, 4, 8, 12]], dtype=np.float32)  # value 4 * position
        # Output o samples position (o + 0.5) / 4 - 0.5, clamped to [0, 3]: the value o - 1.5 in [0, 12].
        expected = np.clip(np.arange(16) - 1.5, 0, 12)
        self.assertEqual(resize_bilinear(ramp, 1, 16)[0].tolist(), expected.tolist())

    def test_matches_the_formula_pixel_by_pixel(self):
        import numpy as np

        from tests.mask_stats_reference import resize_bilinear

        x = np.random.default_rng(2).standard_normal((5, 7)).astype(np.float32)

        def sample(position: float, size: int) -> tuple[int, int, float]:
            position = max(position, 0.0)
            low = min(int(np.floor(position)), size - 1)
            return low, min(low + 1, size - 1), min(position - low, 1.0)

        for height, width in ((11, 3), (13, 17), (2, 2)):
            got = resize_bilinear(x, height, width)
            for i in range(height):
                r0, r1, dy = sample(5 / height * (i + 0.5) - 0.5, 5)
                for j in range(width):
                    c0, c1, dx = sample(7 / width * (j + 0.5) - 0.5, 7)
                    top = x[r0, c0] * (1 - dx) + x[r0, c1] * dx
                    bottom = x[r1, c0] * (1 - dx) + x[r1, c1] * dx
                    self.assertAlmostEqual(float(got[i, j]), top * (1 - dy) + bottom * dy, places=5)


@unittest.skipUnless(HAVE_NUMPY, "numpy is not installed")
class MaskStatsReferenceTest(unittest.TestCase):
    def test_hand_checked_cases(self):
        from tests.mask_stats_reference import mask_stats

        for name, frame, expected in CASES:
            stats = mask_stats(_low_res(name)[None, None, None], frame, MODEL_SIZE)
            self.assertEqual((stats.shape, str(stats.dtype)), ((1, 1, 1, 7), "int32"))
            self.assertEqual(stats[0, 0, 0].tolist(), expected, f"{name} in {frame}")

    def test_the_frames_are_those_of_their_images(self):
        from zone_export.contract import sam_image_frame

        for frame in (PORTRAIT, LANDSCAPE, LARGE):
            self.assertEqual(sam_image_frame(frame[2], frame[3], MODEL_SIZE), frame)

    def test_layout_is_points_then_masks(self):
        import numpy as np

        from tests.mask_stats_reference import mask_stats

        names = [["left half", "top half", "hot pixel"], ["constant 2", "constant -0.5", "right half"]]
        logits = np.stack([np.stack([_low_res(n) for n in row]) for row in names])[None]  # (1, 2, 3, 4, 4)
        stats = mask_stats(logits, PORTRAIT, MODEL_SIZE)
        self.assertEqual(stats.shape, (1, 2, 3, 7))
        expected = {name: values for name, frame, values in CASES if frame == PORTRAIT}
        for p, row in enumerate(names):
            for k, name in enumerate(row):
                self.assertEqual(stats[0, p, k].tolist(), expected[name], name)

    def test_invariants_at_the_real_sizes(self):
        import numpy as np

        from tests.mask_stats_reference import mask_stats
        from zone_export.contract import sam_image_frame

        rng = np.random.default_rng(3)
        coarse = rng.standard_normal((1, 2, 3, 8, 8)).astype(np.float32) * 4
        noise = rng.standard_normal((1, 2, 3, 256, 256)).astype(np.float32)
        logits = np.repeat(np.repeat(coarse, 32, axis=-1), 32, axis=-2) + noise  # blobs with ragged edges
        frame = sam_image_frame(300, 200, 1024)
        for intersection, area, union, x0, y0, x1, y1 in mask_stats(logits, frame, 1024).reshape(-1, 7).tolist():
            self.assertTrue(0 <= intersection <= area <= union <= 300 * 200)
            if area == 0:
                self.assertEqual([x0, y0, x1, y1], [0, 0, 0, 0])
            else:
                self.assertTrue(0 <= x0 <= x1 < 200 and 0 <= y0 <= y1 < 300)
                self.assertLessEqual(area, (x1 - x0 + 1) * (y1 - y0 + 1))


def _assert_stats_close(test: unittest.TestCase, reference, actual, frame) -> None:
    """Within verify.py's mask_stats tolerance (tolerances.py: pixels on a cut-off may flip)."""
    from zone_export.tolerances import MASK_BOX_EDGE, MASK_COUNTS, mask_stats_errors

    counts, edges = mask_stats_errors(reference, actual)
    test.assertLessEqual(counts, MASK_COUNTS.bound(int(frame[2]) * int(frame[3])), f"counts in {frame}")
    test.assertLessEqual(edges, MASK_BOX_EDGE, f"box in {frame}")


@unittest.skipUnless(HAVE_TORCH, "torch is not installed")
class TorchMaskStatisticsTest(unittest.TestCase):
    def test_hand_checked_cases_exactly(self):
        import torch

        from zone_export.wrappers import mask_statistics

        for name, frame, expected in CASES:
            logits = torch.from_numpy(_low_res(name))[None, None, None]
            stats = mask_statistics(logits, torch.tensor(frame, dtype=torch.int64), MODEL_SIZE)
            self.assertEqual(stats.dtype, torch.int32)
            self.assertEqual(stats[0, 0, 0].tolist(), expected, f"{name} in {frame}")

    def test_random_logits_match_the_reference(self):
        import numpy as np
        import torch

        from tests.mask_stats_reference import mask_stats
        from zone_export.contract import sam_image_frame
        from zone_export.wrappers import mask_statistics

        rng = np.random.default_rng(4)
        sizes = ((64, 16, 3, (50, 37)), (64, 16, 1, (130, 90)), (1024, 256, 2, (683, 1024)))
        for model_size, low, points, image in sizes:
            logits = (rng.standard_normal((1, points, 3, low, low)) * 3).astype(np.float32)
            frame = sam_image_frame(*image, model_size)
            with torch.no_grad():
                got = mask_statistics(torch.from_numpy(logits), torch.tensor(frame, dtype=torch.int64), model_size)
            self.assertEqual(tuple(got.shape), (1, points, 3, 7))
            _assert_stats_close(self, mask_stats(logits, frame, model_size), got.numpy(), frame)


@unittest.skipUnless(HAVE_ONNX, "torch, onnx and onnxruntime are not installed")
class ExportedMaskStatisticsTest(unittest.TestCase):
    def test_the_graph_follows_the_frame_it_is_given(self):
        import numpy as np
        import onnxruntime as ort
        import torch

        from tests.mask_stats_reference import mask_stats
        from zone_export.contract import RoleSpec, TensorSpec, sam_image_frame
        from zone_export.torch_export import export_role
        from zone_export.wrappers import mask_statistics

        model_size, low = 64, 16

        class Statistics(torch.nn.Module):
            def forward(self, low_res_masks, image_frame):
                return mask_statistics(low_res_masks, image_frame, model_size)

        spec = RoleSpec(
            (
                TensorSpec("low_res_masks", "float32", (1, "points", 3, low, low)),
                TensorSpec("image_frame", "int64", (4,)),
            ),
            (TensorSpec("mask_stats", "int32", (1, "points", 3, 7)),),
        )
        rng = np.random.default_rng(5)

        def inputs(points: int, image: tuple[int, int]) -> dict:
            logits = (rng.standard_normal((1, points, 3, low, low)) * 3).astype(np.float32)
            frame = np.array(sam_image_frame(*image, model_size), dtype=np.int64)
            return {"low_res_masks": logits, "image_frame": frame}

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "statistics.onnx")
            export_role(Statistics(), spec, inputs(2, (48, 64)), path)  # traced landscape
            session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
            for points, image in ((3, (90, 31)), (1, (40, 40)), (4, (20, 70))):  # portrait, square, landscape
                given = inputs(points, image)
                (got,) = session.run(["mask_stats"], given)
                self.assertEqual((got.shape, str(got.dtype)), ((1, points, 3, 7), "int32"))
                reference = mask_stats(given["low_res_masks"], given["image_frame"], model_size)
                _assert_stats_close(self, reference, got, given["image_frame"])


@unittest.skipUnless(HAVE_SAM_EXPORT, "torch, transformers, onnx and onnxruntime are not installed")
class SamDecoderExportTest(unittest.TestCase):
    def test_the_tiny_decoder_exports_the_contract_and_verifies(self):
        from zone_export.contract import TINY_DIMS, signature_differences, spec_json
        from zone_export.inputs import TRACE_BINDINGS, random_inputs
        from zone_export.model_factory import ModelFactory
        from zone_export.numerics import role_checks
        from zone_export.onnx_io import read_signature
        from zone_export.torch_export import export_role

        for statistics in (True, False):
            factory = ModelFactory(tiny_random=True, dims=TINY_DIMS, sam_statistics=statistics)
            spec = factory.spec("samDecoder")
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder, "samDecoder.onnx")
                export_role(factory.module("samDecoder"), spec, random_inputs(spec, TRACE_BINDINGS, 0), path)
                self.assertEqual(signature_differences(spec_json(spec), read_signature(path)), [])
                checks = role_checks(factory, "samDecoder", path, ["CPUExecutionProvider"], None)
            self.assertTrue(all(c.ok for c in checks), [c for c in checks if not c.ok])
            names = [c.check.split()[0] for c in checks if not c.skipped]
            self.assertEqual(names.count("mask_stats"), 2 if statistics else 0)


if __name__ == "__main__":
    unittest.main()
