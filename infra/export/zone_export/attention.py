"""The UNet's extra output: cross-attention probabilities of the 1/32-resolution layers, averaged
over heads and those layers, per batch item (method section 3).

Only the chosen layers get AttentionProbsProcessor, which computes softmax(QK^T * scale)
explicitly (the same math as diffusers' AttnProcessor, with the probabilities kept); every other
layer keeps the processor diffusers chose (the fused scaled-dot-product attention on PyTorch 2).
The processors write into a recorder that the export wrapper empties before each forward pass
and reduces after it, so the traced graph has the maps as one output of shape (B, 77, h/4, w/4).
"""

from __future__ import annotations

import torch

from .attention_layers import attention_layer_names


class AttentionProbsRecorder:
    """Per-layer maps of the current forward pass, each (B, query positions, tokens)."""

    def __init__(self) -> None:
        self.maps: list[torch.Tensor] = []

    def reset(self) -> None:
        self.maps = []

    def average(self, latent_height: torch.Tensor | int, factor: int) -> torch.Tensor:
        """Mean over layers, as (B, tokens, latent_height / factor, latent_width / factor)."""
        if not self.maps:
            raise RuntimeError("no attention maps were recorded in this forward pass")
        mean = torch.stack(self.maps, dim=0).mean(dim=0)  # (B, S, T)
        batch, _, tokens = mean.shape
        rows = latent_height // factor
        return mean.transpose(1, 2).reshape(batch, tokens, rows, -1)


class AttentionProbsProcessor:
    """diffusers attention processor that also records the head-averaged probabilities."""

    def __init__(self, recorder: AttentionProbsRecorder) -> None:
        self.recorder = recorder

    def __call__(
        self,
        attn,
        hidden_states: torch.Tensor,
        encoder_hidden_states: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        temb: torch.Tensor | None = None,
        *args,
        **kwargs,
    ) -> torch.Tensor:
        residual = hidden_states
        if attn.spatial_norm is not None:
            hidden_states = attn.spatial_norm(hidden_states, temb)
        input_ndim = hidden_states.ndim
        if input_ndim == 4:
            batch_size, channel, height, width = hidden_states.shape
            hidden_states = hidden_states.view(batch_size, channel, height * width).transpose(1, 2)
        batch_size, sequence_length, _ = (
            hidden_states.shape if encoder_hidden_states is None else encoder_hidden_states.shape
        )
        attention_mask = attn.prepare_attention_mask(attention_mask, sequence_length, batch_size)
        if attn.group_norm is not None:
            hidden_states = attn.group_norm(hidden_states.transpose(1, 2)).transpose(1, 2)

        query = attn.to_q(hidden_states)
        if encoder_hidden_states is None:
            encoder_hidden_states = hidden_states
        elif attn.norm_cross:
            encoder_hidden_states = attn.norm_encoder_hidden_states(encoder_hidden_states)
        key = attn.to_k(encoder_hidden_states)
        value = attn.to_v(encoder_hidden_states)

        query = attn.head_to_batch_dim(query)  # (B * heads, S, d)
        key = attn.head_to_batch_dim(key)  # (B * heads, T, d)
        value = attn.head_to_batch_dim(value)

        # softmax(Q K^T * scale), as Attention.get_attention_scores but without baddbmm on an
        # uninitialised tensor (which exports badly).
        dtype = query.dtype
        if attn.upcast_attention:
            query, key = query.float(), key.float()
        scores = torch.bmm(query, key.transpose(-1, -2)) * attn.scale  # (B * heads, S, T)
        if attention_mask is not None:
            scores = scores + attention_mask
        if attn.upcast_softmax:
            scores = scores.float()
        probs = scores.softmax(dim=-1).to(dtype)

        heads = attn.heads
        self.recorder.maps.append(probs.reshape(-1, heads, probs.shape[1], probs.shape[2]).mean(dim=1))

        hidden_states = torch.bmm(probs, value)
        hidden_states = attn.batch_to_head_dim(hidden_states)
        hidden_states = attn.to_out[0](hidden_states)
        hidden_states = attn.to_out[1](hidden_states)
        if input_ndim == 4:
            hidden_states = hidden_states.transpose(-1, -2).reshape(batch_size, channel, height, width)
        if attn.residual_connection:
            hidden_states = hidden_states + residual
        return hidden_states / attn.rescale_output_factor


def attention_layers_of(unet, factor: int) -> list[str]:
    """The processor names of `unet`'s cross-attention layers at 1/`factor` of the latent."""
    config = unet.config
    return attention_layer_names(unet.attn_processors.keys(), config.down_block_types, config.up_block_types, factor)


def install_attention_probs(unet, factor: int) -> tuple[AttentionProbsRecorder, list[str]]:
    """Puts AttentionProbsProcessor on the chosen layers, keeps every other processor."""
    recorder = AttentionProbsRecorder()
    layers = attention_layers_of(unet, factor)
    processors = dict(unet.attn_processors)
    for name in layers:
        processors[name] = AttentionProbsProcessor(recorder)
    unet.set_attn_processor(processors)
    return recorder, layers
