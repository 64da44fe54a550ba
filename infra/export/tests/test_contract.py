import unittest

from zone_export.contract import (
    ENGINE_ROLES,
    FP16_ROLES,
    ROLES,
    TINY_DIMS,
    ModelDims,
    TensorSpec,
    dynamic_axes,
    role_spec,
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
        spec = spec_json(role_spec("samDecoder"))
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

    def test_spec_round_trips_through_json(self):
        for role in ROLES:
            spec = role_spec(role)
            self.assertEqual(spec_from_json(spec_json(spec)), spec)


if __name__ == "__main__":
    unittest.main()
