import unittest

from zone_export.contract import (
    ENGINE_ROLES,
    FP16_ROLES,
    ROLES,
    TINY_DIMS,
    ModelDims,
    TensorSpec,
    contract_differences,
    dynamic_axes,
    has_sam_statistics,
    role_spec,
    sam_image_frame,
    signature_differences,
    spec_from_json,
    spec_json,
)


class ContractTest(unittest.TestCase):
    def test_every_role_has_a_spec(self):
        for role in ROLES:
            spec = role_spec(role)
            self.assertTrue(spec.inputs and spec.outputs, role)
        with self.assertRaises(KeyError):
            role_spec("refiner")

    def test_text_encoder_takes_int32_ids_and_gives_768_wide_states(self):
        spec = spec_json(role_spec("textEncoder"))
        self.assertEqual(spec["inputs"], [{"name": "input_ids", "dtype": "int32", "shape": ["batch", 77]}])
        self.assertEqual(spec["outputs"][0]["shape"], ["batch", 77, 768])
        self.assertEqual(spec["outputs"][1], {"name": "pooler_output", "dtype": "float32", "shape": ["batch", 768]})

    def test_ip2p_unet_has_the_attention_output_at_a_quarter_of_the_latent(self):
        outputs = spec_json(role_spec("ip2pUnet"))["outputs"]
        self.assertEqual([o["name"] for o in outputs], ["out_sample", "attention_probs"])
        self.assertEqual(outputs[1]["shape"], ["batch", 77, "latent_height/4", "latent_width/4"])
        self.assertEqual([o["name"] for o in spec_json(role_spec("magicBrushUnet"))["outputs"]], ["out_sample"])

    def test_unet_inputs(self):
        inputs = spec_json(role_spec("ip2pUnet", TINY_DIMS))["inputs"]
        self.assertEqual(
            inputs,
            [
                {"name": "sample", "dtype": "float32", "shape": ["batch", 8, "latent_height", "latent_width"]},
                {"name": "timestep", "dtype": "float32", "shape": ["batch"]},
                {"name": "encoder_hidden_states", "dtype": "float32", "shape": ["batch", 77, 32]},
            ],
        )

    def test_vae_shapes(self):
        self.assertEqual(spec_json(role_spec("vaeEncoder"))["outputs"][0]["shape"], ["batch", 4, "height/8", "width/8"])
        decoder = spec_json(role_spec("vaeDecoder"))
        self.assertEqual(decoder["inputs"][0]["name"], "latent_sample")
        self.assertEqual(decoder["outputs"][0]["shape"], ["batch", 3, "8*latent_height", "8*latent_width"])

    def test_sam_decoder_is_one_image_many_points(self):
        spec = spec_json(role_spec("samDecoder", sam_statistics=False))
        self.assertEqual(
            [(t["name"], t["dtype"], t["shape"]) for t in spec["inputs"]],
            [
                ("image_embeddings", "float32", [1, 256, 64, 64]),
                ("point_coords", "float32", [1, "points", 1, 2]),
                ("point_labels", "int64", [1, "points", 1]),
            ],
        )
        self.assertEqual(spec["outputs"][0]["shape"], [1, "points", 3, 256, 256])
        self.assertEqual(spec["outputs"][1]["shape"], [1, "points", 3])
        self.assertEqual(len(spec["outputs"]), 2)

    def test_sam_decoder_has_the_mask_statistics_by_default(self):
        plain = spec_json(role_spec("samDecoder", sam_statistics=False))
        spec = spec_json(role_spec("samDecoder"))
        self.assertEqual(spec["inputs"][:3], plain["inputs"])
        self.assertEqual(spec["inputs"][3], {"name": "image_frame", "dtype": "int64", "shape": [4]})
        self.assertEqual(spec["outputs"][:2], plain["outputs"])
        self.assertEqual(spec["outputs"][2], {"name": "mask_stats", "dtype": "int32", "shape": [1, "points", 3, 7]})
        self.assertEqual(dynamic_axes(role_spec("samDecoder"))["mask_stats"], {1: "points"})
        self.assertNotIn("image_frame", dynamic_axes(role_spec("samDecoder")))
        self.assertTrue(has_sam_statistics(spec))
        self.assertFalse(has_sam_statistics(plain))

    def test_the_statistics_flag_changes_only_the_sam_decoder(self):
        for role in ROLES:
            if role != "samDecoder":
                self.assertEqual(role_spec(role, sam_statistics=False), role_spec(role), role)

    def test_dynamic_axes_name_every_symbolic_dimension(self):
        axes = dynamic_axes(role_spec("ip2pUnet"))
        self.assertEqual(axes["sample"], {0: "batch", 2: "latent_height", 3: "latent_width"})
        self.assertEqual(axes["attention_probs"], {0: "batch", 2: "latent_height/4", 3: "latent_width/4"})
        self.assertEqual(dynamic_axes(role_spec("samEncoder"))["pixel_values"], {0: "batch"})

    def test_role_groups(self):
        self.assertEqual(set(FP16_ROLES), set(ENGINE_ROLES))
        self.assertTrue(set(FP16_ROLES) <= set(ROLES))

    def test_attention_factor(self):
        self.assertEqual(ModelDims().attention_latent_factor, 4)
        with self.assertRaises(ValueError):
            _ = ModelDims(attention_stride=36).attention_latent_factor

    def test_tensor_spec_validates(self):
        with self.assertRaises(ValueError):
            TensorSpec("x", "bfloat16", (1,))
        with self.assertRaises(ValueError):
            TensorSpec("x", "float32", ("h+1",))

    def test_signature_differences(self):
        want = spec_json(role_spec("vaeEncoder"))
        self.assertEqual(signature_differences(want, want), [])
        got = {"inputs": [dict(want["inputs"][0], dtype="float16")], "outputs": [dict(want["outputs"][0], name="latents")]}
        problems = signature_differences(want, got)
        self.assertIn("input sample: dtype float16, expected float32", problems)
        self.assertTrue(any("output latent is missing" in p for p in problems))
        self.assertTrue(any("output latents is not expected" in p for p in problems))

    def test_signature_order_matters(self):
        want = spec_json(role_spec("ip2pUnet"))
        swapped = dict(want, outputs=list(reversed(want["outputs"])))
        self.assertEqual(signature_differences(want, swapped), ["outputs are in a different order"])

    def test_contract_accepts_the_sam_decoder_with_or_without_the_statistics(self):
        for dims in (ModelDims(), TINY_DIMS):
            for statistics in (True, False):
                signature = spec_json(role_spec("samDecoder", dims, statistics))
                self.assertEqual(contract_differences("samDecoder", dims, signature), [], statistics)

    def test_contract_reports_half_of_the_statistics_pair(self):
        full = spec_json(role_spec("samDecoder"))
        only_output = dict(full, inputs=full["inputs"][:3])
        problems = contract_differences("samDecoder", ModelDims(), only_output)
        self.assertEqual(problems[0], "mask_stats without image_frame: the mask statistics need both or neither")
        self.assertIn("input image_frame is missing (has image_embeddings, point_coords, point_labels)", problems)
        only_input = dict(full, outputs=full["outputs"][:2])
        problems = contract_differences("samDecoder", ModelDims(), only_input)
        self.assertEqual(problems[0], "image_frame without mask_stats: the mask statistics need both or neither")
        self.assertEqual(len(problems), 2)

    def test_contract_reports_statistics_with_another_dtype_or_shape(self):
        full = spec_json(role_spec("samDecoder"))
        frame = dict(full["inputs"][3], dtype="int32")
        stats = dict(full["outputs"][2], shape=[1, "points", 3, 6])
        changed = {"inputs": full["inputs"][:3] + [frame], "outputs": full["outputs"][:2] + [stats]}
        self.assertEqual(
            contract_differences("samDecoder", ModelDims(), changed),
            [
                "input image_frame: dtype int32, expected int64",
                "output mask_stats: shape [1, 'points', 3, 6], expected [1, 'points', 3, 7]",
            ],
        )
        swapped = dict(full, outputs=[full["outputs"][2]] + full["outputs"][:2])
        self.assertEqual(contract_differences("samDecoder", ModelDims(), swapped), ["outputs are in a different order"])

    def test_the_statistics_pair_belongs_to_the_sam_decoder_only(self):
        signature = spec_json(role_spec("samEncoder"))
        signature["outputs"].append({"name": "mask_stats", "dtype": "int32", "shape": [1, "points", 3, 7]})
        problems = contract_differences("samEncoder", ModelDims(), signature)
        self.assertEqual(problems, ["output mask_stats is not expected"])

    def test_sam_image_frame_is_get_preprocess_shape_then_the_image(self):
        cases = [
            ((600, 800), (768, 1024, 600, 800)),  # landscape: the width becomes 1024
            ((1000, 333), (1024, 341, 1000, 333)),  # portrait: 340.992 rounds to 341
            ((512, 512), (1024, 1024, 512, 512)),  # square: no padding
            ((1500, 2000), (768, 1024, 1500, 2000)),  # larger than the model input
            ((2048, 1), (1024, 1, 2048, 1)),  # 0.5 rounds up (Python's round would give 0)
            ((2048, 5), (1024, 3, 2048, 5)),  # 2.5 rounds up too
        ]
        for (height, width), frame in cases:
            self.assertEqual(sam_image_frame(height, width, 1024), frame, (height, width))

    def test_spec_round_trips_through_json(self):
        for role in ROLES:
            for statistics in (True, False):
                spec = role_spec(role, sam_statistics=statistics)
                self.assertEqual(spec_from_json(spec_json(spec)), spec)


if __name__ == "__main__":
    unittest.main()
