"""Which nodes of a UNet stay float32 when the graph is converted to float16, and the clean-up after.

diffusers computes the sinusoidal timestep projection (`time_proj`) in float32 even in float16
pipelines: with timesteps up to 999 the high-frequency sin/cos arguments lose their meaning in
half precision. The float16 conversion therefore keeps the nodes of that scope, and the nodes that
lead from the `timestep` input to them, in float32. The converter still routes the float32 graph
input through a float16 Cast and back (`graph_input_cast` -> `<node>_input_cast`), which rounds
the timestep; `remove_input_round_trips` rewires those consumers to the graph input itself.

Works on ONNX protobuf objects, using only `.name`, `.op_type`, `.input`, `.output`, `.attribute`
(so the tests use small stand-ins and need no onnx package).
"""

from __future__ import annotations

from typing import Iterable, Sequence

FLOAT = 1
FLOAT16 = 10
TIME_PROJECTION_SCOPE = "/time_proj/"


def _consumers(nodes: Sequence) -> dict[str, list]:
    by_input: dict[str, list] = {}
    for node in nodes:
        for name in node.input:
            by_input.setdefault(name, []).append(node)
    return by_input


def _producers(nodes: Sequence) -> dict[str, object]:
    return {out: node for node in nodes for out in node.output}


def nodes_between(nodes: Sequence, sources: Iterable[str], targets: Iterable[str]) -> list[str]:
    """Names of the nodes on a path from the tensors `sources` to the nodes named `targets`,
    the targets included, in graph order."""
    target_names = set(targets)
    consumers = _consumers(nodes)
    producers = _producers(nodes)
    downstream: set[str] = set()
    frontier = list(sources)
    while frontier:
        tensor = frontier.pop()
        for node in consumers.get(tensor, []):
            if node.name not in downstream:
                downstream.add(node.name)
                frontier.extend(node.output)
    upstream: set[str] = set()
    frontier = [n for n in nodes if n.name in target_names]
    while frontier:
        node = frontier.pop()
        if node.name in upstream:
            continue
        upstream.add(node.name)
        frontier.extend(producers[i] for i in node.input if i in producers)
    keep = (downstream & upstream) | target_names
    return [n.name for n in nodes if n.name in keep]


def float32_nodes(nodes: Sequence, scope: str = TIME_PROJECTION_SCOPE, graph_input: str = "timestep") -> list[str]:
    """The node block list for a UNet: the `scope` nodes and the path to them from `graph_input`."""
    scoped = [n.name for n in nodes if scope in n.name]
    if not scoped:
        raise ValueError(f"no node in scope {scope!r}: the UNet graph does not look like diffusers' export")
    return nodes_between(nodes, [graph_input], scoped)


def _cast_to(node) -> int | None:
    if node.op_type != "Cast":
        return None
    for attribute in node.attribute:
        if attribute.name == "to":
            return attribute.i
    return None


def remove_input_round_trips(graph) -> int:
    """Rewires Cast(float32 input -> float16 -> float32) chains to the float32 input; returns how
    many Casts were removed."""
    float_inputs = {v.name for v in graph.input if v.type.tensor_type.elem_type == FLOAT}
    producers = _producers(graph.node)
    removed = []
    for node in list(graph.node):
        if _cast_to(node) != FLOAT or not node.input:
            continue
        source = producers.get(node.input[0])
        if source is None or _cast_to(source) != FLOAT16 or source.input[0] not in float_inputs:
            continue
        original = source.input[0]
        for consumer in graph.node:
            for i, name in enumerate(consumer.input):
                if name == node.output[0]:
                    consumer.input[i] = original
        removed.append(node)
    for node in removed:
        graph.node.remove(node)
    # The float16 casts of those inputs may now feed nothing.
    used = {name for node in graph.node for name in node.input} | {o.name for o in graph.output}
    for node in list(graph.node):
        if _cast_to(node) == FLOAT16 and node.input[0] in float_inputs and node.output[0] not in used:
            graph.node.remove(node)
    return len(removed)



def topological_order(nodes: Sequence, available: Iterable[str]) -> list:
    """`nodes` ordered so that each input is produced before its use, from the tensors
    `available` at the start (graph inputs, initializers). Stable: ready nodes keep their order."""
    ready = set(available) | {""}  # "" is an omitted optional input
    pending = list(nodes)
    ordered = []
    while pending:
        remaining = []
        for node in pending:
            if all(name in ready for name in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                remaining.append(node)
        if len(remaining) == len(pending):
            missing = sorted({i for n in remaining for i in n.input if i not in ready})[:5]
            raise ValueError(f"the graph has a cycle or undefined inputs: {missing}")
        pending = remaining
    return ordered


def sort_nodes(graph) -> None:
    """Topological order for an ONNX graph (the converter appends its Casts at the end)."""
    available = [v.name for v in graph.input] + [t.name for t in graph.initializer]
    copies = []
    for node in topological_order(graph.node, available):
        copy = type(node)()
        copy.CopyFrom(node)
        copies.append(copy)
    del graph.node[:]
    graph.node.extend(copies)
