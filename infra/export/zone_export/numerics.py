"""verify.py's numeric checks: for each role, ONNX Runtime's outputs against PyTorch's on seeded
random inputs at sizes other than the traced ones; for the InstructPix2Pix UNet also the torch
side of the attention output (the processor changes nothing else, and its maps equal an
independent recomputation with diffusers' own Attention.get_attention_scores); for the SAM
decoder's mask statistics, the graph's against PyTorch's from the graph's own low-resolution masks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import torch

from .attention import attention_layers_of
from .contract import SAM_FRAME_INPUT, SAM_STATS_OUTPUT, RoleSpec, role_spec
from .inputs import VERIFY_BINDINGS, random_inputs
from .model_factory import ModelFactory, fingerprint
from .onnx_io import weight_precision
from .report import Check, metrics, skipped
from .tolerances import MASK_BOX_EDGE, MASK_COUNTS, TORCH_EQUIVALENCE, Tolerance, compare, mask_stats_errors, tolerance
from .wrappers import mask_statistics

def ort_session(path: Path, providers: list[str]):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), sess_options=options, providers=providers)


def run_ort(session, inputs: dict) -> dict:
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, inputs)))


def run_torch(module: torch.nn.Module, spec: RoleSpec, inputs: dict) -> dict:
    with torch.no_grad():
        out = module(*(torch.from_numpy(inputs[t.name]) for t in spec.inputs))
    out = out if isinstance(out, tuple) else (out,)
    return {t.name: o.detach().cpu().numpy() for t, o in zip(spec.outputs, out)}


def _shape(a: np.ndarray) -> str:
    return "[" + ",".join(str(d) for d in a.shape) + "]"


def _compared(role: str, what: str, reference, actual, tol: Tolerance) -> Check:
    try:
        error, peak, relative = compare(reference, actual)
    except ValueError as problem:
        return Check(role, what, False, str(problem))
    bound = tol.bound(peak)
    return Check(role, what, error <= bound, metrics(error, relative, bound, tol.describe()))


def mask_stats_check(role: str, inputs: dict, actual: dict, model_size: int) -> Check:
    """The graph's mask_stats against PyTorch's mask_statistics of the graph's own low_res_masks, so
    that only the in-graph upscale is compared (the decoder's float differences are low_res_masks'
    check): counts within MASK_COUNTS of the image's pixel count, box edges within MASK_BOX_EDGE."""
    frame = inputs[SAM_FRAME_INPUT]
    with torch.no_grad():
        reference = mask_statistics(torch.from_numpy(actual["low_res_masks"]), torch.from_numpy(frame), model_size)
    what = f"{SAM_STATS_OUTPUT} {_shape(reference)} vs torch on the graph's low_res_masks"
    try:
        counts, edges = mask_stats_errors(reference.numpy(), actual.get(SAM_STATS_OUTPUT))
    except ValueError as problem:
        return Check(role, what, False, str(problem))
    bound = MASK_COUNTS.bound(float(frame[2] * frame[3]))
    detail = f"counts max diff {counts} (bound {bound:.1f} px), box edges max diff {edges} (bound {MASK_BOX_EDGE} px)"
    return Check(role, what, counts <= bound and edges <= MASK_BOX_EDGE, detail)


def capture_cross_attention(unet, layers: list[str], maps: list) -> Callable[[], None]:
    """Wraps the chosen Attention modules' forward to record softmax(QK^T) computed with
    diffusers' own get_attention_scores; returns the function that unwraps them."""
    modules = dict(unet.named_modules())
    restores = []
    for layer in layers:
        attn = modules[layer.removesuffix(".processor")]
        original = attn.forward

        def forward(hidden_states, encoder_hidden_states=None, attention_mask=None, _attn=attn, _orig=original, **kw):
            query = _attn.head_to_batch_dim(_attn.to_q(hidden_states))
            key = _attn.head_to_batch_dim(_attn.to_k(encoder_hidden_states))
            probs = _attn.get_attention_scores(query, key, None)  # (B * heads, S, T)
            maps.append(probs.reshape(-1, _attn.heads, probs.shape[1], probs.shape[2]).mean(dim=1))
            return _orig(hidden_states, encoder_hidden_states=encoder_hidden_states, attention_mask=attention_mask, **kw)

        attn.forward = forward
        restores.append((attn, original))

    def restore() -> None:
        for attn, original in restores:
            attn.forward = original

    return restore


