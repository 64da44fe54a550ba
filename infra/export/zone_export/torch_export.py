"""torch.onnx.export for one role: trace the wrapper at example sizes with the contract's dynamic
axes (TorchScript exporter, opset 17), stamp the contract onto the graph's inputs and outputs,
check the graph and save it (one file, or with external data above 2 GB).
"""

from __future__ import annotations

import inspect
import tempfile
import warnings
from pathlib import Path
from typing import Mapping

import torch

from .contract import RoleSpec, dynamic_axes
from .onnx_io import check_model, load_model, save_model, stamp_signature

OPSET = 17


def _export_kwargs() -> dict:
    # torch >= 2.5 has a dynamo exporter; the contract's symbolic names need the TorchScript one.
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        return {"dynamo": False}
    return {}


def export_role(
    module: torch.nn.Module, spec: RoleSpec, inputs: Mapping[str, "object"], path: str | Path, opset: int = OPSET
) -> list[str]:
    """Exports `module` (forward args in the contract's input order) to `path`; returns the files."""
    args = tuple(torch.from_numpy(inputs[t.name]) for t in spec.inputs)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".export-") as scratch:
        traced = Path(scratch, "model.onnx")
        with torch.no_grad(), warnings.catch_warnings():
            # The tracer warns about Python-side shape checks in diffusers / transformers; the
            # verification at other sizes is what proves the graph general.
            warnings.simplefilter("ignore", category=torch.jit.TracerWarning)
            torch.onnx.export(
                module.eval(),
                args,
                str(traced),
                input_names=[t.name for t in spec.inputs],
                output_names=[t.name for t in spec.outputs],
                dynamic_axes=dynamic_axes(spec),
                opset_version=opset,
                do_constant_folding=True,
                **_export_kwargs(),
            )
        model = load_model(traced)
        stamp_signature(model, spec)
        written = save_model(model, path)
    check_model(path)
    return written
