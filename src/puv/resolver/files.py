"""What a release's file list says without any metadata, for the registry provider: upload
times (`--exclude-newer`), the Python versions a `Requires-Python` admits (lower bound only, as
uv), and why no wheel fits the target, in uv's words. Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.version import Version

from puv.core.ranges import Ranges
from puv.resolver.candidates import wheel_tag_string
from puv.resolver.pubgrub.provider import Unavailable, UnavailableKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from puv.core.tags import TargetTags
    from puv.index.registry import Candidate

__all__ = ["parses", "python_floor", "short_version", "tag_mismatch", "upload_timestamp"]

_EPOCH_TIME_FORMATS = ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z")


def upload_timestamp(text: str | None) -> float | None:
    """A PEP 700 `upload-time` as a POSIX timestamp (`None`: absent or unreadable)."""
    if not text:
        return None
    from datetime import datetime, timezone

    for fmt in _EPOCH_TIME_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.timestamp()
    return None


def python_floor(requires_python: object) -> Ranges:
    """The Python versions a `Requires-Python` admits, counting its lower bound only: uv ignores
    upper bounds (`<4`, `<3.10`), which are nearly always guesses about future releases, and
    so does puv, to pick the same versions."""
    from puv.core.ranges import Segment

    ranges = Ranges.from_specifiers(str(requires_python))
    segments: list[Segment] = list(ranges.segments())
    if not segments:
        return ranges
    return Ranges.from_bounds(segments[0].lower, None)


def short_version(version: Version) -> str:
    """`3.13` for `3.13.0` (how uv shows a requested Python version)."""
    release = list(version.release)
    while len(release) > 2 and release[-1] == 0:
        release.pop()
    return ".".join(map(str, release))


def parses(text: str) -> bool:
    try:
        Version(text)
    except ValueError:
        return False
    return True


def tag_mismatch(name: str, version: Version, wheels: Sequence[Candidate],
                  tags: TargetTags) -> Unavailable:
    """uv's account of why no wheel fits the target: which part of the tags is wrong
    (Python implementation, ABI or platform), an example of what the target accepts, and a
    hint naming what the wheels are built for."""
    from packaging.tags import parse_tag

    supported = tags.tags()
    best = supported[0]
    interpreters = {t.interpreter for t in supported}
    pairs = {(t.interpreter, t.abi) for t in supported}
    found_interpreters: set[str] = set()
    found_abis: set[str] = set()
    found_platforms: set[str] = set()
    any_python = any_abi = False
    for candidate in wheels:
        try:
            wheel_tags = parse_tag(wheel_tag_string(candidate.file.filename))
        except ValueError:
            continue
        for tag in wheel_tags:
            found_interpreters.add(tag.interpreter)
            found_abis.add(tag.abi)
            found_platforms.add(tag.platform)
        any_python = any_python or any(t.interpreter in interpreters for t in wheel_tags)
        any_abi = any_abi or any((t.interpreter, t.abi) in pairs for t in wheel_tags)
    release = f"`{name}` (v{version})"

    def listed(kind: str, values: set[str]) -> str:
        shown = ", ".join(f"`{v}`" for v in sorted(values))
        return f"the following {kind}{'s' if len(values) > 1 else ''}: {shown}"

    if any_abi:
        hint = f"Wheels are available for {release} on {listed('platform', found_platforms)}"
        # uv's example is the best portable platform (`manylinux_2_17_x86_64`), not the
        # `linux_x86_64` that `packaging` ranks first for locally built wheels.
        example = next((t.platform for t in supported if not t.platform.startswith("linux_")),
                       best.platform)
        return Unavailable(UnavailableKind.INCOMPATIBLE_WHEEL_TAG, "platform", example,
                           hints=(hint,))
    major, minor = tags.python_version
    pretty = {"cp": "CPython", "pp": "PyPy"}.get(best.interpreter[:2], "Python")
    wanted = f"You require {pretty} {major}.{minor} (`{best.interpreter}`), but we only found " \
             f"wheels for {release} with "
    if any_python:
        return Unavailable(UnavailableKind.INCOMPATIBLE_WHEEL_TAG, "abi", best.abi,
                           hints=(wanted + listed("Python ABI tag", found_abis),))
    return Unavailable(UnavailableKind.INCOMPATIBLE_WHEEL_TAG, "python", best.interpreter,
                       hints=(wanted + listed("Python implementation tag",
                                              found_interpreters),))
