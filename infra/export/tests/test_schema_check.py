import copy
import json
import unittest
from pathlib import Path

from tests.support import available, fixture_like_manifest
from zone_export.schema_check import SCHEMA_PATH, fallback_errors, load_schema, manifest_errors, path_errors


class SchemaCheckTest(unittest.TestCase):
    def setUp(self):
        self.schema = load_schema()
        self.manifest = fixture_like_manifest()

    def variants(self):
        """(name, broken manifest, words the errors must mention)."""
        cases = []
        m = copy.deepcopy(self.manifest)
        m["models"]["textEncoder"]["sha256"] = "ABC"
        cases.append(("bad sha256", m, "sha256"))
        m = copy.deepcopy(self.manifest)
        del m["models"]["samDecoder"]
        cases.append(("missing role", m, "samDecoder"))
        m = copy.deepcopy(self.manifest)
        m["extra"] = True
        cases.append(("unknown key", m, "extra"))
        m = copy.deepcopy(self.manifest)
        m["models"]["vaeEncoder"]["inputs"][0]["dtype"] = "bfloat16"
        cases.append(("bad dtype", m, "dtype"))
        m = copy.deepcopy(self.manifest)
        m["models"]["vaeEncoder"]["inputs"] = []
        cases.append(("no inputs", m, "inputs"))
        m = copy.deepcopy(self.manifest)
        m["latent"]["scalingFactor"] = 0
        cases.append(("non-positive scaling", m, "scalingFactor"))
        m = copy.deepcopy(self.manifest)
        m["schemaVersion"] = 2
        cases.append(("schema version", m, "schemaVersion"))
        m = copy.deepcopy(self.manifest)
        m["models"]["ip2pUnet"]["engines"] = {"H100": {"file": "engines/h100/u.onnx"}}
        cases.append(("engine without sha256", m, "sha256"))
        m = copy.deepcopy(self.manifest)
        m["models"]["ip2pUnet"]["inputs"][0]["shape"] = ["batch", -1]
        cases.append(("negative dimension", m, "shape"))
        return cases

    def test_schema_file_is_the_exported_one(self):
        self.assertEqual(SCHEMA_PATH.name, "manifest.schema.json")
        self.assertEqual(self.schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
        self.assertIn("textEncoder", self.schema["properties"]["models"]["required"])

    def test_valid_manifest_passes_the_built_in_validator(self):
        self.assertEqual(manifest_errors(self.manifest, self.schema, use_jsonschema=False), [])

    def test_built_in_validator_finds_each_problem(self):
        for name, manifest, word in self.variants():
            errors = manifest_errors(manifest, self.schema, use_jsonschema=False)
            self.assertTrue(any(word in e for e in errors), f"{name}: {errors}")

    @unittest.skipUnless(available("jsonschema"), "jsonschema is not installed")
    def test_jsonschema_agrees(self):
        self.assertEqual(manifest_errors(self.manifest, self.schema), [])
        for name, manifest, word in self.variants():
            errors = manifest_errors(manifest, self.schema)
            self.assertTrue(errors, name)

    def test_paths_must_stay_inside_the_bundle(self):
        m = copy.deepcopy(self.manifest)
        m["tokenizer"]["dir"] = "../tokenizer"
        m["models"]["textEncoder"]["file"] = "/models/t.onnx"
        m["models"]["ip2pUnet"]["engines"] = {"H100": {"file": "engines\\..\\..\\x", "sha256": "a" * 64}}
        errors = path_errors(m)
        self.assertEqual(len(errors), 3, errors)
        self.assertEqual(path_errors(self.manifest), [])

    def test_unknown_keywords_are_refused(self):
        with self.assertRaisesRegex(ValueError, "oneOf"):
            fallback_errors({}, {"oneOf": []})

    def test_fixture_bundle_manifest_shape(self):
        # The committed schema accepts a manifest as the runtime's fixture bundle writes it.
        self.assertTrue(Path(SCHEMA_PATH).is_file())
        json.dumps(self.manifest)


if __name__ == "__main__":
    unittest.main()
