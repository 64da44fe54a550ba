"""Stable Diffusion 1.5's block layout, which the full-size random models (full_size.py) and the
tiny ones (tiny.py) share: the same four down and four up blocks, so the 1/32 attention layers are
chosen exactly as for the real UNet, and the VAE downsamples by 8."""

UNET_DOWN_BLOCKS = ("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D")
UNET_UP_BLOCKS = ("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D")
VAE_DOWN_BLOCKS = ("DownEncoderBlock2D",) * 4
VAE_UP_BLOCKS = ("UpDecoderBlock2D",) * 4
