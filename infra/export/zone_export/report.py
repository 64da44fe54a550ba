"""The verification table verify.py prints (Markdown, readable in a terminal and in a PR)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    role: str
    check: str  # what was compared, e.g. "out_sample [3,8,16,8]" or "sha256"
    ok: bool
    detail: str = ""  # "max abs 1.2e-05, rel 3.1e-06, bound ..." or the problem
    skipped: bool = False  # not run (the detail says why); neither a pass nor a failure

    @property
    def result(self) -> str:
        return "skipped" if self.skipped else "ok" if self.ok else "FAIL"


def metrics(error: float, relative: float, bound: float, tolerance: str) -> str:
    return f"max abs {error:.2e}, rel {relative:.2e}, bound {bound:.2e} ({tolerance})"


def render(checks: list[Check]) -> str:
    rows = [("role", "check", "result", "detail")]
    rows += [(c.role, c.check, c.result, c.detail) for c in checks]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]

    def line(cells) -> str:
        return "| " + " | ".join(cell.ljust(w) for cell, w in zip(cells, widths)) + " |"

    out = [line(rows[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows[1:]]
    failed = sum(not c.ok and not c.skipped for c in checks)
    skipped = sum(c.skipped for c in checks)
    out.append("")
    out.append(f"{len(checks) - failed - skipped} passed, {failed} failed, {skipped} skipped")
    return "\n".join(out)


def skipped(role: str, check: str, reason: str) -> Check:
    return Check(role, check, True, reason, skipped=True)


def all_passed(checks: list[Check]) -> bool:
    return all(c.ok or c.skipped for c in checks)
