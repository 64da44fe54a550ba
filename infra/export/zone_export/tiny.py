"""Tiny random models of the same classes as the real ones, for offline tests of the export logic.

Same classes and topology where it matters: the UNets have SD 1.5's four down and four up blocks
(so the 1/32 attention layers are chosen exactly as for the real model), the VAE downsamples by 8,
SAM keeps its 1024-pixel input and 256 x 64 x 64 embeddings (small transformer inside), CLIP keeps
its 49408-token vocabulary and 77 positions. Weights come from fixed seeds, so verify.py rebuilds
the very same models that export.py exported.
"""

from __future__ import annotations

import torch

from .contract import TINY_DIMS
from .sd15_topology import UNET_DOWN_BLOCKS, UNET_UP_BLOCKS, VAE_DOWN_BLOCKS, VAE_UP_BLOCKS
SEEDS = {
    "textEncoder": 1001,
    "vae": 1002,
    "ip2pUnet": 1003,
    "magicBrushUnet": 1004,
    "sam": 1005,
    "actionClassifier": 1006,
}


def _seeded(seed: int):
    torch.manual_seed(seed)


def text_encoder():
    from transformers import CLIPTextConfig, CLIPTextModel

    _seeded(SEEDS["textEncoder"])
    config = CLIPTextConfig(
        vocab_size=49408,
        hidden_size=TINY_DIMS.text_hidden,
        intermediate_size=37,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=77,
        pad_token_id=1,
        bos_token_id=49406,
        eos_token_id=49407,
        attn_implementation="eager",
    )
    return CLIPTextModel(config).eval()


def vae():
    from diffusers import AutoencoderKL

    _seeded(SEEDS["vae"])
    return AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=VAE_DOWN_BLOCKS,
        up_block_types=VAE_UP_BLOCKS,
        block_out_channels=(8, 8, 16, 16),
        layers_per_block=1,
        latent_channels=TINY_DIMS.latent_channels,
        norm_num_groups=4,
        sample_size=64,
    ).eval()


def unet(role: str):
    from diffusers import UNet2DConditionModel

    _seeded(SEEDS[role])
    return UNet2DConditionModel(
        sample_size=16,
        in_channels=2 * TINY_DIMS.latent_channels,
        out_channels=TINY_DIMS.latent_channels,
        down_block_types=UNET_DOWN_BLOCKS,
        up_block_types=UNET_UP_BLOCKS,
        block_out_channels=(8, 8, 16, 16),
        layers_per_block=1,
        norm_num_groups=4,
        cross_attention_dim=TINY_DIMS.text_hidden,
        attention_head_dim=2,  # diffusers' SD 1.5 naming: the number of heads
    ).eval()


def sam():
    from transformers import SamConfig, SamMaskDecoderConfig, SamModel, SamPromptEncoderConfig, SamVisionConfig

    _seeded(SEEDS["sam"])
    config = SamConfig(
        vision_config=SamVisionConfig(
            hidden_size=32,
            num_hidden_layers=2,
            num_attention_heads=2,
            mlp_dim=64,
            output_channels=TINY_DIMS.sam_embed_channels,
            global_attn_indexes=[1],
            window_size=14,
        ),
        prompt_encoder_config=SamPromptEncoderConfig(hidden_size=TINY_DIMS.sam_embed_channels),
        mask_decoder_config=SamMaskDecoderConfig(
            hidden_size=TINY_DIMS.sam_embed_channels,
            num_hidden_layers=1,
            num_attention_heads=4,
            mlp_dim=64,
            iou_head_hidden_dim=32,
        ),
    )
    return SamModel(config).eval()


def action_classifier():
    from .wrappers import ActionClassifier

    _seeded(SEEDS["actionClassifier"])
    return ActionClassifier(TINY_DIMS.text_hidden).eval()
