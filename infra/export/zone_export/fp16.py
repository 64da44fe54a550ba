"""float16 conversion of an exported model with ONNX Runtime's converter
(onnxruntime.transformers.float16.convert_float_to_float16): weights and activations in half
precision, inputs and outputs kept float32 (keep_io_types) so the contract is the same for both
precisions; for the UNets the timestep projection stays float32 (fp16_plan).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .contract import RoleSpec
from .fp16_plan import float32_nodes, remove_input_round_trips, sort_nodes
from .onnx_io import PROTOBUF_LIMIT, check_model, load_model, save_model, stamp_signature, tensor_bytes

UNET_ROLES = ("ip2pUnet", "magicBrushUnet")


def _with_shapes(source: Path, scratch: Path):
    """The model with inferred value_info (the converter needs tensor types to place casts)."""
    import onnx

    model = load_model(source)
    if tensor_bytes(model) < PROTOBUF_LIMIT:
        return onnx.shape_inference.infer_shapes(model)
    # Above 2 GB only the file-based inference works; its output still points at the external
    # data beside the source.
    from onnx.external_data_helper import load_external_data_for_model

    inferred = scratch / "inferred.onnx"
    onnx.shape_inference.infer_shapes_path(str(source), str(inferred))
    model = onnx.load(str(inferred), load_external_data=False)
    load_external_data_for_model(model, str(source.parent))
    return model


def convert_to_float16(source: str | Path, target: str | Path, role: str, spec: RoleSpec) -> dict:
    """Writes the float16 version of `source` to `target`; returns what was kept in float32."""
    from onnxruntime.transformers.float16 import convert_float_to_float16

    target = Path(target)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".fp16-") as scratch:
        model = _with_shapes(Path(source), Path(scratch))
        blocked = float32_nodes(model.graph.node) if role in UNET_ROLES else []
        converted = convert_float_to_float16(
            model, keep_io_types=True, disable_shape_infer=True, node_block_list=blocked
        )
        removed = remove_input_round_trips(converted.graph) if role in UNET_ROLES else 0
        sort_nodes(converted.graph)
        stamp_signature(converted, spec)
        written = save_model(converted, target)
    check_model(target)
    return {"float32Nodes": len(blocked), "roundTripCastsRemoved": removed, "files": written}
