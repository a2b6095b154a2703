"""The hint under "can't be installed ... for the current platform": why no wheel fits.

uv looks at the wheel closest to fitting (its Python tag fits but not its ABI, or both but
not its platform) and names what the environment offers against what the wheels need:

    You're on Linux (`manylinux_2_36_x86_64`), but `onlywin` (v1.0.0) only has wheels for the
    following platform: `win_amd64`; consider adding "sys_platform == 'linux' and
    platform_machine == 'x86_64'" to `tool.uv.required-environments` to ensure puv resolves
    to a version with compatible wheels
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from packaging.tags import Tag, parse_tag

from puv.core.tags import TargetTags

__all__ = ["wheel_tag_hint"]

_PYTHON, _ABI, _PLATFORM = 0, 1, 2  # how close a wheel comes to fitting, worst first


def _closeness(wheel_tags: frozenset[Tag], supported: Sequence[Tag]) -> int:
    interpreters = {t.interpreter for t in supported}
    pairs = {(t.interpreter, t.abi) for t in supported}
    if not any(t.interpreter in interpreters for t in wheel_tags):
        return _PYTHON
    if not any((t.interpreter, t.abi) in pairs for t in wheel_tags):
        return _ABI
    return _PLATFORM


def _pretty_python(tag: str) -> str | None:
    match = re.fullmatch(r"(cp|pp|py|graalpy)(\d)(\d*)", tag)
    if not match:
        return None
    name = {"cp": "CPython", "pp": "PyPy", "py": "Python", "graalpy": "GraalPy"}[match.group(1)]
    return f"{name} {match.group(2)}" + (f".{match.group(3)}" if match.group(3) else "")


def _pretty_platform(tag: str) -> str | None:
    if tag.startswith(("manylinux", "musllinux", "linux")):
        return "Linux"
    if tag.startswith("macosx"):
        return "macOS"
    if tag.startswith("win"):
        return "Windows"
    if tag.startswith("android"):
        return "Android"
    if tag.startswith("ios"):
        return "iOS"
    return None


def _best(tag: str | None, pretty: str | None) -> str | None:
    if tag is None:
        return None
    return f"{pretty} (`{tag}`)" if pretty else f"`{tag}`"


def _listed(tags: set[str]) -> tuple[str, str]:
    return ("" if len(tags) == 1 else "s"), ", ".join(f"`{t}`" for t in sorted(tags))


def wheel_tag_hint(name: str, version: str | None, filenames: Sequence[str],
                   tags: TargetTags, markers: Mapping[str, str]) -> str | None:
    """The hint for a package none of whose wheels `filenames` fits `tags` (`None` when
    there are no wheels to talk about)."""
    parsed: list[frozenset[Tag]] = []
    for filename in filenames:
        parts = filename[:-4].split("-") if filename.endswith(".whl") else []
        if len(parts) in (5, 6):
            try:
                parsed.append(frozenset(parse_tag("-".join(parts[-3:]))))
            except ValueError:
                continue
    if not parsed:
        return None
    supported = tags.tags()
    first = supported[0] if supported else None
    closeness = max(_closeness(t, supported) for t in parsed)
    package = f"`{name}`" + (f" (v{version})" if version else "")
    if closeness == _PYTHON:
        wanted = {t.interpreter for ts in parsed for t in ts}
        best = _best(first.interpreter if first else None,
                     _pretty_python(first.interpreter) if first else None)
        s, listed = _listed(wanted)
        if best is None:
            return f"Wheels are available for {package} with the following Python " \
                   f"implementation tag{s}: {listed}"
        return f"You're using {best}, but {package} only has wheels with the following " \
               f"Python implementation tag{s}: {listed}"
    if closeness == _ABI:
        wanted = {t.abi for ts in parsed for t in ts if t.abi != "none"}
        if not wanted:
            return None
        best = _best(first.abi if first else None,
                     _pretty_python(first.abi) if first else None)
        s, listed = _listed(wanted)
        if best is None:
            return f"Wheels are available for {package} with the following Python ABI " \
                   f"tag{s}: {listed}"
        return f"You're using {best}, but {package} only has wheels with the following " \
               f"Python ABI tag{s}: {listed}"
    pairs = {(t.interpreter, t.abi) for t in supported}
    wanted = {t.platform for ts in parsed
              if any((t.interpreter, t.abi) in pairs for t in ts) for t in ts}
    if not wanted:
        return None
    # uv names its best platform tag; packaging (and so puv) ranks the bare `linux_<arch>`
    # first, which no index publishes wheels for.
    platforms = [p for p in tags.platforms() if not p.startswith("linux_")] or \
        list(tags.platforms())
    best_platform = platforms[0] if platforms else None
    s, listed = _listed(wanted)
    if best_platform is None:
        return f"Wheels are available for {package} on the following platform{s}: {listed}"
    machine = markers.get("platform_machine", "")
    example = f"sys_platform == '{markers.get('sys_platform', '')}'" + (
        f" and platform_machine == '{machine}'" if machine else "")
    return (f"You're on {_best(best_platform, _pretty_platform(best_platform))}, but "
            f"{package} only has wheels for the following platform{s}: {listed}; consider "
            f"adding \"{example}\" to `tool.uv.required-environments` to ensure puv resolves "
            "to a version with compatible wheels")
