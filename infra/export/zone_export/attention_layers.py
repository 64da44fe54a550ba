"""Which UNet cross-attention layers the attention output averages (method section 3).

The maps are taken where the UNet works at 1/32 of the image, i.e. at `factor` = 32 / 8 = 4 times
below the latent resolution. In diffusers' UNet2DConditionModel every down block except the last
halves the resolution after its layers and every up block except the last doubles it after its
layers, so down block i works at 2**i below the latent and up block j at 2**(n-1-j). For SD 1.5
(four blocks each way) that is down block 2 (two transformer blocks) and up block 1 (three): five
layers. Pure functions over names and block lists; the tiny test UNet has the same topology.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

# attn2 is the cross-attention of diffusers' BasicTransformerBlock (attn1 is self-attention).
_CROSS = re.compile(r"^(down|up)_blocks\.(\d+)\.attentions\.\d+\.transformer_blocks\.\d+\.attn2\.processor$")


def blocks_at_factor(down_blocks: Sequence[str], up_blocks: Sequence[str], factor: int) -> tuple[list[int], list[int]]:
    """Indices of the down and up blocks that work at `factor` below the latent resolution."""
    if factor < 1 or factor & (factor - 1):
        raise ValueError(f"factor {factor} is not a power of two")
    level = factor.bit_length() - 1
    down = [i for i in range(len(down_blocks)) if i == level]
    up = [j for j in range(len(up_blocks)) if len(up_blocks) - 1 - j == level]
    return down, up


def cross_attention_processors(
    processor_names: Iterable[str], down: Sequence[int], up: Sequence[int]
) -> list[str]:
    """The cross-attention processor names (UNet2DConditionModel.attn_processors keys) in those blocks."""
    chosen = []
    for name in processor_names:
        match = _CROSS.match(name)
        if not match:
            continue
        kind, index = match.group(1), int(match.group(2))
        if (kind == "down" and index in down) or (kind == "up" and index in up):
            chosen.append(name)
    return chosen


def attention_layer_names(
    processor_names: Iterable[str], down_blocks: Sequence[str], up_blocks: Sequence[str], factor: int
) -> list[str]:
    """The layers to record; raises when there are none (a UNet without cross-attention there)."""
    names = list(processor_names)
    down, up = blocks_at_factor(down_blocks, up_blocks, factor)
    chosen = cross_attention_processors(names, down, up)
    if not chosen:
        raise ValueError(
            f"no cross-attention layers at 1/{factor} of the latent (down blocks {down}, up blocks {up})"
        )
    return chosen
