"""Validates manifest.json against manifest.schema.json, the JSON Schema that shared/ exports from
the runtime's zod schema (`npm run export:schema`; a TypeScript test keeps the file in step).

Uses the `jsonschema` package when it is installed (requirements.txt pins it); otherwise a small
validator for exactly the keywords zod emits, which refuses any keyword it does not know rather
than ignoring it. The zod refinement that JSON Schema cannot express (paths stay inside the
bundle) is checked here in both cases.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "manifest.schema.json"

_IGNORED = {"$schema", "description", "title"}
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def load_schema(path: str | Path = SCHEMA_PATH) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _where(path: list) -> str:
    return ".".join(str(p) for p in path) or "(root)"


def fallback_errors(value: Any, schema: dict, path: list | None = None) -> list[str]:
    """A JSON Schema subset (type, const, enum, strings, numbers, arrays, objects, anyOf)."""
    path = path or []
    errors: list[str] = []
    unknown = set(schema) - _IGNORED - {
        "type", "const", "enum", "minLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "minItems", "items", "anyOf", "properties", "required",
        "additionalProperties", "propertyNames",
    }
    if unknown:
        raise ValueError(f"schema keyword(s) {sorted(unknown)} at {_where(path)} are not supported")
    if "type" in schema and not _TYPES[schema["type"]](value):
        return [f"{_where(path)}: expected {schema['type']}"]
    if "const" in schema and value != schema["const"]:
        errors.append(f"{_where(path)}: must be {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{_where(path)}: must be one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{_where(path)}: shorter than {schema['minLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{_where(path)}: does not match {schema['pattern']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{_where(path)}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{_where(path)}: above {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            errors.append(f"{_where(path)}: not above {schema['exclusiveMinimum']}")
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            errors.append(f"{_where(path)}: not below {schema['exclusiveMaximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{_where(path)}: fewer than {schema['minItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                errors += fallback_errors(item, schema["items"], path + [i])
    if "anyOf" in schema and all(fallback_errors(value, s, path) for s in schema["anyOf"]):
        errors.append(f"{_where(path)}: matches none of the allowed forms")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{_where(path + [key])}: required")
        for key, item in value.items():
            if "propertyNames" in schema:
                errors += fallback_errors(key, schema["propertyNames"], path + [key])
            if key in properties:
                errors += fallback_errors(item, properties[key], path + [key])
            elif schema.get("additionalProperties") is False:
                errors.append(f"{_where(path + [key])}: not allowed")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += fallback_errors(item, schema["additionalProperties"], path + [key])
    return errors


def jsonschema_errors(value: Any, schema: dict) -> list[str]:
    import jsonschema  # noqa: PLC0415 (optional dependency)

    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{_where(list(e.absolute_path))}: {e.message}"
        for e in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    ]


def validator_name() -> str:
    try:
        import jsonschema  # noqa: F401, PLC0415
    except ImportError:
        return "built-in subset validator (jsonschema not installed)"
    return "jsonschema Draft 2020-12"


def _bundle_paths(manifest: dict) -> list[tuple[str, str]]:
    paths = [("tokenizer.dir", manifest.get("tokenizer", {}).get("dir")),
             ("scheduler.config", manifest.get("scheduler", {}).get("config"))]
    for role, entry in (manifest.get("models") or {}).items():
        if isinstance(entry, dict):
            paths.append((f"models.{role}.file", entry.get("file")))
            for gpu, engine in (entry.get("engines") or {}).items():
                paths.append((f"models.{role}.engines.{gpu}.file", engine.get("file")))
    return [(where, p) for where, p in paths if isinstance(p, str)]


def path_errors(manifest: dict) -> list[str]:
    """zod's refinement: every path is relative and stays inside the bundle."""
    return [
        f"{where}: must be a path inside the bundle"
        for where, p in _bundle_paths(manifest)
        if p.startswith("/") or ".." in re.split(r"[\\/]", p)
    ]


def manifest_errors(manifest: Any, schema: dict | None = None, use_jsonschema: bool = True) -> list[str]:
    """Every problem with `manifest`; empty when it is valid."""
    schema = schema if schema is not None else load_schema()
    try:
        if not use_jsonschema:
            raise ImportError
        errors = jsonschema_errors(manifest, schema)
    except ImportError:
        errors = fallback_errors(manifest, schema)
    return errors + (path_errors(manifest) if isinstance(manifest, dict) else [])
