"""One torch module per role whose forward has exactly the contract's inputs and outputs (names
and order as in contract.role_spec), around the diffusers / transformers models.
"""

from __future__ import annotations

import torch
from torch import nn

from .attention import AttentionProbsRecorder, install_attention_probs


class TextEncoder(nn.Module):
    """CLIPTextModel: int32 ids (B, 77) -> last_hidden_state (B, 77, D), pooler_output (B, D)."""

    def __init__(self, text_model) -> None:
        super().__init__()
        self.text_model = text_model

    def forward(self, input_ids: torch.Tensor):
        out = self.text_model(input_ids=input_ids.to(torch.int64), return_dict=True)
        return out.last_hidden_state, out.pooler_output


class VaeEncoder(nn.Module):
    """AutoencoderKL encoder: image in [-1, 1] -> the latent distribution's mean, unscaled."""

    def __init__(self, vae) -> None:
        super().__init__()
        self.vae = vae

    def forward(self, sample: torch.Tensor) -> torch.Tensor:
        return self.vae.encode(sample, return_dict=True).latent_dist.mean


class VaeDecoder(nn.Module):
    """AutoencoderKL decoder (post-quant conv included): latents / scaling factor -> image."""

    def __init__(self, vae) -> None:
        super().__init__()
        self.vae = vae

    def forward(self, latent_sample: torch.Tensor) -> torch.Tensor:
        return self.vae.decode(latent_sample, return_dict=True).sample


class Unet(nn.Module):
    """UNet2DConditionModel; with `attention_factor`, also the averaged cross-attention maps."""

    def __init__(self, unet, attention_factor: int | None = None) -> None:
        super().__init__()
        self.unet = unet
        self.factor = attention_factor
        self.recorder: AttentionProbsRecorder | None = None
        self.attention_layers: list[str] = []
        if attention_factor is not None:
            self.recorder, self.attention_layers = install_attention_probs(unet, attention_factor)

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor, encoder_hidden_states: torch.Tensor):
        if self.recorder is not None:
            self.recorder.reset()
        out_sample = self.unet(sample, timestep, encoder_hidden_states, return_dict=False)[0]
        if self.recorder is None:
            return out_sample
        maps = self.recorder.average(sample.shape[2], self.factor)
        self.recorder.reset()
        return out_sample, maps


class SamEncoder(nn.Module):
    """SamModel's image encoder: normalised (B, 3, 1024, 1024) -> embeddings (B, 256, 64, 64)."""

    def __init__(self, sam) -> None:
        super().__init__()
        self.sam = sam

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.sam.get_image_embeddings(pixel_values)


class SamDecoder(nn.Module):
    """SamModel's prompt encoder + mask decoder for one image and P single-point prompts:
    points (1, P, 1, 2) in 1024-pixel coordinates, labels (1, P, 1) -> three low-resolution mask
    logits per point (1, P, 3, 256, 256) and their predicted IoUs (1, P, 3)."""

    def __init__(self, sam) -> None:
        super().__init__()
        self.sam = sam

    def forward(self, image_embeddings: torch.Tensor, point_coords: torch.Tensor, point_labels: torch.Tensor):
        positional = self.sam.get_image_wide_positional_embeddings()  # (1, C, 64, 64)
        sparse, dense = self.sam.prompt_encoder(
            input_points=point_coords, input_labels=point_labels, input_boxes=None, input_masks=None
        )
        low_res_masks, iou_scores = self.sam.mask_decoder(
            image_embeddings=image_embeddings,
            image_positional_embeddings=positional,
            sparse_prompt_embeddings=sparse,
            dense_prompt_embeddings=dense,
            multimask_output=True,
            attention_similarity=None,
            target_embedding=None,
            output_attentions=False,
        )[:2]
        return low_res_masks, iou_scores


class ActionClassifier(nn.Module):
    """The paper's action classifier, 768 -> 128 -> ReLU -> 3 (change, add, remove). Same layout
    and parameter names (fc1, fc2) as MLPClassifier in the authors' release, so its checkpoint
    loads as is."""

    def __init__(self, input_size: int, hidden_size: int = 128, num_classes: int = 3) -> None:
        super().__init__()
        self.fc1 = nn.Linear(input_size, hidden_size)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(hidden_size, num_classes)

    def forward(self, text_embeds: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.relu(self.fc1(text_embeds)))
