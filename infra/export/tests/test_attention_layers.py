import unittest

from zone_export.attention_layers import attention_layer_names, blocks_at_factor, cross_attention_processors

SD15_DOWN = ("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D")
SD15_UP = ("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D")


def sd15_processor_names() -> list[str]:
    """UNet2DConditionModel.attn_processors keys of SD 1.5 (layers_per_block 2)."""
    names = []
    for block in range(3):
        for a in range(2):
            for kind in ("attn1", "attn2"):
                names.append(f"down_blocks.{block}.attentions.{a}.transformer_blocks.0.{kind}.processor")
    for block in range(1, 4):
        for a in range(3):
            for kind in ("attn1", "attn2"):
                names.append(f"up_blocks.{block}.attentions.{a}.transformer_blocks.0.{kind}.processor")
    names += ["mid_block.attentions.0.transformer_blocks.0.attn1.processor", "mid_block.attentions.0.transformer_blocks.0.attn2.processor"]
    return names


class AttentionLayersTest(unittest.TestCase):
    def test_sd15_blocks_at_one_32nd_of_the_image(self):
        self.assertEqual(blocks_at_factor(SD15_DOWN, SD15_UP, 4), ([2], [1]))
        self.assertEqual(blocks_at_factor(SD15_DOWN, SD15_UP, 1), ([0], [3]))
        self.assertEqual(blocks_at_factor(SD15_DOWN, SD15_UP, 8), ([3], [0]))

    def test_sd15_has_five_cross_attention_layers_there(self):
        names = attention_layer_names(sd15_processor_names(), SD15_DOWN, SD15_UP, 4)
        self.assertEqual(
            names,
            [
                "down_blocks.2.attentions.0.transformer_blocks.0.attn2.processor",
                "down_blocks.2.attentions.1.transformer_blocks.0.attn2.processor",
                "up_blocks.1.attentions.0.transformer_blocks.0.attn2.processor",
                "up_blocks.1.attentions.1.transformer_blocks.0.attn2.processor",
                "up_blocks.1.attentions.2.transformer_blocks.0.attn2.processor",
            ],
        )

    def test_self_attention_and_mid_block_are_never_chosen(self):
        chosen = cross_attention_processors(sd15_processor_names(), [0, 1, 2, 3], [0, 1, 2, 3])
        self.assertTrue(all(".attn2." in n for n in chosen))
        self.assertFalse(any(n.startswith("mid_block") for n in chosen))

    def test_no_layers_is_an_error(self):
        with self.assertRaisesRegex(ValueError, "no cross-attention"):
            attention_layer_names(sd15_processor_names(), SD15_DOWN, SD15_UP, 8)

    def test_factor_must_be_a_power_of_two(self):
        with self.assertRaises(ValueError):
            blocks_at_factor(SD15_DOWN, SD15_UP, 3)


if __name__ == "__main__":
    unittest.main()
