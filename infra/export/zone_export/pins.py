"""Where the real weights come from: Hugging Face repositories pinned to commits.

A bundle must be reproducible, so every source names a commit, and export.py records the commit
it actually resolved (export-info.json). `--revision REPO=SHA` overrides a pin for one run.

Evidence for each pin (no network here to ask the Hub; re-check with `huggingface-cli`):
- timbrooks/instruct-pix2pix 93224554bd65...: the commit of the Jan 20 2023 upload, found both as
  the Hub file URL of instruct-pix2pix-00-22000.safetensors and as a local snapshot loaded with
  StableDiffusionInstructPix2PixPipeline (so it carries the diffusers folders).
- facebook/sam-vit-huge 87aecf0df4ce...: the sha the Hub model API reports, recorded by several
  independent public projects.
- vinesmsuic/magicbrush-jul7: no commit could be confirmed offline, so it is "main" and marked
  unpinned: export.py resolves it to the commit it downloads, records that commit, and refuses
  with --strict-pins. Put the recorded commit here after the first real export.
- The action classifier is the authors' checkpoint (lsl001006/ZONE, ckpts/action_classifier.pth,
  commit 97885847c38a); its sha256 is checked before use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HubSource:
    repo: str
    revision: str
    pinned: bool  # False: `revision` is a branch, resolved and recorded at export time

    def with_revision(self, revision: str) -> "HubSource":
        return HubSource(self.repo, revision, _is_commit(revision))


def _is_commit(revision: str) -> bool:
    return len(revision) == 40 and all(c in "0123456789abcdef" for c in revision)


INSTRUCT_PIX2PIX = HubSource("timbrooks/instruct-pix2pix", "93224554bd65f19b6f0c99cbcce3a4ac59bb6382", True)
MAGICBRUSH = HubSource("vinesmsuic/magicbrush-jul7", "main", False)
SAM_VIT_HUGE = HubSource("facebook/sam-vit-huge", "87aecf0df4ce6b30cd7de76e87673c49644bdf67", True)

SOURCES = {s.repo: s for s in (INSTRUCT_PIX2PIX, MAGICBRUSH, SAM_VIT_HUGE)}

# Which repository (and subfolder) each role is exported from.
ROLE_SOURCES = {
    "textEncoder": (INSTRUCT_PIX2PIX.repo, "text_encoder"),
    "vaeEncoder": (INSTRUCT_PIX2PIX.repo, "vae"),
    "vaeDecoder": (INSTRUCT_PIX2PIX.repo, "vae"),
    "ip2pUnet": (INSTRUCT_PIX2PIX.repo, "unet"),
    "magicBrushUnet": (MAGICBRUSH.repo, "unet"),
    "samEncoder": (SAM_VIT_HUGE.repo, None),
    "samDecoder": (SAM_VIT_HUGE.repo, None),
}

# Files copied into the bundle's tokenizer/ folder (vocab.json and merges.txt are required).
TOKENIZER_FILES = ("vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json")
REQUIRED_TOKENIZER_FILES = ("vocab.json", "merges.txt")
SCHEDULER_CONFIG = "scheduler/scheduler_config.json"

ACTION_CLASSIFIER_RELEASE = "lsl001006/ZONE@97885847c38a5e5828a9f2e7fc9fb09ee7d1698d:ckpts/action_classifier.pth"
ACTION_CLASSIFIER_SHA256 = "0c82b29fc1398ce2870382ef7b88efd3f241d2b45782e83d03d364279bd43b75"
ACTION_CLASSIFIER_HIDDEN = 128


def apply_overrides(overrides: list[str]) -> dict[str, HubSource]:
    """SOURCES with `REPO=REVISION` overrides applied; unknown repositories are an error."""
    sources = dict(SOURCES)
    for item in overrides:
        repo, sep, revision = item.partition("=")
        if not sep or not revision:
            raise ValueError(f"--revision wants REPO=REVISION, got {item!r}")
        if repo not in sources:
            raise ValueError(f"--revision: {repo} is not a source (known: {', '.join(sorted(sources))})")
        sources[repo] = sources[repo].with_revision(revision)
    return sources


def unpinned(sources: dict[str, HubSource]) -> list[str]:
    return sorted(repo for repo, s in sources.items() if not s.pinned)
