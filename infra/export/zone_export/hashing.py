"""SHA-256 of bundle files, streamed (model files are gigabytes), and the bundle's SHA256SUMS.

The manifest hashes each model file; SHA256SUMS (the format `sha256sum -c` reads) covers every
file of the bundle, including what the manifest cannot name: external weight data of models over
2 GB, TensorRT engine files beside their EPContext models, tokenizer files, export-info.json.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SUMS_FILE = "SHA256SUMS"
_CHUNK = 4 << 20


def sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bundle_files(root: str | os.PathLike) -> list[str]:
    """Every regular file under `root` as a POSIX relative path, sorted; SHA256SUMS excluded."""
    base = Path(root)
    files = [
        p.relative_to(base).as_posix()
        for p in base.rglob("*")
        if p.is_file() and not p.is_symlink() and p.relative_to(base).as_posix() != SUMS_FILE
    ]
    return sorted(files)


def format_sums(digests: dict[str, str]) -> str:
    """`sha256sum` text: "<hex>  <path>" per line, sorted by path."""
    for path, digest in digests.items():
        if "\n" in path or path.startswith("/"):
            raise ValueError(f"cannot list {path!r} in {SUMS_FILE}")
        if len(digest) != 64:
            raise ValueError(f"{path}: {digest!r} is not a sha256")
    return "".join(f"{digests[p]}  {p}\n" for p in sorted(digests))


def parse_sums(text: str) -> dict[str, str]:
    digests: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, path = line.partition("  ")
        if not sep or len(digest) != 64:
            raise ValueError(f"{SUMS_FILE} line {number} is not '<sha256>  <path>'")
        digests[path] = digest
    return digests


def write_sums(root: str | os.PathLike, known: dict[str, str] | None = None) -> dict[str, str]:
    """Hashes every file (reusing `known` digests) and writes SHA256SUMS; returns the digests."""
    known = known or {}
    digests = {p: known.get(p) or sha256_file(Path(root, p)) for p in bundle_files(root)}
    Path(root, SUMS_FILE).write_text(format_sums(digests), encoding="utf-8")
    return digests


def check_sums(root: str | os.PathLike) -> list[str]:
    """Problems with SHA256SUMS: missing file, wrong digest, files it does not list."""
    path = Path(root, SUMS_FILE)
    if not path.is_file():
        return [f"{SUMS_FILE} is missing"]
    listed = parse_sums(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    for rel, digest in sorted(listed.items()):
        target = Path(root, rel)
        if not target.is_file():
            problems.append(f"{rel}: listed in {SUMS_FILE} but missing")
        elif sha256_file(target) != digest:
            problems.append(f"{rel}: sha256 differs from {SUMS_FILE}")
    for rel in bundle_files(root):
        if rel not in listed:
            problems.append(f"{rel}: not listed in {SUMS_FILE}")
    return problems
