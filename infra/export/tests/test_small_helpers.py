import unittest

from tests.support import available
from zone_export.inputs import TRACE_BINDINGS, VERIFY_BINDINGS
from zone_export.ort_providers import providers_for
from zone_export.pins import INSTRUCT_PIX2PIX, MAGICBRUSH, SAM_VIT_HUGE, apply_overrides, unpinned
from zone_export.report import Check, all_passed, render, skipped
from zone_export.tolerances import FLOAT16, FLOAT32, tolerance


class PinsTest(unittest.TestCase):
    def test_pins(self):
        self.assertTrue(INSTRUCT_PIX2PIX.pinned and SAM_VIT_HUGE.pinned)
        self.assertEqual(len(INSTRUCT_PIX2PIX.revision), 40)
        self.assertFalse(MAGICBRUSH.pinned)
        self.assertEqual(unpinned(apply_overrides([])), ["vinesmsuic/magicbrush-jul7"])

    def test_overrides(self):
        sources = apply_overrides([f"vinesmsuic/magicbrush-jul7={'a' * 40}"])
        self.assertTrue(sources["vinesmsuic/magicbrush-jul7"].pinned)
        self.assertEqual(unpinned(sources), [])
        self.assertFalse(apply_overrides(["facebook/sam-vit-huge=main"])["facebook/sam-vit-huge"].pinned)
        with self.assertRaises(ValueError):
            apply_overrides(["someone/else=main"])
        with self.assertRaises(ValueError):
            apply_overrides(["facebook/sam-vit-huge"])


class ReportTest(unittest.TestCase):
    def test_table(self):
        checks = [Check("ip2pUnet", "sha256", True, "abc"), Check("vaeDecoder", "sample", False, "max abs 1"), skipped("actionClassifier", "numerics", "no checkpoint")]
        text = render(checks)
        lines = text.splitlines()
        self.assertTrue(lines[0].startswith("| role"))
        self.assertIn("| FAIL", text)
        self.assertIn("| skipped", text)
        self.assertEqual(lines[-1], "1 passed, 1 failed, 1 skipped")
        self.assertEqual(len({len(line) for line in lines[:5]}), 1)
        self.assertFalse(all_passed(checks))
        self.assertTrue(all_passed([checks[0], checks[2]]))


class TolerancesTest(unittest.TestCase):
    def test_table(self):
        self.assertEqual(tolerance("ip2pUnet", "out_sample", "float32"), FLOAT32)
        self.assertEqual(tolerance("ip2pUnet", "out_sample", "float16"), FLOAT16)
        self.assertLess(tolerance("ip2pUnet", "attention_probs", "float32").atol, FLOAT32.atol)
        self.assertAlmostEqual(FLOAT32.bound(10.0), 1e-4 + 1e-2)
        with self.assertRaises(ValueError):
            tolerance("ip2pUnet", "out_sample", "int8")

    @unittest.skipUnless(available("numpy"), "numpy is not installed")
    def test_compare(self):
        import numpy as np

        from zone_export.tolerances import compare

        error, peak, relative = compare(np.array([1.0, -4.0]), np.array([1.5, -4.0]))
        self.assertEqual((error, peak, relative), (0.5, 4.0, 0.125))
        self.assertEqual(compare(np.array([1.0]), np.array([np.nan]))[0], float("inf"))
        with self.assertRaises(ValueError):
            compare(np.zeros(2), np.zeros(3))

    @unittest.skipUnless(available("numpy"), "numpy is not installed")
    def test_mask_stats_errors_split_counts_and_box(self):
        import numpy as np

        from zone_export.tolerances import MASK_COUNTS, mask_stats_errors

        reference = np.array([[[[100, 120, 150, 3, 4, 20, 30], [0, 0, 5, 0, 0, 0, 0]]]], dtype=np.int32)
        actual = reference.copy()
        self.assertEqual(mask_stats_errors(reference, actual), (0, 0))
        actual[0, 0, 0, 1] += 2
        actual[0, 0, 1, 2] -= 1
        actual[0, 0, 0, 5] += 1
        self.assertEqual(mask_stats_errors(reference, actual), (2, 1))
        self.assertEqual(MASK_COUNTS.bound(1000 * 1000), 54.0)
        with self.assertRaises(ValueError):
            mask_stats_errors(reference, reference[..., :6])
        with self.assertRaises(ValueError):
            mask_stats_errors(reference[..., :6], reference[..., :6])


class BindingsTest(unittest.TestCase):
    def test_trace_and_verify_sizes_differ_in_every_dynamic_dimension(self):
        for bindings in VERIFY_BINDINGS:
            for name, size in TRACE_BINDINGS.items():
                self.assertNotEqual(bindings[name], size, name)

    def test_unet_trace_size_forces_upsample_sizes(self):
        # Not multiples of 8 (see inputs.py), but multiples of 4 (the attention grid).
        for name in ("latent_height", "latent_width"):
            self.assertNotEqual(TRACE_BINDINGS[name] % 8, 0)
            self.assertEqual(TRACE_BINDINGS[name] % 4, 0)
            for bindings in VERIFY_BINDINGS:
                self.assertEqual(bindings[name] % 4, 0)

    @unittest.skipUnless(available("numpy"), "numpy is not installed")
    def test_random_inputs(self):
        from zone_export.contract import role_spec
        from zone_export.inputs import random_inputs

        ids = random_inputs(role_spec("textEncoder"), VERIFY_BINDINGS[0], seed=1)["input_ids"]
        self.assertEqual((ids.shape, str(ids.dtype)), ((3, 77), "int32"))
        self.assertTrue((ids[:, 0] == 49406).all() and (ids[:, -1] == 49407).all())
        sam = random_inputs(role_spec("samDecoder"), VERIFY_BINDINGS[0], seed=1)
        self.assertEqual(sam["point_coords"].shape, (1, 3, 1, 2))
        self.assertEqual(str(sam["point_labels"].dtype), "int64")
        again = random_inputs(role_spec("samDecoder"), VERIFY_BINDINGS[0], seed=1)
        self.assertTrue((again["image_embeddings"] == sam["image_embeddings"]).all())

    @unittest.skipUnless(available("numpy"), "numpy is not installed")
    def test_image_frames_follow_the_image_size(self):
        from zone_export.contract import role_spec, sam_image_frame
        from zone_export.inputs import random_inputs

        for bindings in (TRACE_BINDINGS, *VERIFY_BINDINGS):
            frame = random_inputs(role_spec("samDecoder"), bindings, seed=2)["image_frame"]
            self.assertEqual(str(frame.dtype), "int64")
            expected = sam_image_frame(bindings["image_height"], bindings["image_width"], 1024)
            self.assertEqual(tuple(frame.tolist()), expected)
            self.assertLessEqual(max(expected[:2]), 1024)
        # Landscape at trace time, portrait and square in verification: the crop differs each time.
        images = [(b["image_height"], b["image_width"]) for b in (TRACE_BINDINGS, *VERIFY_BINDINGS)]
        frames = [sam_image_frame(height, width, 1024)[:2] for height, width in images]
        self.assertEqual(frames, [(768, 1024), (1024, 341), (1024, 1024)])


class ProvidersTest(unittest.TestCase):
    def test_providers(self):
        self.assertEqual(providers_for("cpu"), ["CPUExecutionProvider"])
        self.assertEqual(providers_for("cuda")[-1], "CPUExecutionProvider")
        with self.assertRaises(ValueError):
            providers_for("rocm")


if __name__ == "__main__":
    unittest.main()
