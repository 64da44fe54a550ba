"""The bundle's tokenizer/ folder: CLIP's byte-level BPE files in Hugging Face layout.

Real bundles copy the files of timbrooks/instruct-pix2pix (tokenizer/). Tiny-random bundles get a
small byte-level BPE vocabulary with CLIP's special token ids (49406, 49407), like the fixture
bundle, so the runtime's tokenizer reads both.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Mapping

START_TOKEN = "<|startoftext|>"
END_TOKEN = "<|endoftext|>"
START_ID = 49406
END_ID = 49407
VOCAB_SIZE = 49408

# A few frequent English pairs, so the tiny tokenizer really merges.
TINY_MERGES = ("t h", "th e</w>", "e r", "i n", "a n", "o n", "r e", "a t", "e n", "e d</w>")


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2 / CLIP's reversible byte -> printable character table."""
    printable = list(range(ord("!"), ord("~") + 1))
    printable += list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    table = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def tiny_vocabulary() -> tuple[dict[str, int], str]:
    """(vocab.json contents, merges.txt text) of the tiny tokenizer."""
    vocab: dict[str, int] = {}
    for i, char in enumerate(bytes_to_unicode().values()):
        vocab[char] = i
        vocab[f"{char}</w>"] = 256 + i
    for i, merge in enumerate(TINY_MERGES):
        vocab[merge.replace(" ", "")] = 512 + i
    vocab[START_TOKEN] = START_ID
    vocab[END_TOKEN] = END_ID
    merges = "#version: 0.2 (zone-edit tiny-random)\n" + "\n".join(TINY_MERGES) + "\n"
    return vocab, merges


def write_tiny_tokenizer(folder: str | Path) -> None:
    vocab, merges = tiny_vocabulary()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "merges.txt").write_text(merges, encoding="utf-8")


def copy_tokenizer(files: Mapping[str, str | Path], folder: str | Path) -> None:
    """Copies downloaded tokenizer files (name -> local path) into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        shutil.copyfile(source, folder / name)


def tokenizer_problems(folder: str | Path) -> list[str]:
    """What the runtime's tokenizer would reject: missing files, no special tokens, bad merges."""
    folder = Path(folder)
    problems: list[str] = []
    try:
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"{folder.name}/vocab.json is missing"]
    except json.JSONDecodeError as error:
        return [f"{folder.name}/vocab.json is not JSON ({error})"]
    for token, expected in ((START_TOKEN, START_ID), (END_TOKEN, END_ID)):
        if vocab.get(token) != expected:
            problems.append(f"vocab.json: {token} is {vocab.get(token)!r}, CLIP uses {expected}")
    merges_path = folder / "merges.txt"
    if not merges_path.is_file():
        return problems + [f"{folder.name}/merges.txt is missing"]
    for number, line in enumerate(merges_path.read_text(encoding="utf-8").splitlines(), start=1):
        if number == 1 and line.startswith("#version"):
            continue
        if not line.strip():
            continue
        parts = line.split(" ")
        if len(parts) != 2:
            problems.append(f"merges.txt line {number} is not a pair")
        elif "".join(parts) not in vocab:
            problems.append(f"merges.txt line {number}: {''.join(parts)!r} is not in the vocabulary")
        if len(problems) > 5:
            break
    return problems
