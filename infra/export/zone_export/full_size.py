"""Full-size architectures with random weights, for measuring what size alone costs (export time,
bundle size, cold start, memory, one denoising step) without downloading a single weight.

The configurations are written from the published sizes, not downloaded:
- UNets: Stable Diffusion 1.5's UNet2DConditionModel (block widths 320/640/1280/1280, two layers
  per block, 8 heads, 768-wide cross-attention) with InstructPix2Pix's 8 input channels (the noisy
  latent and the image latent), about 860 M parameters, 3.4 GB in float32;
- VAE: SD's AutoencoderKL (128/256/512/512, two layers per block, 4 latent channels, 0.18215);
- text encoder: CLIP ViT-L/14's text transformer (768 wide, 12 layers, 12 heads, 3072 MLP,
  quick_gelu, 49408 tokens, 77 positions);
- SAM: ViT-H (1280 wide, 32 layers, 16 heads, 5120 MLP, global attention at 7/15/23/31, 14-cell
  windows) with SAM's prompt encoder and mask decoder (transformers' defaults are SAM's);
- the action classifier: the release's 768 -> 128 -> 3 MLP.

Weights come from the same fixed seeds as the tiny models (tiny.SEEDS), so an export is repeatable
and verify.py rebuilds the very modules export.py exported. Nothing here is trained: edits made with
such a bundle are noise, and only its sizes and timings mean anything.
"""

from __future__ import annotations

import torch

from .contract import ModelDims
from .sd15_topology import UNET_DOWN_BLOCKS, UNET_UP_BLOCKS, VAE_DOWN_BLOCKS, VAE_UP_BLOCKS
from .tiny import SEEDS

FULL_DIMS = ModelDims()


def _seeded(role: str) -> None:
    torch.manual_seed(SEEDS[role])


def text_encoder():
    from transformers import CLIPTextConfig, CLIPTextModel

    _seeded("textEncoder")
    config = CLIPTextConfig(
        vocab_size=49408,
        hidden_size=FULL_DIMS.text_hidden,
        intermediate_size=3072,
        num_hidden_layers=12,
        num_attention_heads=12,
        max_position_embeddings=77,
        hidden_act="quick_gelu",
        projection_dim=768,
        pad_token_id=1,
        bos_token_id=49406,
        eos_token_id=49407,
        attn_implementation="eager",
    )
    return CLIPTextModel(config).eval()


def vae():
    from diffusers import AutoencoderKL

    _seeded("vae")
    return AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=VAE_DOWN_BLOCKS,
        up_block_types=VAE_UP_BLOCKS,
        block_out_channels=(128, 256, 512, 512),
        layers_per_block=2,
        latent_channels=FULL_DIMS.latent_channels,
        norm_num_groups=32,
        sample_size=512,
        scaling_factor=0.18215,
    ).eval()


def unet(role: str):
    from diffusers import UNet2DConditionModel

    _seeded(role)
    return UNet2DConditionModel(
        sample_size=64,
        in_channels=2 * FULL_DIMS.latent_channels,
        out_channels=FULL_DIMS.latent_channels,
        down_block_types=UNET_DOWN_BLOCKS,
        up_block_types=UNET_UP_BLOCKS,
        block_out_channels=(320, 640, 1280, 1280),
        layers_per_block=2,
        norm_num_groups=32,
        cross_attention_dim=FULL_DIMS.text_hidden,
        attention_head_dim=8,  # diffusers' SD 1.5 naming: the number of heads
    ).eval()


def sam():
    from transformers import SamConfig, SamModel, SamVisionConfig

    _seeded("sam")
    config = SamConfig(
        vision_config=SamVisionConfig(
            hidden_size=1280,
            num_hidden_layers=32,
            num_attention_heads=16,
            mlp_dim=5120,
            output_channels=FULL_DIMS.sam_embed_channels,
            global_attn_indexes=[7, 15, 23, 31],
            window_size=14,
            image_size=FULL_DIMS.sam_image_size,
        ),
    )
    return SamModel(config).eval()


def action_classifier():
    from .wrappers import ActionClassifier

    _seeded("actionClassifier")
    return ActionClassifier(FULL_DIMS.text_hidden).eval()


def parameter_count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
