"""Helpers shared by the unit tests: optional-dependency probes and small ONNX-like stand-ins."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field


def available(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


@dataclass
class Attribute:
    name: str
    i: int = 0


@dataclass
class Node:
    name: str
    op_type: str
    input: list[str]
    output: list[str]
    attribute: list[Attribute] = field(default_factory=list)


@dataclass
class TensorType:
    elem_type: int


@dataclass
class ValueType:
    tensor_type: TensorType


@dataclass
class Value:
    name: str
    type: ValueType


def value(name: str, elem_type: int = 1) -> Value:
    return Value(name, ValueType(TensorType(elem_type)))


@dataclass
class Graph:
    node: list[Node]
    input: list[Value]
    output: list[Value] = field(default_factory=list)
    initializer: list = field(default_factory=list)


def cast(name: str, source: str, target: str, to: int) -> Node:
    return Node(name, "Cast", [source], [target], [Attribute("to", to)])


def fixture_like_manifest() -> dict:
    """A complete, valid manifest in the tiny sizes (what export.py writes for --tiny-random)."""
    from zone_export.contract import ROLES, TINY_DIMS, role_spec, spec_json
    from zone_export.manifest import build_manifest, model_entry

    models = {role: model_entry(f"{role}.onnx", f"{i:064x}", spec_json(role_spec(role, TINY_DIMS))) for i, role in enumerate(ROLES)}
    return build_manifest(bundle="tiny-random-fp32-0123456789ab", description="test", models=models, dims=TINY_DIMS, scaling_factor=0.18215)
