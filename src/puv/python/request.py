"""Python requests: what `--python` / `UV_PYTHON` / `.python-version` may say.

Pure parsing, no I/O. The forms uv accepts:

- nothing, `any` or `default`: any interpreter;
- a version: `3`, `3.12`, `3.12.3`, `312`, `3.13t` (free-threaded), `3.14.0rc1`;
- a version range: `>=3.11,<3.13`, `==3.12.*`;
- an implementation, alone or with a version: `cpython`, `cpython@3.12`, `cpython3.12`,
  `cp312`, `cp3.12`, `pypy@3.10`, `graalpy`;
- an installation key: `cpython-3.12.3-linux-x86_64-gnu`;
- a path to an interpreter, or to a directory holding one (a virtual environment, a prefix);
- the name of an executable to look up on PATH (`python3.12`, `my-python`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

__all__ = ["PythonRequest", "VersionRequest", "parse_request"]

_IMPLEMENTATIONS = {
    "cpython": "cpython", "cp": "cpython", "python": "cpython",  # `python` only as `python3.12`
    "pypy": "pypy", "pp": "pypy",
    "graalpy": "graalpy", "gp": "graalpy",
}
_PRETTY = {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalPy"}
_VERSION = re.compile(
    r"^(?P<major>\d+)(?:\.(?P<minor>\d+)(?:\.(?P<patch>\d+))?)?"
    r"(?P<pre>(?:a|b|rc)\d+)?(?P<variant>t|\+freethreaded|\+gil)?$"
)


@dataclass(frozen=True)
class VersionRequest:
    """A version constraint: release parts (`3.12` means any 3.12.x), or a specifier set."""

    parts: tuple[int, ...] = ()
    pre: str | None = None
    specifier: SpecifierSet | None = None
    freethreaded: bool = False

    def matches(self, version: Version, *, freethreaded: bool = False) -> bool:
        if self.freethreaded and not freethreaded:
            return False
        if self.specifier is not None:
            return self.specifier.contains(version, prereleases=True)
        release = version.release
        if tuple(release[: len(self.parts)]) != self.parts:
            return False
        if self.pre is not None:
            return version.pre is not None and f"{version.pre[0]}{version.pre[1]}" == self.pre
        return True

    def __str__(self) -> str:
        if self.specifier is not None:
            return ", ".join(sorted(str(s) for s in self.specifier))
        text = ".".join(map(str, self.parts)) + (self.pre or "")
        return text + ("t" if self.freethreaded else "")


@dataclass(frozen=True)
class PythonRequest:
    """A parsed interpreter request (see the module docstring for the forms)."""

    kind: Literal["any", "version", "implementation", "path", "executable"]
    raw: str = ""
    implementation: str | None = None
    version: VersionRequest | None = None
    path: str | None = None
    name: str | None = None

    @property
    def allows_any_version(self) -> bool:
        return self.version is None

    def describe(self) -> str:
        """How uv words the request in messages: `Python 3.12`, `CPython >=3.11, <3.13`."""
        if self.kind == "path":
            return f"path `{self.path}`"
        if self.kind == "executable":
            return f"executable name `{self.name}`"
        if self.kind == "any":
            return "Python"
        impl = _PRETTY.get(self.implementation or "", "Python")
        return f"{impl} {self.version}" if self.version else impl

    def matches(self, implementation: str, version: Version, *, freethreaded: bool) -> bool:
        """Whether an interpreter with these properties satisfies the request."""
        if self.implementation and implementation != self.implementation:
            return False
        if self.version is not None:
            return self.version.matches(version, freethreaded=freethreaded)
        return True

    def executable_names(self) -> list[str]:
        """The executable names worth looking for on PATH, most specific first."""
        if self.kind == "executable" and self.name:
            return [self.name]
        names: list[str] = []
        parts = self.version.parts if self.version else ()
        base = {"pypy": "pypy", "graalpy": "graalpy"}.get(self.implementation or "", "python")
        suffix = "t" if self.version is not None and self.version.freethreaded else ""
        if len(parts) >= 2:
            names.append(f"{base}{parts[0]}.{parts[1]}{suffix}")
        if len(parts) >= 1:
            names.append(f"{base}{parts[0]}")
        names += [f"{base}3", base] if base != "python" or not parts else [base]
        return list(dict.fromkeys(names))


def _parse_version(text: str) -> VersionRequest | None:
    if not text:
        return None
    if text[0] in "<>=!~":
        try:
            return VersionRequest(specifier=SpecifierSet(text))
        except InvalidSpecifier:
            return None
    match = _VERSION.match(text)
    if match is None:
        return None
    major = match.group("major")
    minor = match.group("minor")
    patch = match.group("patch")
    variant = match.group("variant") or ""
    freethreaded = variant in ("t", "+freethreaded")
    if minor is None and len(major) >= 2 and major.startswith("3"):
        # `312` is shorthand for `3.12` (as in `cp312`).
        major, minor = major[0], major[1:]
    parts = tuple(int(p) for p in (major, minor, patch) if p is not None)
    pre = match.group("pre")
    if pre is not None and len(parts) < 3:
        parts = (*parts, 0) if len(parts) == 2 else parts
    if pre is not None:
        try:
            Version(".".join(map(str, parts)) + pre)
        except InvalidVersion:
            return None
    return VersionRequest(parts=parts, pre=pre, freethreaded=freethreaded)


def _looks_like_path(text: str) -> bool:
    return (
        os.sep in text
        or (os.altsep is not None and os.altsep in text)
        or text.startswith((".", "~"))
    )


def parse_request(text: str | None) -> PythonRequest:
    """Parse a request; anything that is no other form is an executable name."""
    raw = (text or "").strip()
    lowered = raw.lower()
    if lowered in ("", "any", "default"):
        return PythonRequest("any", raw)
    version = _parse_version(lowered)
    if version is not None:
        return PythonRequest("version", raw, version=version)
    if _looks_like_path(raw):
        return PythonRequest("path", raw, path=os.path.expanduser(raw))
    # `cpython-3.12.3-linux-x86_64-gnu`: an installation key.
    key = lowered.split("-")
    if len(key) >= 2 and key[0] in _IMPLEMENTATIONS:
        version = _parse_version(key[1])
        if version is not None:
            return PythonRequest("implementation", raw, implementation=_IMPLEMENTATIONS[key[0]],
                                 version=version)
    for prefix in sorted(_IMPLEMENTATIONS, key=len, reverse=True):
        if not lowered.startswith(prefix):
            continue
        rest = lowered[len(prefix):]
        implementation = _IMPLEMENTATIONS[prefix]
        if prefix == "python":
            # `python3.12` asks for a version, wherever it is installed, as in uv.
            version = _parse_version(rest)
            if version is not None:
                return PythonRequest("version", raw, version=version)
            break
        if rest.startswith("@"):
            rest = rest[1:]
        if not rest:
            return PythonRequest("implementation", raw, implementation=implementation)
        version = _parse_version(rest)
        if version is not None:
            return PythonRequest("implementation", raw, implementation=implementation,
                                 version=version)
    return PythonRequest("executable", raw, name=raw)
