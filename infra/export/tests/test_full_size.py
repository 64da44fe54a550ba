"""The full-size random architectures (full_size.py) have the published sizes. Built on PyTorch's
meta device: the shapes and parameter counts without allocating 6 GB of weights."""

import unittest

from tests.support import available

HAVE_MODELS = available("torch", "diffusers", "transformers")


@unittest.skipUnless(HAVE_MODELS, "torch, diffusers and transformers are not installed")
class FullSizeArchitecturesTest(unittest.TestCase):
    def build(self, builder, *args):
        import torch

        with torch.device("meta"):
            return builder(*args)

    def millions(self, module) -> float:
        from zone_export.full_size import parameter_count

        return round(parameter_count(module) / 1e6, 2)

    def test_the_published_parameter_counts(self):
        from zone_export import full_size

        # SD 1.5's UNet is 859.52 M with 4 input channels; InstructPix2Pix's first convolution
        # takes 8 (4 x 320 x 3 x 3 = 11,520 more weights).
        unet = self.build(full_size.unet, "ip2pUnet")
        self.assertEqual(unet.conv_in.in_channels, 8)
        self.assertEqual(self.millions(unet), 859.53)
        self.assertEqual(self.millions(self.build(full_size.text_encoder)), 123.06)  # CLIP ViT-L/14 text
        self.assertEqual(self.millions(self.build(full_size.vae)), 83.65)  # SD's AutoencoderKL
        sam = self.build(full_size.sam)
        self.assertEqual(self.millions(sam.vision_encoder), 637.03)  # SAM ViT-H image encoder
        self.assertEqual(self.millions(sam), 641.09)

    def test_the_contract_dimensions(self):
        from zone_export import full_size

        dims = full_size.FULL_DIMS
        self.assertEqual(self.build(full_size.text_encoder).config.hidden_size, dims.text_hidden)
        self.assertEqual(self.build(full_size.unet, "magicBrushUnet").config.cross_attention_dim, dims.text_hidden)
        self.assertEqual(self.build(full_size.vae).config.scaling_factor, 0.18215)
        sam = self.build(full_size.sam)
        self.assertEqual(sam.config.vision_config.image_size, dims.sam_image_size)
        self.assertEqual(sam.config.vision_config.output_channels, dims.sam_embed_channels)
        classifier = self.build(full_size.action_classifier)
        self.assertEqual((classifier.fc1.in_features, classifier.fc2.out_features), (dims.text_hidden, dims.classes))


if __name__ == "__main__":
    unittest.main()
