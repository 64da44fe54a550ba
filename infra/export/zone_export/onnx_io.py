"""Reading and writing ONNX files for the bundle: the declared signature (as the runtime reads it),
stamping the contract's names and symbolic dimensions onto the graph's inputs and outputs, and
saving as one file, or with one external data file beside it above protobuf's 2 GB limit.
"""

from __future__ import annotations

from pathlib import Path

from .contract import RoleSpec

ELEM_TYPES = {1: "float32", 10: "float16", 6: "int32", 7: "int64"}
_ELEM_CODES = {v: k for k, v in ELEM_TYPES.items()}
PROTOBUF_LIMIT = 2_000_000_000  # bytes; a single-file model must stay below 2 GiB with room to spare


def _value_spec(info, where: str) -> dict:
    tensor = info.type.tensor_type
    dtype = ELEM_TYPES.get(tensor.elem_type)
    if dtype is None:
        raise ValueError(f"{where} {info.name}: element type {tensor.elem_type} is not supported")
    shape = []
    for d in tensor.shape.dim:
        shape.append(d.dim_param if d.dim_param else int(d.dim_value))
    return {"name": info.name, "dtype": dtype, "shape": shape}


def signature_of(model) -> dict:
    """Graph inputs that are not initializers, and graph outputs, in declaration order."""
    initializers = {t.name for t in model.graph.initializer}
    return {
        "inputs": [_value_spec(i, "input") for i in model.graph.input if i.name not in initializers],
        "outputs": [_value_spec(o, "output") for o in model.graph.output],
    }


def read_signature(path: str | Path) -> dict:
    import onnx

    return signature_of(onnx.load(str(path), load_external_data=False))


def stamp_signature(model, spec: RoleSpec) -> None:
    """Names every graph input/output dimension as the contract does; the names, order, element
    types and ranks must already match (they come from the export wrapper)."""
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    for kind, infos, wanted in (("input", inputs, spec.inputs), ("output", model.graph.output, spec.outputs)):
        names = [i.name for i in infos]
        if names != [t.name for t in wanted]:
            raise ValueError(f"graph {kind}s are {names}, the contract says {[t.name for t in wanted]}")
        for info, tensor in zip(infos, wanted):
            tensor_type = info.type.tensor_type
            if tensor_type.elem_type != _ELEM_CODES[tensor.dtype]:
                got = ELEM_TYPES.get(tensor_type.elem_type, tensor_type.elem_type)
                raise ValueError(f"{kind} {info.name} is {got}, the contract says {tensor.dtype}")
            dims = tensor_type.shape.dim
            if len(dims) != len(tensor.shape):
                raise ValueError(f"{kind} {info.name} has rank {len(dims)}, the contract {len(tensor.shape)}")
            for dim, want in zip(dims, tensor.shape):
                if isinstance(want, str):
                    dim.dim_param = want
                else:
                    if dim.HasField("dim_value") and dim.dim_value != want:
                        raise ValueError(f"{kind} {info.name}: dimension {dim.dim_value}, the contract {want}")
                    dim.dim_value = want


def tensor_bytes(model) -> int:
    """Bytes of initializer data (what decides whether a model fits one protobuf)."""
    import numpy as np

    total = 0
    for t in model.graph.initializer:
        if t.raw_data:
            total += len(t.raw_data)
        else:
            count = int(np.prod(t.dims)) if t.dims else 1
            total += count * (2 if t.data_type == 10 else 4 if t.data_type in (1, 6) else 8)
    return total


def save_model(model, path: str | Path) -> list[str]:
    """Saves `model` at `path`; above the protobuf limit its weights go to `<file>.data` beside it.
    Returns the files written (names relative to the folder)."""
    import onnx

    path = Path(path)
    data = path.with_name(path.name + ".data")
    if data.exists():
        data.unlink()
    if tensor_bytes(model) < PROTOBUF_LIMIT:
        onnx.save_model(model, str(path))
        return [path.name]
    onnx.save_model(
        model,
        str(path),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=data.name,
        size_threshold=1024,
    )
    return [path.name, data.name]


def load_model(path: str | Path):
    import onnx

    return onnx.load(str(path), load_external_data=True)


def weight_precision(path: str | Path) -> str:
    """"float16" when the graph holds float16 weights, else "float32"."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    return "float16" if any(t.data_type == 10 for t in model.graph.initializer) else "float32"


def check_model(path: str | Path) -> None:
    """onnx.checker on the file (by path, so models over 2 GB work)."""
    import onnx

    onnx.checker.check_model(str(path))
