import contextlib
import copy
import io
import json
import tempfile
import unittest
from pathlib import Path

from tests.support import fixture_like_manifest
from zone_export.contract import TINY_DIMS, ModelDims, role_spec, spec_json
from zone_export.contract_check import contract_problems, main


class ContractCheckTest(unittest.TestCase):
    def test_tiny_manifest_matches_tiny_dims_only(self):
        manifest = fixture_like_manifest()
        self.assertEqual(contract_problems(manifest, TINY_DIMS), [])
        self.assertTrue(contract_problems(manifest, ModelDims()))

    def test_the_sam_decoder_may_leave_out_the_statistics_pair(self):
        # What the TypeScript fixture bundle has: the decoder without image_frame and mask_stats.
        manifest = copy.deepcopy(fixture_like_manifest())
        manifest["models"]["samDecoder"].update(spec_json(role_spec("samDecoder", TINY_DIMS, sam_statistics=False)))
        self.assertEqual(contract_problems(manifest, TINY_DIMS), [])
        del manifest["models"]["samDecoder"]["outputs"][1]
        problems = contract_problems(manifest, TINY_DIMS)
        self.assertEqual(problems, ["samDecoder: output iou_scores is missing (has low_res_masks)"])

    def test_half_of_the_statistics_pair_is_a_difference(self):
        manifest = copy.deepcopy(fixture_like_manifest())
        manifest["models"]["samDecoder"]["inputs"].pop()  # image_frame
        self.assertEqual(
            contract_problems(manifest, TINY_DIMS)[0],
            "samDecoder: mask_stats without image_frame: the mask statistics need both or neither",
        )

    def test_cli(self):
        manifest = copy.deepcopy(fixture_like_manifest())
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "manifest.json")
            path.write_text(json.dumps(manifest))
            with contextlib.redirect_stdout(io.StringIO()) as out:
                self.assertEqual(main([str(path), "--dims", "tiny"]), 0)
            self.assertIn("0 difference(s)", out.getvalue())
            manifest["models"]["samDecoder"]["outputs"][1]["name"] = "iou_predictions"
            path.write_text(json.dumps(manifest))
            with contextlib.redirect_stdout(io.StringIO()) as out:
                self.assertEqual(main([str(path), "--dims", "tiny"]), 1)
            self.assertIn("output iou_scores is missing", out.getvalue())


if __name__ == "__main__":
    unittest.main()
