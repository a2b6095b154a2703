"""Choosing a project's version and file for one target interpreter.

Given a project's files (`ProjectFiles`, newest version first), a specifier and the target,
`select` returns the best version the specifier allows and the best file of it:

- yanked versions are skipped unless pinned exactly (`==1.0`, `===1.0`; PEP 592);
- pre-releases only when the specifier names one, or when nothing else matches (PEP 440);
- a file must declare a `Requires-Python` the target satisfies;
- among a version's files, the wheel whose tags rank best for the target wins; an sdist only
  when no wheel fits (building it is the build layer's job).

When nothing fits, `Unavailable` says why, naming the versions that were passed over and the
reason, so that a message can be specific ("only wheels for Windows", "requires Python
>=3.13").
"""

from __future__ import annotations

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.core.tags import TargetTags
    from puv.index.registry import Candidate, ProjectFiles

__all__ = ["Selected", "Unavailable", "select", "wheel_tag_string"]


def wheel_tag_string(filename: str) -> str:
    """`py3-none-any` for `a-1.0-py3-none-any.whl`."""
    return "-".join(filename[:-4].split("-")[-3:])


class Selected:
    __slots__ = ("candidate", "version")

    def __init__(self, version: Version, candidate: Candidate) -> None:
        self.version = version
        self.candidate = candidate

    def __repr__(self) -> str:
        return f"Selected({self.candidate.file.filename!r})"


class Unavailable:
    """Why no file fits: the reasons met, most telling first."""

    __slots__ = ("reasons",)

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons

    def __repr__(self) -> str:
        return f"Unavailable({self.reasons!r})"


def _exact(specifier: SpecifierSet) -> bool:
    return any(s.operator in ("==", "===") and "*" not in s.version for s in specifier)


def _allows_python(requires_python: str | None, python: Version) -> bool:
    if not requires_python:
        return True
    try:
        return python in SpecifierSet(requires_python)
    except InvalidSpecifier:
        return True  # an unreadable constraint is ignored, as pip and uv do


def best_file(candidates: list[Candidate], tags: TargetTags, python: Version
              ) -> tuple[Candidate | None, str | None]:
    """The best file among one version's files, or why there is none."""
    best: Candidate | None = None
    best_rank: int | None = None
    sdist: Candidate | None = None
    reason: str | None = None
    for candidate in candidates:
        file = candidate.file
        if not _allows_python(file.requires_python, python):
            reason = reason or f"requires Python {file.requires_python}"
            continue
        if candidate.is_wheel:
            rank = tags.priority(wheel_tag_string(file.filename))
            if rank is None:
                reason = reason or tags.describe_incompatibility(file.filename)
                continue
            if best_rank is None or rank < best_rank:
                best, best_rank = candidate, rank
        elif sdist is None:
            sdist = candidate
    if best is not None:
        return best, None
    if sdist is not None:
        return sdist, None
    return None, reason or "has no files"


def select(files: ProjectFiles, specifier: SpecifierSet, tags: TargetTags, python: Version
           ) -> Selected | Unavailable:
    """The best version `specifier` allows and its best file (see the module docstring)."""
    exact = _exact(specifier)
    allowed = list(specifier.filter(files.versions))
    reasons: list[str] = []
    for version in allowed:
        candidates = files.files(version)
        if not exact:
            unyanked = [c for c in candidates if not c.file.is_yanked]
            if not unyanked and candidates:
                reasons.append(f"{version} was yanked")
                continue
            candidates = unyanked
        chosen, reason = best_file(candidates, tags, python)
        if chosen is not None:
            return Selected(version, chosen)
        reasons.append(f"{version} {reason}")
    return Unavailable(reasons)
