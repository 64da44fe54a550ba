import json
import tempfile
import unittest
from pathlib import Path

from tests.support import fixture_like_manifest
from zone_export.contract import TINY_DIMS, role_spec, spec_json
from zone_export.manifest import (
    build_manifest,
    bundle_id,
    id_label,
    manifest_text,
    model_entry,
    read_manifest,
    with_engine,
    write_manifest,
)


class ManifestTest(unittest.TestCase):
    def test_layout_and_order(self):
        manifest = fixture_like_manifest()
        self.assertEqual(
            list(manifest),
            ["schemaVersion", "id", "description", "models", "tokenizer", "scheduler", "latent", "attention"],
        )
        self.assertEqual(manifest["tokenizer"], {"dir": "tokenizer"})
        self.assertEqual(manifest["scheduler"], {"config": "scheduler/scheduler_config.json"})
        self.assertEqual(manifest["latent"], {"channels": 4, "downsample": 8, "scalingFactor": 0.18215})
        self.assertEqual(manifest["attention"], {"output": "attention_probs", "stride": 32})
        self.assertEqual(list(manifest["models"])[0], "textEncoder")

    def test_required_roles(self):
        models = {"textEncoder": model_entry("t.onnx", "0" * 64, spec_json(role_spec("textEncoder", TINY_DIMS)))}
        with self.assertRaisesRegex(ValueError, "vaeEncoder"):
            build_manifest(bundle="x-0123456789ab", description="", models=models, dims=TINY_DIMS, scaling_factor=0.18215)

    def test_unknown_roles(self):
        manifest = fixture_like_manifest()
        models = dict(manifest["models"], refiner=manifest["models"]["textEncoder"])
        with self.assertRaisesRegex(ValueError, "refiner"):
            build_manifest(bundle="x", description="", models=models, dims=TINY_DIMS, scaling_factor=0.18215)

    def test_classifier_is_optional(self):
        manifest = fixture_like_manifest()
        models = {k: v for k, v in manifest["models"].items() if k != "actionClassifier"}
        built = build_manifest(bundle="x", description="", models=models, dims=TINY_DIMS, scaling_factor=0.18215)
        self.assertNotIn("actionClassifier", built["models"])

    def test_bundle_id_follows_content_only(self):
        digests = {"a.onnx": "1" * 64, "tokenizer/vocab.json": "2" * 64}
        first = bundle_id("zone-sd15-fp16", digests)
        self.assertRegex(first, r"^zone-sd15-fp16-[0-9a-f]{12}$")
        self.assertEqual(bundle_id("zone-sd15-fp16", {**digests, "manifest.json": "3" * 64, "export-info.json": "4" * 64}), first)
        self.assertNotEqual(bundle_id("zone-sd15-fp16", {**digests, "a.onnx": "5" * 64}), first)
        with self.assertRaises(ValueError):
            bundle_id("x", {"manifest.json": "1" * 64})

    def test_id_label(self):
        self.assertEqual(id_label("zone-sd15-fp16-0123456789ab"), "zone-sd15-fp16")
        with self.assertRaises(ValueError):
            id_label("fixtures-v1")

    def test_with_engine_adds_sorted_engines_without_touching_the_input(self):
        manifest = fixture_like_manifest()
        one = with_engine(manifest, "ip2pUnet", "H100", "engines/h100/ip2pUnet_ctx.onnx", "a" * 64)
        two = with_engine(one, "ip2pUnet", "A100", "engines/a100/ip2pUnet_ctx.onnx", "b" * 64)
        self.assertNotIn("engines", manifest["models"]["ip2pUnet"])
        self.assertEqual(list(two["models"]["ip2pUnet"]["engines"]), ["A100", "H100"])
        self.assertEqual(two["models"]["ip2pUnet"]["engines"]["H100"], {"file": "engines/h100/ip2pUnet_ctx.onnx", "sha256": "a" * 64})
        with self.assertRaises(KeyError):
            with_engine({"models": {}}, "ip2pUnet", "H100", "f", "a" * 64)

    def test_write_and_read(self):
        manifest = fixture_like_manifest()
        with tempfile.TemporaryDirectory() as folder:
            path = write_manifest(folder, manifest)
            self.assertTrue(path.read_text().endswith("}\n"))
            self.assertEqual(read_manifest(folder), manifest)
            self.assertEqual(json.loads(manifest_text(manifest)), manifest)
            self.assertEqual(Path(folder, "manifest.json"), path)


if __name__ == "__main__":
    unittest.main()
