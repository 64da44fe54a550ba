"""One torch module per role whose forward has exactly the contract's inputs and outputs (names
and order as in contract.role_spec), around the diffusers / transformers models.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .attention import AttentionProbsRecorder, install_attention_probs
from .contract import MASK_THRESHOLD, STABILITY_OFFSET


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


def upscale_masks(logits: torch.Tensor, image_frame: torch.Tensor, model_size: int) -> torch.Tensor:
    """segment-anything's Sam.postprocess_masks on (N, K, r, r) logits: bilinear to the square model
    input, crop to the resized image inside its padding, bilinear to the image. The crop ends and
    the image size are int64 tensor elements of image_frame, so tracing keeps them dynamic (ONNX
    Slice ends and Resize sizes from the input) as segment-anything's SamOnnxModel does."""
    square = F.interpolate(logits, size=(model_size, model_size), mode="bilinear", align_corners=False)
    resized = square[..., : image_frame[0], : image_frame[1]]
    return F.interpolate(resized, size=(image_frame[2], image_frame[3]), mode="bilinear", align_corners=False)


# Stands in for "no hit" when taking the first index: above any index, and a constant, so a trace
# cannot bake one frame's length into it (a baked length would silently win the minimum on a
# larger image).
_NO_HIT = 2**31 - 1


def _extent(hits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """First and last index along the last axis where `hits` (bool) is true, both 0 where none is.
    The index is an arange over the axis' length, which tracing keeps dynamic."""
    index = torch.arange(hits.shape[-1], device=hits.device)
    first = torch.where(hits, index, _NO_HIT).amin(dim=-1)
    last = torch.where(hits, index, -1).amax(dim=-1)
    found = last >= 0
    return torch.where(found, first, 0), torch.where(found, last, 0)


def mask_boxes(masks: torch.Tensor) -> torch.Tensor:
    """Inclusive (x0, y0, x1, y1) of `masks` > MASK_THRESHOLD over the last two axes (y = row, x =
    column), zeros for an empty mask (segment-anything's batched_mask_to_box). A row holds a mask
    pixel exactly when its maximum is above the threshold: the same as any(masks > threshold)
    over the row, without a boolean image per mask."""
    y0, y1 = _extent(masks.amax(dim=-1) > MASK_THRESHOLD)
    x0, x1 = _extent(masks.amax(dim=-2) > MASK_THRESHOLD)
    return torch.stack([x0, y0, x1, y1], dim=-1)


def mask_statistics(low_res_masks: torch.Tensor, image_frame: torch.Tensor, model_size: int) -> torch.Tensor:
    """The contract's mask_stats: low-resolution logits (1, P, K, r, r) and image_frame int64
    [input_height, input_width, image_height, image_width] -> int32 (1, P, K, 7), per mask the
    pixel counts of the upscaled logits above 1, 0 and -1 (stability score intersection, area,
    union) and the mask's inclusive box. Computed in the graph because the automatic mask
    generator needs them for thousands of masks, which is slow on the host."""
    masks = upscale_masks(low_res_masks.flatten(0, 1), image_frame, model_size)  # (P, K, H, W): Resize wants 4-D
    counts = [
        (masks > cut).sum(dim=(-2, -1), dtype=torch.int32)
        for cut in (MASK_THRESHOLD + STABILITY_OFFSET, MASK_THRESHOLD, MASK_THRESHOLD - STABILITY_OFFSET)
    ]
    stats = torch.cat([torch.stack(counts, dim=-1), mask_boxes(masks).to(torch.int32)], dim=-1)
    return stats.unsqueeze(0)


class SamDecoderWithStatistics(SamDecoder):
    """SamDecoder plus the contract's optional mask statistics: image_frame int64 [4] in, mask_stats
    int32 (1, P, 3, 7) out after the low-resolution masks and IoUs (see mask_statistics)."""

    def __init__(self, sam, model_size: int) -> None:
        super().__init__(sam)
        self.model_size = model_size

    def forward(
        self,
        image_embeddings: torch.Tensor,
        point_coords: torch.Tensor,
        point_labels: torch.Tensor,
        image_frame: torch.Tensor,
    ):
        low_res_masks, iou_scores = super().forward(image_embeddings, point_coords, point_labels)
        return low_res_masks, iou_scores, mask_statistics(low_res_masks, image_frame, self.model_size)


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
