"""Core metadata (`METADATA`, `PKG-INFO`, PEP 658 `.metadata` files) as a typed value.

Only what resolving needs is kept: name, version, `Requires-Dist`, `Requires-Python`,
`Provides-Extra`, and `Dynamic` (PEP 643: whether an sdist's PKG-INFO can be trusted).
The header block is read by `_headers` below rather than `packaging.metadata.parse_email`:
importing that module (it brings in the `email` package) costs 22 ms, more than a warm
resolution's whole budget for reading cached metadata (docs/net.md); the format is the
simple part of RFC 822 (`Key: value` lines, continuation lines that start with whitespace,
the headers ending at the first blank line), and the values are then parsed by `packaging`.
"""

from __future__ import annotations

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from puv.errors import MetadataError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CoreMetadata", "parse_metadata"]


class CoreMetadata:
    """The parts of a distribution's core metadata a resolver reads."""

    __slots__ = ("dynamic", "metadata_version", "name", "provides_extra", "requires_dist",
                 "requires_python", "version")

    def __init__(self, *, name: NormalizedName, version: Version,
                 requires_dist: tuple[Requirement, ...] = (),
                 requires_python: SpecifierSet | None = None,
                 provides_extra: tuple[NormalizedName, ...] = (),
                 dynamic: tuple[str, ...] = (), metadata_version: str = "2.1") -> None:
        self.name = name
        self.version = version
        self.requires_dist = requires_dist
        self.requires_python = requires_python
        self.provides_extra = provides_extra
        self.dynamic = dynamic
        self.metadata_version = metadata_version

    def __repr__(self) -> str:
        return f"CoreMetadata({self.name!r}, {str(self.version)!r})"

    def check_matches(self, name: str, version: Version, *, source: str) -> None:
        """Fail unless the metadata describes `name` `version` (what the file name says)."""
        if self.name != canonicalize_name(name) or self.version != version:
            raise MetadataError(
                f"The metadata of `{source}` describes `{self.name}=={self.version}`, but its "
                f"file name says `{canonicalize_name(name)}=={version}`",
                hint="the distribution is broken; ask its maintainers, or pin another version",
            )


_MULTIPLE = {"requires_dist", "provides_extra", "dynamic"}
_WANTED = {"metadata_version", "name", "version", "requires_python"} | _MULTIPLE


def _headers(data: bytes) -> dict[str, Any]:
    """The fields puv reads, from the header block (names lower-case with `_`; the
    multiple-use fields as lists)."""
    text = data.decode("utf-8", "surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    fields: dict[str, Any] = {}
    key: str | None = None
    # Lines end at CR, LF or CRLF only, as in RFC 822: `str.splitlines` also breaks at form
    # feeds, U+2028 and other characters that long descriptions do contain.
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line:
            break  # the body (a long description) starts after the first empty line
        # (a line of only spaces is a continuation: hatchling writes blank paragraphs of
        # `License` that way, and `Requires-Dist` lines follow them)
        if line[0] in " \t":
            if key is not None and key not in _MULTIPLE and key in fields:
                fields[key] += " " + line.strip()
            elif key is not None and key in _MULTIPLE and fields.get(key):
                fields[key][-1] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon:
            key = None
            continue
        key = name.strip().lower().replace("-", "_")
        if key not in _WANTED:
            key = None
            continue
        value = value.strip()
        if key in _MULTIPLE:
            fields.setdefault(key, []).append(value)
        else:
            fields.setdefault(key, value)
    return fields


def parse_metadata(data: bytes, *, source: str) -> CoreMetadata:
    """Parse core metadata; a `MetadataError` naming `source` if it is unusable."""
    raw = _headers(data)
    name = raw.get("name")
    version_text = raw.get("version")
    if not name or not version_text:
        missing = "Name" if not name else "Version"
        raise MetadataError(f"The metadata of `{source}` has no `{missing}` field")
    try:
        version = Version(version_text)
    except InvalidVersion:
        raise MetadataError(
            f"The metadata of `{source}` has an invalid version `{version_text}`"
        ) from None
    requires = []
    for text in raw.get("requires_dist", ()):
        try:
            requires.append(Requirement(text))
        except InvalidRequirement as exc:
            raise MetadataError(
                f"The metadata of `{source}` has an invalid requirement `{text}`: {exc}"
            ) from None
    requires_python = None
    if raw.get("requires_python"):
        try:
            requires_python = SpecifierSet(raw["requires_python"])
        except InvalidSpecifier:
            raise MetadataError(
                f"The metadata of `{source}` has an invalid `Requires-Python`: "
                f"`{raw['requires_python']}`"
            ) from None
    return CoreMetadata(
        name=canonicalize_name(name),
        version=version,
        requires_dist=tuple(requires),
        requires_python=requires_python,
        provides_extra=tuple(canonicalize_name(e) for e in raw.get("provides_extra", ())),
        dynamic=tuple(d.lower() for d in raw.get("dynamic", ())),
        metadata_version=raw.get("metadata_version", "1.0"),
    )
