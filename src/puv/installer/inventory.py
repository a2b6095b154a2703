"""What is installed in an environment: one `InstalledDist` per distribution found.

Three kinds are recognised, as pip and uv do:
- `dist-info`: a `name-version.dist-info` directory (PEP 376/627), what puv, pip and uv write;
- `egg-info`: a `name-version-pyX.Y.egg-info` directory or file, left by `setup.py install`
  and by old pips (its files are listed in `installed-files.txt`);
- `egg-link`: a `name.egg-link` file pointing at a project directory (`setup.py develop`,
  `pip install -e` of old), whose `.egg-info` there says the version.

Names and versions come from the directory names, so that listing an environment reads no
file; metadata, RECORD and `direct_url.json` are read when asked for.
"""

from __future__ import annotations

import json
import os

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from puv.errors import PuvError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from puv.core.metadata import CoreMetadata

__all__ = ["InstalledDist", "Inventory", "read_record"]


class InstalledDist:
    """One installed distribution."""

    __slots__ = ("_metadata", "kind", "name", "path", "site_packages", "version")

    def __init__(self, *, name: NormalizedName, version: Version, path: str, kind: str,
                 site_packages: str) -> None:
        self.name = name
        self.version = version
        self.path = path  # the .dist-info / .egg-info directory (or file), or the .egg-link
        self.kind = kind  # "dist-info", "egg-info" or "egg-link"
        self.site_packages = site_packages
        self._metadata: CoreMetadata | None = None

    def __repr__(self) -> str:
        return f"InstalledDist({self.name}=={self.version}, {self.kind})"

    # -- files of the .dist-info / .egg-info ------------------------------------------------

    @property
    def info_dir(self) -> str | None:
        """The directory holding the metadata files (for an egg-link: in the project)."""
        if self.kind == "egg-link":
            return _egg_link_info(self.path)
        return self.path if os.path.isdir(self.path) else None

    def read_text(self, name: str) -> str | None:
        """A metadata file's text (`METADATA`, `RECORD`, `entry_points.txt`...), or `None`."""
        if self.kind == "egg-info" and os.path.isfile(self.path):
            return _read(self.path) if name in ("PKG-INFO", "METADATA") else None
        directory = self.info_dir
        if directory is None:
            return None
        return _read(os.path.join(directory, name))

    def metadata(self) -> CoreMetadata:
        """The core metadata (`METADATA`, or `PKG-INFO` for eggs)."""
        if self._metadata is None:
            from puv.core.metadata import parse_metadata

            text = self.read_text("METADATA" if self.kind == "dist-info" else "PKG-INFO")
            if text is None:
                from puv.errors import MetadataError

                raise MetadataError(f"The installed distribution `{self.name}` at "
                                    f"`{self.path}` has no metadata file")
            self._metadata = parse_metadata(text.encode("utf-8", "surrogateescape"),
                                            source=self.path)
        return self._metadata

    def direct_url(self) -> dict[str, Any] | None:
        """`direct_url.json` (PEP 610): how a URL, path or editable install was made."""
        text = self.read_text("direct_url.json") if self.kind == "dist-info" else None
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    @property
    def is_editable(self) -> bool:
        if self.kind == "egg-link":
            return True
        url = self.direct_url()
        return bool(url and (url.get("dir_info") or {}).get("editable"))

    def installer(self) -> str | None:
        text = self.read_text("INSTALLER")
        return text.strip() if text else None

    @property
    def requested(self) -> bool:
        return self.kind == "dist-info" and os.path.exists(os.path.join(self.path, "REQUESTED"))

    def record(self) -> list[tuple[str, str, str]]:
        """RECORD's rows (path relative to site-packages, hash, size); `[]` when missing."""
        text = self.read_text("RECORD") if self.kind == "dist-info" else None
        return read_record(text) if text else []

    def files(self) -> list[str]:
        """The installed files, relative to site-packages, as pip shows them."""
        if self.kind == "dist-info":
            return [row[0] for row in self.record()]
        if self.kind == "egg-info" and os.path.isdir(self.path):
            listed = _read(os.path.join(self.path, "installed-files.txt"))
            if listed:
                base = os.path.basename(self.path)
                return [os.path.normpath(os.path.join(base, line))
                        for line in listed.splitlines() if line.strip()]
        return []


