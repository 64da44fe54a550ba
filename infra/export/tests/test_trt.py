import unittest
from pathlib import Path

from zone_export.contract import ENGINE_ROLES, role_spec
from zone_export.trt_options import build_options, load_options
from zone_export.trt_profiles import opt_bindings, profile_shapes, role_ranges


class TrtProfilesTest(unittest.TestCase):
    def test_unet_profiles_cover_the_runtime_sizes(self):
        profiles = profile_shapes(role_spec("ip2pUnet"), role_ranges("ip2pUnet"))
        self.assertEqual(
            profiles["min"], "sample:1x8x4x4,timestep:1,encoder_hidden_states:1x77x768"
        )
        self.assertEqual(profiles["opt"], "sample:3x8x64x64,timestep:3,encoder_hidden_states:3x77x768")
        self.assertEqual(profiles["max"], profiles["opt"])

    def test_vae_and_sam_profiles(self):
        self.assertEqual(profile_shapes(role_spec("vaeEncoder"), role_ranges("vaeEncoder"))["min"], "sample:1x3x32x32")
        self.assertEqual(
            profile_shapes(role_spec("vaeDecoder"), role_ranges("vaeDecoder", max_side=768))["max"], "latent_sample:1x4x96x96"
        )
        self.assertEqual(
            profile_shapes(role_spec("samEncoder"), role_ranges("samEncoder"))["opt"], "pixel_values:1x3x1024x1024"
        )

    def test_every_engine_role_has_ranges(self):
        for role in ENGINE_ROLES:
            profile_shapes(role_spec(role), role_ranges(role))
        with self.assertRaises(KeyError):
            role_ranges("textEncoder")

    def test_max_side_must_be_a_multiple_of_32(self):
        with self.assertRaises(ValueError):
            role_ranges("ip2pUnet", max_side=500)

    def test_missing_range(self):
        with self.assertRaisesRegex(KeyError, "latent_width"):
            profile_shapes(role_spec("vaeDecoder"), {"batch": (1, 1, 1), "latent_height": (4, 8, 8)})

    def test_opt_bindings(self):
        self.assertEqual(opt_bindings(role_ranges("ip2pUnet"))["batch"], 3)


class TrtOptionsTest(unittest.TestCase):
    def test_build_options(self):
        options = build_options(
            device=1,
            context_file=Path("/b/engines/h100/ip2pUnet_ctx.onnx"),
            cache_dir=Path("/tmp/cache"),
            timing_dir=Path("/b/engines/h100/timing-cache"),
            profiles={"min": "a:1", "opt": "a:2", "max": "a:3"},
            workspace_bytes=1 << 33,
        )
        self.assertEqual(options["device_id"], "1")
        self.assertEqual(options["trt_fp16_enable"], "1")
        self.assertEqual(options["trt_dump_ep_context_model"], "1")
        self.assertEqual(options["trt_ep_context_embed_mode"], "0")
        self.assertEqual(options["trt_ep_context_file_path"], "/b/engines/h100/ip2pUnet_ctx.onnx")
        self.assertEqual(options["trt_timing_cache_enable"], "1")
        self.assertEqual(options["trt_profile_opt_shapes"], "a:2")
        self.assertEqual(options["trt_max_workspace_size"], str(1 << 33))
        self.assertTrue(all(isinstance(v, str) for v in options.values()))

    def test_static_shapes_need_no_profiles(self):
        options = build_options(
            device=0,
            context_file=Path("c.onnx"),
            cache_dir=Path("c"),
            timing_dir=Path("t"),
            profiles={"min": "", "opt": "", "max": ""},
            workspace_bytes=1,
        )
        self.assertNotIn("trt_profile_min_shapes", options)

    def test_optimization_level_range(self):
        with self.assertRaises(ValueError):
            build_options(
                device=0, context_file=Path("c"), cache_dir=Path("c"), timing_dir=Path("t"),
                profiles={"min": "", "opt": "", "max": ""}, workspace_bytes=1, optimization_level=6,
            )

    def test_load_options_are_the_runtimes(self):
        self.assertEqual(load_options(2), {"device_id": "2"})


if __name__ == "__main__":
    unittest.main()
