"""build_engines.py's bookkeeping (manifest engines, engines.json, new id, SHA256SUMS) with the
TensorRT build itself replaced: the build needs a GPU and onnxruntime-gpu."""

import json
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from tests.support import fixture_like_manifest
from zone_export import engine_builder
from zone_export.engine_record import engine_record_problems
from zone_export.hashing import check_sums, sha256_bytes, write_sums
from zone_export.manifest import read_manifest, write_manifest
from zone_export.report import Check
from zone_export.schema_check import manifest_errors


def make_bundle(root: Path) -> dict:
    manifest = fixture_like_manifest()
    for entry in manifest["models"].values():
        data = f"model {entry['file']}".encode()
        Path(root, entry["file"]).write_bytes(data)
        entry["sha256"] = sha256_bytes(data)
    write_manifest(root, manifest)
    write_sums(root)
    return manifest


def fake_build_role(options, manifest, role, key, scratch):
    folder = options.bundle / "engines" / key.lower()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{role}_ctx.onnx").write_bytes(f"context {role}".encode())
    (folder / f"{role}.engine").write_bytes(f"plan {role}".encode())
    record = {
        "context": f"engines/{key.lower()}/{role}_ctx.onnx",
        "engines": [{"file": f"engines/{key.lower()}/{role}.engine", "sha256": sha256_bytes(f"plan {role}".encode())}],
        "fullyTensorRT": True,
        "profiles": {},
        "ranges": {},
    }
    return record, [Check(role, f"engine {key}", True)]


class EngineBuilderTest(unittest.TestCase):
    def run_build(self, root: Path, gpu_name: str, **kwargs):
        gpu = {"name": gpu_name, "computeCapability": "9.0", "driver": "570"}
        with (
            mock.patch.object(engine_builder, "gpu_info", return_value=gpu),
            mock.patch.object(engine_builder, "versions", return_value={"onnxruntime": "1.30.0", "tensorrt": "10.9.0"}),
            mock.patch.object(engine_builder, "build_role", side_effect=fake_build_role),
        ):
            return engine_builder.build_engines(engine_builder.EngineOptions(bundle=root, log=lambda _: None, **kwargs))

    def test_records_engines_and_renames_the_bundle(self):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            before = make_bundle(root)
            manifest, checks = self.run_build(root, "NVIDIA H100 80GB HBM3")
            self.assertTrue(all(c.ok for c in checks))
            self.assertEqual(read_manifest(root), manifest)
            self.assertNotEqual(manifest["id"], before["id"])
            self.assertTrue(manifest["id"].startswith("tiny-random-fp32-"))
            self.assertEqual(manifest_errors(manifest), [])
            self.assertEqual(check_sums(root), [])
            for role in engine_builder.ENGINE_ROLES:
                engine = manifest["models"][role]["engines"]["H100"]
                self.assertEqual(engine["file"], f"engines/h100/{role}_ctx.onnx")
                self.assertEqual(engine_record_problems(root, role, "H100", engine["file"]), [])
            self.assertNotIn("engines", manifest["models"]["textEncoder"])
            record = json.loads(Path(root, "engines/h100/engines.json").read_text())
            self.assertEqual(record["gpu"]["key"], "H100")
            self.assertEqual(record["versions"]["tensorrt"], "10.9.0")

    def test_a_key_the_runtime_would_not_pick_is_refused(self):
        with tempfile.TemporaryDirectory() as folder:
            make_bundle(Path(folder))
            with self.assertRaisesRegex(ValueError, "does not fit"):
                self.run_build(Path(folder), "NVIDIA L40S", gpu_type="L40")

    def test_unknown_roles_are_refused(self):
        with tempfile.TemporaryDirectory() as folder:
            make_bundle(Path(folder))
            with self.assertRaisesRegex(ValueError, "no refiner"):
                self.run_build(Path(folder), "NVIDIA A100-SXM4-80GB", roles=["refiner"])


if __name__ == "__main__":
    unittest.main()
