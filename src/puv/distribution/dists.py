"""What can be turned into metadata or a wheel, and what comes back.

Inputs (frozen values, one per kind of source):

- `SourceDist`: an sdist file of a registry (its URL, digests, and the local path once
  downloaded);
- `UrlDist`: `name @ https://host/a-1.0.tar.gz#sha256=...` (an sdist or a wheel), or a local
  archive (`name @ file:///.../a-1.0.tar.gz`, `./dist/a-1.0.tar.gz`);
- `DirectoryDist`: a local source tree (`name @ file:///abs/path`, `./path`, `-e ./path`);
- `GitDist`: `name @ git+https://host/repo@rev#subdirectory=sub` (also `git+file://`,
  `git+ssh://`); `commit` is filled in once the revision is resolved.

`parse_direct_reference` turns a requirement's URL (or a path) into one of the last three.

Outputs: `DistMetadata` (core metadata, and the precise dist it came from: a git dist with its
commit), `BuiltWheel` (a wheel file in the cache, and the PEP 610 `direct_url.json` content
to install it with), and `BuildDisabled`, the ordinary answer "a build would be needed, and
`--no-build` forbids it", which a resolver can cite.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from puv.core.hashes import Hash, parse_fragment
from puv.core.metadata import CoreMetadata
from puv.errors import RequirementsError
from puv.net.auth import redact_url

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.index.registry import Candidate

__all__ = [
    "BuildDisabled",
    "BuiltWheel",
    "DirectoryDist",
    "Dist",
    "DistMetadata",
    "GitDist",
    "SourceDist",
    "UrlDist",
    "describe",
    "direct_url",
    "file_url",
    "parse_direct_reference",
    "registry_sdist",
    "url_to_path",
]


def file_url(path: str) -> str:
    """`file:///abs/path` for a local path (percent-encoded as uv writes it)."""
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def url_to_path(url: str) -> str:
    """The local path of a `file:` URL."""
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path)


@dataclass(frozen=True, kw_only=True)
class SourceDist:
    """An sdist file of a registry. `path` is where it is on disk, when it already is (a
    `--find-links` directory, or downloaded by the caller); else it is fetched from `url`."""

    name: NormalizedName
    version: Version
    filename: str
    url: str
    hashes: tuple[Hash, ...] = ()
    path: str | None = None

    @property
    def sha256(self) -> str | None:
        return next((h.digest for h in self.hashes if h.algorithm == "sha256"), None)


def registry_sdist(candidate: Candidate, path: str | None = None) -> SourceDist:
    """The `SourceDist` of a registry candidate that is an sdist (`path`: where the caller
    already downloaded it; a `--find-links` directory's file is found by itself)."""
    from puv.index.flat import is_local, local_path

    url = candidate.file.url
    if path is None and is_local(url):
        path = local_path(url)
    return SourceDist(name=canonicalize_name(candidate.name), version=candidate.version,
                      filename=candidate.file.filename, url=url, hashes=candidate.hashes,
                      path=path)


@dataclass(frozen=True, kw_only=True)
class UrlDist:
    """An archive at a URL (`https://`, `http://` or `file://`): an sdist or a wheel."""

    url: str  # without the fragment
    name: NormalizedName | None = None
    hashes: tuple[Hash, ...] = ()
    subdirectory: str | None = None  # of an sdist's tree

    @property
    def filename(self) -> str:
        return urllib.parse.unquote(self.url.rstrip("/").rsplit("/", 1)[-1])

    @property
    def is_wheel(self) -> bool:
        return self.filename.endswith(".whl")

    @property
    def local_path(self) -> str | None:
        return url_to_path(self.url) if self.url.startswith("file:") else None

    @property
    def sha256(self) -> str | None:
        return next((h.digest for h in self.hashes if h.algorithm == "sha256"), None)


@dataclass(frozen=True, kw_only=True)
class DirectoryDist:
    """A local source tree. `editable`: installed in development mode (PEP 660)."""

    path: str  # absolute
    name: NormalizedName | None = None
    editable: bool = False

    @property
    def url(self) -> str:
        return file_url(self.path)


@dataclass(frozen=True, kw_only=True)
class GitDist:
    """A project in a Git repository. `repository` is the URL git fetches (credentials
    included, never shown), `rev` what was asked for (a branch, tag or commit; `None`: the
    default branch), `commit` the full commit it resolved to. `reference` says how `rev` was
    given: `tag` or `branch` in `[tool.uv.sources]`, else `rev` (a URL's `@rev`), which the
    lock file keeps."""

    repository: str
    rev: str | None = None
    commit: str | None = None
    subdirectory: str | None = None
    name: NormalizedName | None = None
    reference: str = "rev"

    def lock_url(self, *, precise: bool = True) -> str:
        """The repository as `uv.lock` writes it: credentials removed, then
        `?subdirectory=...&tag=...` (uv's order) and, when `precise`, `#<commit>`."""
        query = [("subdirectory", self.subdirectory)] if self.subdirectory else []
        if self.rev:
            query.append((self.reference, self.rev))
        text = redact_url(self.repository)
        if query:
            text += "?" + urllib.parse.urlencode(query)
        return text + (f"#{self.commit}" if precise and self.commit else "")

    @property
    def url(self) -> str:
        """The requirement's URL: `git+https://host/repo@rev#subdirectory=sub` (the commit
        once resolved, as a lock file pins it)."""
        rev = self.commit or self.rev
        text = f"git+{self.repository}" + (f"@{rev}" if rev else "")
        return text + (f"#subdirectory={self.subdirectory}" if self.subdirectory else "")


Dist = SourceDist | UrlDist | DirectoryDist | GitDist


def describe(dist: Dist) -> str:
    """How uv names a distribution in messages: `a==1.0`, `a @ https://...` (credentials
    redacted), `file:///path` when the name is not known yet."""
    if isinstance(dist, SourceDist):
        return f"{dist.name}=={dist.version}"
    if isinstance(dist, GitDist):
        url = "git+" + redact_url(dist.repository) + (f"@{dist.rev}" if dist.rev else "")
        if dist.subdirectory:
            url += f"#subdirectory={dist.subdirectory}"
    else:
        url = redact_url(dist.url)
    return f"{dist.name} @ {url}" if dist.name else url


def direct_url(dist: Dist, *, sha256: str | None = None) -> dict[str, Any] | None:
    """The PEP 610 `direct_url.json` content of an install of `dist` (`None`: a registry
    install). Credentials are left out, as the specification requires."""
    if isinstance(dist, SourceDist):
        return None
    if isinstance(dist, DirectoryDist):
        return {"url": dist.url, "dir_info": {"editable": True} if dist.editable else {}}
    if isinstance(dist, GitDist):
        info: dict[str, Any] = {"vcs": "git"}
        if dist.rev:
            info["requested_revision"] = dist.rev
        if dist.commit:
            info["commit_id"] = dist.commit
        result: dict[str, Any] = {"url": _without_password(dist.repository), "vcs_info": info}
        if dist.subdirectory:
            result["subdirectory"] = dist.subdirectory
        return result
    archive: dict[str, Any] = {}
    if sha256:
        archive = {"hash": f"sha256={sha256}", "hashes": {"sha256": sha256}}
    result = {"url": _without_password(dist.url), "archive_info": archive}
    if dist.subdirectory:
        result["subdirectory"] = dist.subdirectory
    return result


def _without_password(url: str) -> str:
    """`url` without user info, except a bare user name of an ssh URL (`git@host`)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    if parts.scheme == "ssh" and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class DistMetadata:
    """Core metadata, and where it came from.

    `dist` is the precise distribution (a `GitDist` with its commit). `origin` says how it
    was learnt: `declared` (`[[tool.uv.dependency-metadata]]`), `wheel` (a wheel's
    `METADATA`), `pkg-info` (an sdist's static `PKG-INFO`), `pyproject` (static `[project]`
    table), or `backend` (the build backend: `prepare_metadata_for_build_wheel`, or a full
    build when it lacks that hook; cached).
    """

    metadata: CoreMetadata
    dist: Dist
    origin: str


@dataclass(frozen=True)
class BuiltWheel:
    """A wheel on disk for a distribution: built from source (and kept in
    `built-wheels-v1/`), or downloaded (a direct wheel URL). `built` is whether this call ran
    the backend. Install it with `direct_url` as its `direct_url.json` (`None`: a registry
    distribution)."""

    path: str
    filename: str
    name: NormalizedName
    version: Version
    sha256: str
    dist: Dist
    direct_url: dict[str, Any] | None = field(default=None, compare=False)
    built: bool = False


@dataclass(frozen=True)
class BuildDisabled:
    """The distribution would have to be built, and building is disabled for it: an answer
    a resolver reports ("Building source distributions is disabled"), not an error."""

    dist: Dist
    reason: str

    def __str__(self) -> str:
        return self.reason


def _fragment(fragment: str, reference: str) -> tuple[tuple[Hash, ...], str | None,
                                                     str | None]:
    """The hashes, `subdirectory` and `egg` of a URL fragment (`a=b&c=d`)."""
    hashes: list[Hash] = []
    subdirectory = egg = None
    for part in fragment.split("&") if fragment else ():
        key, _, value = part.partition("=")
        if key == "subdirectory":
            subdirectory = _checked_subdirectory(urllib.parse.unquote(value), reference)
        elif key == "egg":
            egg = value
        else:
            parsed = parse_fragment(part)
            if parsed is not None:
                hashes.append(parsed)
    return tuple(hashes), subdirectory, egg


def _checked_subdirectory(value: str, reference: str) -> str:
    """A subdirectory must stay inside the tree: relative, no `..`."""
    cleaned = value.strip("/")
    parts = cleaned.replace("\\", "/").split("/")
    if not cleaned or os.path.isabs(value) or any(p in ("..", "") for p in parts):
        raise RequirementsError(f"Invalid subdirectory `{value}` in `{redact_url(reference)}`: "
                                "it must be a relative path inside the source tree")
    return "/".join(p for p in parts if p != ".") or "."


def _split_git(url: str, reference: str) -> tuple[str, str | None]:
    """`https://host/repo@rev` -> (`https://host/repo`, `rev`): the revision follows the
    last `@` of the path (user info in the authority has its own `@`)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path
    rev = None
    if "@" in path:
        path, _, rev = path.rpartition("@")
        if not rev:
            raise RequirementsError(f"Invalid Git reference in `{redact_url(reference)}`: "
                                    "an empty revision after `@`")
    repository = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    return repository, rev


def parse_direct_reference(reference: str, *, name: str | None = None, editable: bool = False,
                           base_dir: str | None = None) -> UrlDist | DirectoryDist | GitDist:
    """The distribution a requirement's URL (or a path, relative to `base_dir`) names."""
    normalized = canonicalize_name(name) if name else None
    text = reference.strip()
    scheme = text.partition("://")[0].lower() if "://" in text else ""
    if scheme.startswith(("hg+", "svn+", "bzr+")):
        raise RequirementsError(f"Unsupported version control system in "
                                f"`{redact_url(text)}`: only Git (`git+`) is supported")
    location, _, fragment = text.partition("#")
    hashes, subdirectory, egg = _fragment(fragment, text)
    if normalized is None and egg:
        normalized = canonicalize_name(egg)
    if scheme.startswith("git+"):
        if editable:
            raise RequirementsError(f"Editable must refer to a local directory, not a Git "
                                    f"URL: `{redact_url(text)}`")
        repository, rev = _split_git(location[4:], text)
        return GitDist(repository=repository, rev=rev, subdirectory=subdirectory,
                       name=normalized)
    if scheme in ("http", "https"):
        if editable:
            raise RequirementsError("Editable must refer to a local directory, not an HTTPS "
                                    f"URL: `{redact_url(text)}`")
        return UrlDist(url=location, name=normalized, hashes=hashes, subdirectory=subdirectory)
    if scheme == "file" or text.startswith("file:"):
        path = url_to_path(location)
    elif scheme:
        raise RequirementsError(f"Unsupported URL scheme `{scheme}` in `{redact_url(text)}`")
    else:
        path = os.path.expanduser(location)
        if not os.path.isabs(path):
            path = os.path.join(base_dir or os.getcwd(), path)
    path = os.path.normpath(os.path.abspath(path))
    if os.path.isdir(path):
        if subdirectory:
            path = os.path.join(path, subdirectory)
        return DirectoryDist(path=path, name=normalized, editable=editable)
    if editable:
        raise RequirementsError(f"Editable must refer to a local directory, not a file: "
                                f"`{path}`")
    if not os.path.exists(path):
        raise RequirementsError(f"Distribution not found at: {file_url(path)}")
    return UrlDist(url=file_url(path), name=normalized, hashes=hashes,
                   subdirectory=subdirectory)
