"""The EPContext model ONNX Runtime's TensorRT provider dumps: a graph whose EPContext node(s)
(domain com.microsoft) stand for the compiled engine. With embed mode 0 the node's
`ep_cache_context` attribute names the engine file, which ONNX Runtime looks up relative to the
model first. normalize() moves each engine beside its context model under a stable name and
rewrites the attribute, so the bundle folder can move as a whole.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CONTEXT_OP = "EPContext"


def _attribute(node, name: str):
    for attribute in node.attribute:
        if attribute.name == name:
            return attribute
    return None


def context_nodes(model) -> list:
    return [n for n in model.graph.node if n.op_type == CONTEXT_OP]


def normalize(context_path: Path, stem: str, search: list[Path]) -> tuple[list[Path], bool]:
    """Moves the engine(s) named by `context_path` next to it as `<stem>.engine` (`<stem>_<i>.engine`
    for several) and rewrites the model; returns the engine paths and whether the whole graph runs
    in TensorRT (nothing but EPContext nodes). `search`: folders to resolve relative names in."""
    import onnx

    model = onnx.load(str(context_path), load_external_data=False)
    nodes = context_nodes(model)
    if not nodes:
        raise ValueError(f"{context_path.name} has no {CONTEXT_OP} node: TensorRT built no engine")
    engines: list[Path] = []
    for index, node in enumerate(nodes):
        mode = _attribute(node, "embed_mode")
        if mode is not None and mode.i == 1:
            continue  # the engine is inside the model
        cache = _attribute(node, "ep_cache_context")
        if cache is None:
            raise ValueError(f"{context_path.name}: {CONTEXT_OP} node {node.name} names no engine")
        named = Path(cache.s.decode("utf-8"))
        candidates = [named] if named.is_absolute() else [folder / named for folder in [context_path.parent, *search]]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise FileNotFoundError(f"engine {named} of {context_path.name} not found in {candidates}")
        target = context_path.parent / (f"{stem}.engine" if len(nodes) == 1 else f"{stem}_{index}.engine")
        if found.resolve() != target.resolve():
            shutil.move(str(found), str(target))
        cache.s = target.name.encode("utf-8")
        engines.append(target)
    onnx.save_model(model, str(context_path))
    fully = all(n.op_type == CONTEXT_OP for n in model.graph.node)
    return engines, fully