def _layer_summary(layers: list[str]) -> str:
    """"5 layers: down_blocks.2 x2, up_blocks.1 x3"."""
    blocks: dict[str, int] = {}
    for layer in layers:
        block = layer.split(".attentions")[0]
        blocks[block] = blocks.get(block, 0) + 1
    return f"{len(layers)} layers: " + ", ".join(f"{b} x{n}" for b, n in blocks.items())


def attention_torch_checks(factory: ModelFactory, seed: int = 7) -> list[Check]:
    """Must run before factory.module("ip2pUnet") installs the processors."""
    role = "ip2pUnet"
    spec = role_spec(role, factory.dims)
    unet = factory.base(role)
    factor = factory.dims.attention_latent_factor
    layers = attention_layers_of(unet, factor)
    bindings = VERIFY_BINDINGS[0]
    inputs = random_inputs(spec, bindings, seed)
    args = [torch.from_numpy(inputs[t.name]) for t in spec.inputs]
    maps: list = []
    restore = capture_cross_attention(unet, layers, maps)
    try:
        with torch.no_grad():
            reference_out = unet(*args, return_dict=False)[0].numpy()
    finally:
        restore()
    if len(maps) != len(layers):
        return [Check(role, "attention layers", False, f"{len(maps)} of {len(layers)} layers ran")]
    mean = torch.stack(maps).mean(dim=0)
    reference_maps = mean.transpose(1, 2).reshape(mean.shape[0], mean.shape[2], bindings["latent_height"] // factor, -1)
    got = run_torch(factory.module(role), spec, inputs)
    sums = got["attention_probs"].sum(axis=1)
    return [
        Check(role, "attention layers", True, _layer_summary(layers)),
        _compared(role, "torch: out_sample vs diffusers' attention", reference_out, got["out_sample"], TORCH_EQUIVALENCE),
        _compared(role, "torch: maps vs get_attention_scores", reference_maps.numpy(), got["attention_probs"], TORCH_EQUIVALENCE),
        _compared(role, "torch: maps sum to 1 over tokens", np.ones_like(sums), sums, TORCH_EQUIVALENCE),
    ]


def role_checks(
    factory: ModelFactory, role: str, model_path: Path, providers: list[str], expected_fingerprint: str | None
) -> list[Check]:
    spec = factory.spec(role)
    checks: list[Check] = []
    actual_fingerprint = fingerprint(factory.base(role))
    if expected_fingerprint is None:
        checks.append(skipped(role, "torch weights = exported weights", "export-info.json has no fingerprint"))
    else:
        same = actual_fingerprint == expected_fingerprint
        checks.append(Check(role, "torch weights = exported weights", same, actual_fingerprint[:16]))
        if not same:
            return checks
    if role == "ip2pUnet":
        checks += attention_torch_checks(factory)
    module = factory.module(role)
    session = ort_session(model_path, providers)
    precision = weight_precision(model_path)
    for k, bindings in enumerate(VERIFY_BINDINGS):
        inputs = random_inputs(spec, bindings, seed=100 + k, sam_size=factory.dims.sam_image_size)
        reference = run_torch(module, spec, inputs)
        actual = run_ort(session, inputs)
        for tensor in spec.outputs:
            if tensor.name == SAM_STATS_OUTPUT:
                checks.append(mask_stats_check(role, inputs, actual, factory.dims.sam_image_size))
                continue
            what = f"{tensor.name} {_shape(reference[tensor.name])} {precision}"
            checks.append(
                _compared(role, what, reference[tensor.name], actual.get(tensor.name), tolerance(role, tensor.name, precision))
            )
    return checks