def read_record(text: str) -> list[tuple[str, str, str]]:
    """Parse a RECORD file (CSV: path, hash, size)."""
    import csv

    rows = []
    for row in csv.reader(text.splitlines()):
        if not row or not row[0]:
            continue
        row = [*row, "", ""][:3]
        rows.append((row[0], row[1], row[2]))
    return rows


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def _egg_link_info(path: str) -> str | None:
    """The `.egg-info` directory of the project an `.egg-link` points to."""
    text = _read(path)
    if not text:
        return None
    project = text.splitlines()[0].strip()
    if not os.path.isabs(project):
        project = os.path.join(os.path.dirname(path), project)
    try:
        names = os.listdir(project)
    except OSError:
        return None
    for name in sorted(names):
        if name.endswith(".egg-info"):
            return os.path.join(project, name)
    return None


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _from_entry(directory: str, name: str) -> InstalledDist | None:
    """The distribution a site-packages entry stands for, or `None` (not metadata)."""
    path = os.path.join(directory, name)
    if name.endswith(".dist-info"):
        base = name[: -len(".dist-info")]
        # `name-1.0`; old installers left `python-dateutil-2.8.2` (split at the last dash)
        # and `Name-1.0.0-rc1` (at the first), so both are tried.
        stem, _, version_text = base.rpartition("-")
        version = _version(version_text)
        if version is None:
            stem, _, version_text = base.partition("-")
            version = _version(version_text)
        if not stem or version is None or not os.path.isdir(path):
            return None
        return InstalledDist(name=canonicalize_name(stem), version=version, path=path,
                             kind="dist-info", site_packages=directory)
    if name.endswith(".egg-info"):
        parts = name[: -len(".egg-info")].split("-")
        version = _version(parts[1]) if len(parts) > 1 else None
        dist = InstalledDist(name=canonicalize_name(parts[0]), version=version or Version("0"),
                             path=path, kind="egg-info", site_packages=directory)
        if version is None:  # `name.egg-info`: the version is in PKG-INFO
            try:
                dist.version = dist.metadata().version
            except (PuvError, OSError):
                return None
        return dist
    if name.endswith(".egg-link"):
        dist = InstalledDist(name=canonicalize_name(name[: -len(".egg-link")]),
                             version=Version("0"), path=path, kind="egg-link",
                             site_packages=directory)
        try:
            dist.version = dist.metadata().version
        except (PuvError, OSError):
            return None
        return dist
    return None


class Inventory:
    """The distributions installed in some site-packages directories, by normalized name."""

    def __init__(self, dists: Iterable[InstalledDist]) -> None:
        self.by_name: dict[str, list[InstalledDist]] = {}
        for dist in dists:
            self.by_name.setdefault(dist.name, []).append(dist)

    @classmethod
    def scan(cls, directories: Iterable[str]) -> Inventory:
        found: list[InstalledDist] = []
        seen: set[str] = set()
        for directory in directories:
            directory = os.path.abspath(directory)
            if directory in seen:
                continue
            seen.add(directory)
            try:
                names = sorted(os.listdir(directory))
            except (FileNotFoundError, NotADirectoryError):
                continue
            for name in names:
                if name.endswith((".dist-info", ".egg-info", ".egg-link")):
                    dist = _from_entry(directory, name)
                    if dist is not None:
                        found.append(dist)
        return cls(found)

    def __iter__(self) -> Iterator[InstalledDist]:
        for name in sorted(self.by_name):
            yield from self.by_name[name]

    def __len__(self) -> int:
        return sum(len(d) for d in self.by_name.values())

    def get(self, name: str) -> InstalledDist | None:
        """The installed distribution called `name` (the first found, when several are)."""
        found = self.by_name.get(canonicalize_name(name))
        return found[0] if found else None

    def all(self, name: str) -> list[InstalledDist]:
        return list(self.by_name.get(canonicalize_name(name), ()))
