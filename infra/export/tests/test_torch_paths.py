"""The torch-side export paths on tiny random models. Skipped where torch / diffusers / onnx are
not installed (CI has no PyPI); `verify.py --tiny-random` runs the whole flow where they are."""

import tempfile
import unittest
from pathlib import Path

from tests.support import available

HAVE_TORCH = available("torch", "diffusers", "numpy")
HAVE_ONNX = HAVE_TORCH and available("onnx")


@unittest.skipUnless(HAVE_TORCH, "torch and diffusers are not installed")
class AttentionOutputTest(unittest.TestCase):
    def setUp(self):
        from zone_export.contract import TINY_DIMS
        from zone_export.model_factory import ModelFactory

        self.factory = ModelFactory(tiny_random=True, dims=TINY_DIMS)

    def test_the_processor_records_and_changes_nothing_else(self):
        from zone_export.numerics import attention_torch_checks

        checks = attention_torch_checks(self.factory)
        self.assertTrue(all(c.ok for c in checks), [c for c in checks if not c.ok])
        self.assertIn("3 layers: down_blocks.2 x1, up_blocks.1 x2", checks[0].detail)

    def test_maps_have_the_contract_shape(self):
        import numpy as np

        from zone_export.contract import role_spec
        from zone_export.inputs import random_inputs
        from zone_export.numerics import run_torch

        spec = role_spec("ip2pUnet", self.factory.dims)
        bindings = {"batch": 2, "latent_height": 20, "latent_width": 12}
        out = run_torch(self.factory.module("ip2pUnet"), spec, random_inputs(spec, bindings, seed=3))
        self.assertEqual(out["out_sample"].shape, (2, 4, 20, 12))
        self.assertEqual(out["attention_probs"].shape, (2, 77, 5, 3))
        np.testing.assert_allclose(out["attention_probs"].sum(axis=1), 1.0, atol=1e-5)

    def test_tiny_models_are_reproducible(self):
        from zone_export.contract import TINY_DIMS
        from zone_export.model_factory import ModelFactory, fingerprint

        again = ModelFactory(tiny_random=True, dims=TINY_DIMS)
        for role in ("vaeEncoder", "magicBrushUnet", "actionClassifier"):
            self.assertEqual(fingerprint(self.factory.base(role)), fingerprint(again.base(role)), role)


@unittest.skipUnless(HAVE_ONNX, "torch, diffusers and onnx are not installed")
class ExportTest(unittest.TestCase):
    def test_vae_decoder_and_unet_export_with_the_contract_signature(self):
        from zone_export.contract import TINY_DIMS, role_spec, signature_differences, spec_json
        from zone_export.inputs import TRACE_BINDINGS, random_inputs
        from zone_export.model_factory import ModelFactory
        from zone_export.onnx_io import read_signature
        from zone_export.torch_export import export_role

        factory = ModelFactory(tiny_random=True, dims=TINY_DIMS)
        with tempfile.TemporaryDirectory() as folder:
            for role in ("vaeDecoder", "ip2pUnet"):
                spec = role_spec(role, TINY_DIMS)
                path = Path(folder, f"{role}.onnx")
                self.assertEqual(export_role(factory.module(role), spec, random_inputs(spec, TRACE_BINDINGS, 0), path), [path.name])
                self.assertEqual(signature_differences(spec_json(spec), read_signature(path)), [])


if __name__ == "__main__":
    unittest.main()
