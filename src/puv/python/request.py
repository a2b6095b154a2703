"""Python requests: what `--python` / `UV_PYTHON` / `.python-version` may say.

Pure parsing, no I/O. The forms uv accepts:

- nothing, `any` or `default`: any interpreter;
- a version: `3`, `3.12`, `3.12.3`, `312`, `3.13t` (free-threaded), `3.14.0rc1`, `python3.12`;
- a version range: `>=3.11,<3.13`, `==3.12.*`;
- an implementation, alone or with a version: `cpython`, `cpython@3.12`, `cpython3.12`,
  `cp312`, `cp3.12`, `pypy@3.10`, `graalpy`;
- an installation key: `cpython-3.12.3-linux-x86_64-gnu`;
- a path to an interpreter, or to a directory holding one (a virtual environment, a prefix);
- the name of an executable to look up on PATH (`my-python`).

This module is on the start-up path of `puv venv` and `puv run`, so it imports `packaging`
only when a version range must be evaluated (see docs/startup.md).
"""

from __future__ import annotations

import os
import re

from puv.errors import PuvError

__all__ = ["PythonRequest", "PythonVersion", "VersionRequest", "parse_request"]

_IMPLEMENTATIONS = {
    "cpython": "cpython", "cp": "cpython",
    "pypy": "pypy", "pp": "pypy",
    "graalpy": "graalpy", "gp": "graalpy",
}
_PRETTY = {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalPy"}
_VERSION_PATTERN = (
    r"^(?P<major>\d+)(?:\.(?P<minor>\d+)(?:\.(?P<patch>\d+))?)?"
    r"(?P<pre>(?:a|b|rc)\d+)?(?P<variant>t|\+freethreaded|\+gil)?$"
)


def _match_version(text: str) -> re.Match[str] | None:
    # Compiled on first use (and cached by `re`), not at import: see docs/startup.md.
    return re.match(_VERSION_PATTERN, text)


class PythonVersion:
    """An interpreter's version: release numbers and an optional pre-release (`rc1`)."""

    __slots__ = ("pre", "release")

    def __init__(self, release: tuple[int, ...], pre: str | None = None) -> None:
        self.release = release
        self.pre = pre

    @classmethod
    def parse(cls, text: str) -> PythonVersion:
        match = _match_version(text)
        if match is None:
            raise ValueError(f"not a Python version: {text!r}")
        parts = tuple(int(p) for p in match.group("major", "minor", "patch") if p is not None)
        return cls(parts, match.group("pre"))

    @property
    def major(self) -> int:
        return self.release[0]

    @property
    def minor(self) -> int:
        return self.release[1] if len(self.release) > 1 else 0

    @property
    def micro(self) -> int:
        return self.release[2] if len(self.release) > 2 else 0

    def sort_key(self) -> tuple[tuple[int, ...], int, str]:
        # A final release sorts after its pre-releases.
        return (self.release, 0 if self.pre else 1, self.pre or "")

    def __str__(self) -> str:
        return ".".join(map(str, self.release)) + (self.pre or "")

    def __repr__(self) -> str:
        return f"PythonVersion({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PythonVersion) and self.sort_key() == other.sort_key()

    def __lt__(self, other: PythonVersion) -> bool:
        return self.sort_key() < other.sort_key()

    def __hash__(self) -> int:
        return hash(self.sort_key())


class VersionRequest:
    """A version constraint: release parts (`3.12` means any 3.12.x), or a specifier set."""

    __slots__ = ("freethreaded", "parts", "pre", "specifier")

    def __init__(self, parts: tuple[int, ...] = (), pre: str | None = None,
                 specifier: str | None = None, freethreaded: bool = False) -> None:
        self.parts = parts
        self.pre = pre
        self.specifier = specifier  # PEP 440 specifier text, checked when parsed
        self.freethreaded = freethreaded

    def matches(self, version: PythonVersion, *, freethreaded: bool = False) -> bool:
        if self.freethreaded and not freethreaded:
            return False
        if self.specifier is not None:
            from packaging.specifiers import SpecifierSet

            return SpecifierSet(self.specifier).contains(str(version), prereleases=True)
        if version.release[: len(self.parts)] != self.parts:
            return False
        return self.pre is None or version.pre == self.pre

    def __str__(self) -> str:
        if self.specifier is not None:
            return ", ".join(p.strip() for p in self.specifier.split(","))
        text = ".".join(map(str, self.parts)) + (self.pre or "")
        return text + ("t" if self.freethreaded else "")


class PythonRequest:
    """A parsed interpreter request (see the module docstring for the forms)."""

    __slots__ = ("implementation", "kind", "name", "path", "raw", "version")

    def __init__(self, kind: str, raw: str = "", *, implementation: str | None = None,
                 version: VersionRequest | None = None, path: str | None = None,
                 name: str | None = None) -> None:
        self.kind = kind  # "any", "version", "implementation", "path" or "executable"
        self.raw = raw
        self.implementation = implementation
        self.version = version
        self.path = path
        self.name = name

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

    def matches(self, implementation: str, version: PythonVersion, *,
                freethreaded: bool) -> bool:
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
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            SpecifierSet(text)
        except InvalidSpecifier:
            raise PuvError(
                f"Invalid Python request `{text}`: it is not a valid version specifier",
                hint="write a range such as `>=3.11,<3.13`",
            ) from None
        return VersionRequest(specifier=text)
    match = _match_version(text)
    if match is None:
        return None
    major = match.group("major")
    minor = match.group("minor")
    patch = match.group("patch")
    variant = match.group("variant") or ""
    if minor is None and len(major) >= 2 and major.startswith("3"):
        # `312` is shorthand for `3.12` (as in `cp312`).
        major, minor = major[0], major[1:]
    parts = tuple(int(p) for p in (major, minor, patch) if p is not None)
    pre = match.group("pre")
    if pre is not None and len(parts) == 2:
        parts = (*parts, 0)
    return VersionRequest(parts=parts, pre=pre,
                          freethreaded=variant in ("t", "+freethreaded"))


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
    if lowered.startswith("python"):
        # `python3.12` asks for a version, wherever it is installed, as in uv.
        version = _parse_version(lowered[len("python"):])
        if version is not None:
            return PythonRequest("version", raw, version=version)
        return PythonRequest("executable", raw, name=raw)
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
        rest = lowered[len(prefix):].removeprefix("@")
        implementation = _IMPLEMENTATIONS[prefix]
        if not rest:
            return PythonRequest("implementation", raw, implementation=implementation)
        version = _parse_version(rest)
        if version is not None:
            return PythonRequest("implementation", raw, implementation=implementation,
                                 version=version)
    if os.path.exists(raw):  # `--python venv`: a directory (or file) here, as in uv
        return PythonRequest("path", raw, path=raw)
    return PythonRequest("executable", raw, name=raw)
