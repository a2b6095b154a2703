"""Any distribution that is not a registry wheel -> core metadata, or -> a wheel. Cached.

`Distributions.metadata(dist)` answers, cheapest first:

1. declared metadata (`[[tool.uv.dependency-metadata]]`) for the name (and version);
2. a wheel's `METADATA` (direct wheel URLs);
3. an sdist's static `PKG-INFO` (Metadata-Version >= 2.2, nothing dynamic that resolution
   reads), read from the archive without unpacking it;
4. a static `[project]` table in the tree's `pyproject.toml` (local trees, Git checkouts,
   unpacked sdists);
5. metadata a build produced before (kept beside the built wheels);
6. the build backend: `prepare_metadata_for_build_wheel`, or, when the backend lacks it, a
   full `build_wheel` whose wheel is kept, so that asking for the wheel next builds nothing.

`Distributions.wheel(dist)` returns a cached built wheel compatible with the target
interpreter when there is one, else builds one (`build_wheel`, or `build_editable` for an
editable directory). Steps 5 and 6, and a build, answer `BuildDisabled` under `--no-build`
(`no-build-package`); cached wheels are still used then, as uv does.

Cache layout (`built-wheels-v1/`), each entry guarded by its `.lock`, every file in it written
to a temporary name and renamed into place:

    sdist/<name>/<sha256 of the archive>/        registry sdists, sdist URLs, local archives
        src/                                     the unpacked archive (checked member by member)
        metadata                                 core metadata from the backend
        wheels/<wheel>                           built wheels (one per tag set)
        subdirectory-<digest>/...                the same, for `#subdirectory=` builds
    path/<digest of the path>/<tree key>/        local directories (the tree key: mtimes of
        metadata, wheels/, editable/             pyproject.toml, setup.py, setup.cfg)
    git/<repository key>/<commit>/<subdirectory key>/
        metadata, wheels/

Downloads (sdist and wheel URLs, registry sdists given without a path) go to
`wheels-v1/url/<digest of the URL>/<filename>`, through the `fetch` callable the caller passes
(see `registry_fetch`), and are reused while they are there (`refresh` fetches again).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import zipfile
from collections.abc import Callable, Mapping, Sequence

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from puv.build import Builder, BuildError, SourceBuild, read_build_system
from puv.build.backend import read_pyproject_data
from puv.build.environment import holding
from puv.cache import Bucket
from puv.core.filenames import parse_filename
from puv.core.hashes import Hash, HashChecker
from puv.core.metadata import CoreMetadata, parse_metadata
from puv.distribution.archive import read_pkg_info, source_root, unpack_sdist
from puv.distribution.dists import (
    BuildDisabled,
    BuiltWheel,
    DirectoryDist,
    Dist,
    DistMetadata,
    GitDist,
    SourceDist,
    UrlDist,
    describe,
    direct_url,
    file_url,
    url_to_path,
)
from puv.distribution.git import GitSource, repository_key
from puv.distribution.static import (
    DeclaredMetadata,
    find_declared,
    pkg_info_metadata,
    pyproject_metadata,
    tree_key,
)
from puv.errors import MetadataError, PuvError
from puv.fs import FileLock, remove_tree, temporary_name, write_atomic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.cache import Cache
    from puv.index.registry import Registry

__all__ = ["Distributions", "Fetch", "registry_fetch", "url_download_path"]

# (url, target path, expected digests): download `url` to `target` atomically, checking the
# digests (a `HashMismatch` if one differs).
Fetch = Callable[[str, str, Sequence[Hash]], None]

_METADATA = "metadata"


def registry_fetch(registry: Registry) -> Fetch:
    """A `Fetch` over the registry's HTTP client (credentials, retries, offline mode)."""

    def fetch(url: str, target: str, hashes: Sequence[Hash]) -> None:
        from puv.net.download import download

        registry.loop.run(download(registry.http, url, target, hashes=list(hashes),
                                   what=url.rsplit("/", 1)[-1]))

    return fetch


def url_download_path(wheels_dir: str, url: str, filename: str) -> str:
    """Where the file at `url` is downloaded to in the `wheels-v1/` bucket `wheels_dir`
    (the installer's downloads of URL wheels share it)."""
    key = hashlib.sha256(url.encode()).hexdigest()[:16]
    return os.path.join(wheels_dir, "url", key, filename)


def _sha256_of(path: str, expected: Sequence[Hash], what: str) -> str:
    checker = HashChecker(expected, what=what)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            checker.update(chunk)
    return checker.verify().digest


def _wheel_metadata(path: str) -> bytes:
    """The `METADATA` of the wheel at `path` (its one top-level `.dist-info`)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.count("/") == 1
                       and n.endswith(".dist-info/METADATA")]
            if len(members) != 1:
                raise MetadataError(f"The wheel `{os.path.basename(path)}` has "
                                    f"{'no' if not members else 'more than one'} "
                                    ".dist-info/METADATA")
            return archive.read(members[0])
    except (OSError, zipfile.BadZipFile) as exc:
        raise MetadataError(f"Failed to read the wheel `{os.path.basename(path)}`: {exc}"
                            ) from None


class _Source:
    """One buildable tree, as the shared build steps need it."""

    __slots__ = ("display", "dist", "editable", "entry", "lock", "name", "prepare", "version")

    def __init__(self, dist: Dist, *, entry: str, lock: str, prepare: Callable[[], str],
                 name: NormalizedName | None, version: Version | None,
                 editable: bool = False) -> None:
        self.dist = dist  # precise
        self.entry = entry  # where results are kept
        self.lock = lock
        self.prepare = prepare  # the tree's path, made if needed (called under the lock)
        self.name = name
        self.version = version
        self.editable = editable
        self.display = describe(dist)


class Distributions:
    """Metadata and wheels for sdists, URLs, directories and Git repositories, for the target
    interpreter of `builder` (see the module docstring).

    `fetch` downloads files (`None`: only local files can be read); `declared` is the run's
    `[[tool.uv.dependency-metadata]]`; `git` the run's Git source (made on first need).
    Methods may be called from several threads at once."""

    def __init__(self, cache: Cache, builder: Builder, *, fetch: Fetch | None = None,
                 declared: Sequence[DeclaredMetadata] = (), git: GitSource | None = None,
                 offline: bool = False, refresh: bool = False,
                 environ: Mapping[str, str] | None = None) -> None:
        self.cache = cache
        self.builder = builder
        self.fetch = fetch
        self.declared = tuple(declared)
        self.offline = offline
        self.refresh = refresh
        self.environ = environ
        self._git = git

    @property
    def git(self) -> GitSource:
        if self._git is None:
            self._git = GitSource(self.cache, offline=self.offline, environ=self.environ)
        return self._git

    def _bucket(self) -> str:
        return self.cache.bucket(Bucket.BUILT_WHEELS)

    def _lock(self, path: str, what: str) -> FileLock:
        return FileLock(path, resource=what, timeout=self.cache.lock_timeout,
                        on_wait=self.cache.on_wait)

    # Public API ---------------------------------------------------------------------------

    def metadata(self, dist: Dist) -> DistMetadata | BuildDisabled:
        """The core metadata of `dist` (see the module docstring for how)."""
        if isinstance(dist, SourceDist):
            declared = find_declared(self.declared, dist.name, dist.version)
            if declared is not None:
                return DistMetadata(declared, dist, "declared")
            return self._sdist_metadata(dist)
        if isinstance(dist, UrlDist):
            if dist.is_wheel:
                path, sha256 = self._archive(dist)
                return self._wheel_file_metadata(dist, path, sha256)
            declared = find_declared(self.declared, dist.name, self._version_of(dist))
            if declared is not None:
                return DistMetadata(declared, dist, "declared")
            return self._sdist_metadata(dist)
        source = self._tree_source(dist)
        declared = find_declared(self.declared, source.name, None)
        if declared is not None:
            return DistMetadata(declared, source.dist, "declared")
        return self._tree_metadata(source)

    def wheel(self, dist: Dist) -> BuiltWheel | BuildDisabled:
        """A wheel of `dist` for the target interpreter: cached, downloaded, or built."""
        if isinstance(dist, UrlDist) and dist.is_wheel:
            path, sha256 = self._archive(dist)
            parsed = parse_filename(dist.filename)
            if parsed is None:
                raise MetadataError(f"Invalid wheel file name `{dist.filename}`")
            precise = self._precise_url(dist, sha256)
            return BuiltWheel(path, dist.filename, parsed.name, parsed.version, sha256,
                              precise, direct_url(precise, sha256=sha256))
        if isinstance(dist, SourceDist | UrlDist):
            return self._sdist_wheel(dist)
        return self._build_wheel(self._tree_source(dist))

    # Archives -----------------------------------------------------------------------------

    def _version_of(self, dist: UrlDist) -> Version | None:
        parsed = parse_filename(dist.filename)
        return parsed.version if parsed is not None else None

    def _name_of(self, dist: SourceDist | UrlDist) -> NormalizedName | None:
        if dist.name is not None:
            return dist.name
        parsed = parse_filename(dist.filename)
        return parsed.name if parsed is not None else None

    def _download_path(self, url: str, filename: str) -> str:
        return url_download_path(self.cache.bucket(Bucket.WHEELS), url, filename)

    def _archive(self, dist: SourceDist | UrlDist) -> tuple[str, str]:
        """The archive of `dist` on disk, and its sha256 (the expected digests checked)."""
        expected = dist.hashes
        local = dist.path if isinstance(dist, SourceDist) else dist.local_path
        if local is None and isinstance(dist, SourceDist) and dist.url.startswith("file:"):
            local = url_to_path(dist.url)
        if local is not None:
            if not os.path.isfile(local):
                raise PuvError(f"Distribution not found at: {file_url(local)}")
            return local, _sha256_of(local, expected, dist.filename)
        target = self._download_path(dist.url, dist.filename)
        if os.path.isfile(target) and not self.refresh:
            try:
                return target, _sha256_of(target, expected, dist.filename)
            except PuvError:
                pass  # a stale download that the expected digest no longer matches
        if self.fetch is None:
            raise PuvError(f"Failed to download `{describe(dist)}`: no network access here",
                           hint="download the file and refer to it by its path")
        self.fetch(dist.url, target, expected)
        return target, _sha256_of(target, expected, dist.filename)

    def _precise_url(self, dist: UrlDist, sha256: str) -> UrlDist:
        if dist.sha256 == sha256:
            return dist
        return UrlDist(url=dist.url, name=dist.name, subdirectory=dist.subdirectory,
                       hashes=(*dist.hashes, Hash("sha256", sha256)))

    def _wheel_file_metadata(self, dist: UrlDist, path: str, sha256: str) -> DistMetadata:
        parsed = parse_filename(dist.filename)
        if parsed is None or not parsed.is_wheel:
            raise MetadataError(f"Invalid wheel file name `{dist.filename}`")
        metadata = parse_metadata(_wheel_metadata(path), source=dist.filename)
        metadata.check_matches(parsed.name, parsed.version, source=dist.filename)
        _check_name(metadata, dist.name, describe(dist))
        return DistMetadata(metadata, self._precise_url(dist, sha256), "wheel")

    # Sdists -------------------------------------------------------------------------------

    def _sdist_entry(self, name: str | None, sha256: str, subdirectory: str | None) -> tuple[
            str, str]:
        """(the archive's entry, where results for `subdirectory` go)."""
        entry = os.path.join(self._bucket(), "sdist", name or "unknown", sha256)
        if not subdirectory:
            return entry, entry
        key = hashlib.sha256(subdirectory.encode()).hexdigest()[:12]
        return entry, os.path.join(entry, f"subdirectory-{key}")

    def _sdist_source(self, dist: SourceDist | UrlDist, path: str, sha256: str) -> _Source:
        name = self._name_of(dist)
        subdirectory = dist.subdirectory if isinstance(dist, UrlDist) else None
        entry, results = self._sdist_entry(name, sha256, subdirectory)
        precise = self._precise_url(dist, sha256) if isinstance(dist, UrlDist) else dist

        def prepare() -> str:
            unpacked = os.path.join(entry, "src")
            if not os.path.isdir(unpacked):
                staging = temporary_name(unpacked)
                unpack_sdist(path, staging)
                try:
                    os.rename(staging, unpacked)
                except OSError:
                    remove_tree(staging)  # another process unpacked it first
                    if not os.path.isdir(unpacked):
                        raise
            tree = source_root(unpacked)
            if subdirectory:
                inner = _subdirectory(tree, subdirectory)
                if inner is None:
                    raise BuildError(f"The source distribution `{describe(dist)}` has no "
                                     f"subdirectory `{subdirectory}`")
                tree = inner
            return tree

        version = dist.version if isinstance(dist, SourceDist) else self._version_of(dist)
        return _Source(precise, entry=results, lock=os.path.join(entry, ".lock"),
                       prepare=prepare, name=name, version=version)

    def _known_entry(self, dist: SourceDist | UrlDist) -> str | None:
        """The results directory of `dist` when its sha256 is known without reading it."""
        sha256 = dist.sha256
        if sha256 is None:
            return None
        subdirectory = dist.subdirectory if isinstance(dist, UrlDist) else None
        return self._sdist_entry(self._name_of(dist), sha256, subdirectory)[1]

    def _sdist_metadata(self, dist: SourceDist | UrlDist) -> DistMetadata | BuildDisabled:
        known = self._known_entry(dist)
        if known is not None:
            cached = self._cached_metadata(known, dist)
            if cached is not None:
                return cached
        path, sha256 = self._archive(dist)
        subdirectory = dist.subdirectory if isinstance(dist, UrlDist) else None
        if not subdirectory:
            data = read_pkg_info(path)
            if data is not None:
                metadata = pkg_info_metadata(data, source=dist.filename)
                if metadata is not None:
                    self._check_sdist(metadata, dist)
                    precise = self._precise_url(dist, sha256) if isinstance(
                        dist, UrlDist) else dist
                    return DistMetadata(metadata, precise, "pkg-info")
        return self._tree_metadata(self._sdist_source(dist, path, sha256))

    def _check_sdist(self, metadata: CoreMetadata, dist: SourceDist | UrlDist) -> None:
        if isinstance(dist, SourceDist):
            metadata.check_matches(dist.name, dist.version, source=dist.filename)
        else:
            _check_name(metadata, dist.name, describe(dist))

    def _sdist_wheel(self, dist: SourceDist | UrlDist) -> BuiltWheel | BuildDisabled:
        known = self._known_entry(dist)
        if known is not None:
            found = self._cached_wheel(known, dist, editable=False)
            if found is not None:
                return found
        if not self.builder.options.build_allowed(self._name_of(dist)):
            return _disabled(dist, self._name_of(dist), self.builder.options.no_build)
        path, sha256 = self._archive(dist)
        return self._build_wheel(self._sdist_source(dist, path, sha256))

    # Trees --------------------------------------------------------------------------------

    def _tree_source(self, dist: DirectoryDist | GitDist) -> _Source:
        if isinstance(dist, DirectoryDist):
            return self._directory_source(dist)
        return self._git_source(dist)

    def _directory_source(self, dist: DirectoryDist) -> _Source:
        path = os.path.abspath(dist.path)
        if not os.path.isdir(path):
            raise PuvError(f"Distribution not found at: {file_url(path)}")
        data = read_pyproject_data(path) or {}
        tool = data.get("tool")
        uv = tool.get("uv") if isinstance(tool, dict) else None
        cache_keys = uv.get("cache-keys") if isinstance(uv, dict) else None
        where = os.path.join(self._bucket(), "path",
                             hashlib.sha256(path.encode()).hexdigest()[:16])
        entry = os.path.join(where, tree_key(path, cache_keys if isinstance(cache_keys, list)
                                             else None, self.environ))
        name = dist.name or _project_name(data)
        return _Source(dist, entry=entry, lock=os.path.join(where, ".lock"),
                       prepare=lambda: path, name=name, version=None, editable=dist.editable)

    def _git_source(self, dist: GitDist) -> _Source:
        commit = self.git.resolve(dist.repository, dist.commit or dist.rev)
        precise = dataclasses.replace(dist, commit=commit)
        checkout = self.git.checkout(dist.repository, commit)
        tree = checkout
        if dist.subdirectory:
            inner = _subdirectory(checkout, dist.subdirectory)
            if inner is None:
                raise BuildError(f"The Git repository `{describe(precise)}` has no "
                                 f"subdirectory `{dist.subdirectory}` at `{commit}`")
            tree = inner
        where = os.path.join(self._bucket(), "git", repository_key(dist.repository), commit)
        sub = hashlib.sha256((dist.subdirectory or "").encode()).hexdigest()[:12]
        name = dist.name or _project_name(read_pyproject_data(tree) or {})
        return _Source(precise, entry=os.path.join(where, sub),
                       lock=os.path.join(where, ".lock"), prepare=lambda: tree, name=name,
                       version=None)

    # Shared steps ---------------------------------------------------------------------------

    def _cached_metadata(self, entry: str, dist: Dist) -> DistMetadata | None:
        try:
            with open(os.path.join(entry, _METADATA), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        return DistMetadata(parse_metadata(data, source=describe(dist)), dist, "backend")

    def _cached_wheel(self, entry: str, dist: Dist, *, editable: bool) -> BuiltWheel | None:
        """The best cached wheel in `entry` for the target interpreter, if any."""
        directory = os.path.join(entry, "editable" if editable else "wheels")
        try:
            names = os.listdir(directory)
        except OSError:
            return None
        tags = self.builder.interpreter.tags()
        best: tuple[int, str] | None = None
        for filename in names:
            if not filename.endswith(".whl") or filename.startswith("."):
                continue
            rank = tags.priority("-".join(filename[:-4].split("-")[-3:]))
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, filename)
        if best is None:
            return None
        return self._built(os.path.join(directory, best[1]), dist, built=False)

    def _built(self, path: str, dist: Dist, *, built: bool) -> BuiltWheel:
        filename = os.path.basename(path)
        parsed = parse_filename(filename)
        if parsed is None or not parsed.is_wheel:
            raise BuildError(f"Failed to build `{describe(dist)}`: the backend wrote "
                             f"`{filename}`, which is not a valid wheel file name")
        sha256 = _sha256_of(path, (), filename)
        archive_sha = None
        if isinstance(dist, UrlDist):
            archive_sha = dist.sha256
        return BuiltWheel(path, filename, parsed.name, parsed.version, sha256, dist,
                          direct_url(dist, sha256=archive_sha), built=built)

    def _tree_metadata(self, source: _Source) -> DistMetadata | BuildDisabled:
        cached = self._cached_metadata(source.entry, source.dist)
        if cached is not None:
            return cached
        tree = source.prepare()
        system = read_build_system(tree)  # a tree that is no project fails here
        static = pyproject_metadata(system.project, source=source.display)
        if static is not None:
            self._check(static, source)
            return DistMetadata(static, source.dist, "pyproject")
        os.makedirs(os.path.dirname(source.lock), exist_ok=True)
        with holding(source.lock, source.display), self._lock(source.lock, source.display):
            cached = self._cached_metadata(source.entry, source.dist)
            if cached is not None:
                return cached
            if not self.builder.options.build_allowed(source.name):
                return _disabled(source.dist, source.name, self.builder.options.no_build)
            build = self.builder.setup(tree, display=source.display, name=source.name,
                                       version=str(source.version) if source.version else None,
                                       editable=source.editable)
            os.makedirs(source.entry, exist_ok=True)
            scratch = temporary_name(os.path.join(source.entry, "metadata-dir"))
            try:
                dist_info = build.prepare_metadata(scratch)
                if dist_info is not None:
                    try:
                        with open(os.path.join(dist_info, "METADATA"), "rb") as handle:
                            data = handle.read()
                    except OSError:
                        raise BuildError(f"Failed to build `{source.display}`\n  cause: The "
                                         "build backend's metadata directory "
                                         f"`{os.path.basename(dist_info)}` has no METADATA"
                                         ) from None
                else:
                    wheel = self._build_locked(source, build)
                    data = _wheel_metadata(wheel.path)
            finally:
                remove_tree(scratch)
            metadata = parse_metadata(data, source=source.display)
            self._check(metadata, source)
            write_atomic(os.path.join(source.entry, _METADATA), data)
        return DistMetadata(metadata, source.dist, "backend")

    def _check(self, metadata: CoreMetadata, source: _Source) -> None:
        if isinstance(source.dist, SourceDist):
            metadata.check_matches(source.dist.name, source.dist.version,
                                   source=source.dist.filename)
        else:
            _check_name(metadata, source.name, source.display)

    def _build_wheel(self, source: _Source) -> BuiltWheel | BuildDisabled:
        found = self._cached_wheel(source.entry, source.dist, editable=source.editable)
        if found is not None:
            return found
        if not self.builder.options.build_allowed(source.name):
            return _disabled(source.dist, source.name, self.builder.options.no_build)
        os.makedirs(os.path.dirname(source.lock), exist_ok=True)
        with holding(source.lock, source.display), self._lock(source.lock, source.display):
            found = self._cached_wheel(source.entry, source.dist, editable=source.editable)
            if found is not None:
                return found
            tree = source.prepare()
            build = self.builder.setup(tree, display=source.display, name=source.name,
                                       version=str(source.version) if source.version else None,
                                       editable=source.editable)
            return self._build_locked(source, build)

    def _build_locked(self, source: _Source, build: SourceBuild) -> BuiltWheel:
        """Build the wheel into the entry (the caller holds its lock), keep its metadata."""
        reporter = self.builder.reporter
        key = f"build:{source.entry}"
        if reporter is not None:
            reporter.start(key, source.display, None)
        os.makedirs(source.entry, exist_ok=True)
        scratch = temporary_name(os.path.join(source.entry, "build-dir"))
        try:
            built = build.build_wheel(scratch)
            filename = os.path.basename(built)
            parsed = parse_filename(filename)
            if parsed is None or not parsed.is_wheel:
                raise BuildError(f"Failed to build `{source.display}`\n  cause: The build "
                                 f"backend returned `{filename}`, which is not a valid wheel "
                                 "file name")
            data = _wheel_metadata(built)
            metadata = parse_metadata(data, source=filename)
            metadata.check_matches(parsed.name, parsed.version, source=filename)
            self._check(metadata, source)
            directory = os.path.join(source.entry, "editable" if source.editable else "wheels")
            os.makedirs(directory, exist_ok=True)
            final = os.path.join(directory, filename)
            os.replace(built, final)
            if not os.path.isfile(os.path.join(source.entry, _METADATA)):
                write_atomic(os.path.join(source.entry, _METADATA), data)
        finally:
            remove_tree(scratch)
            if reporter is not None:
                reporter.finish(key)
        return self._built(final, source.dist, built=True)


def _subdirectory(root: str, subdirectory: str) -> str | None:
    """`root/subdirectory` when it is a directory inside `root` (links resolved: a link in a
    repository or an archive must not lead a build elsewhere), else `None`."""
    path = os.path.join(root, *subdirectory.split("/"))
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if not os.path.isdir(real) or os.path.commonpath([real_root, real]) != real_root:
        return None
    return path


def _project_name(data: Mapping[str, object]) -> NormalizedName | None:
    project = data.get("project")
    if isinstance(project, dict) and isinstance(project.get("name"), str):
        return canonicalize_name(project["name"])
    return None


def _check_name(metadata: CoreMetadata, expected: str | None, display: str) -> None:
    """uv's words when a distribution is not the package its requirement names."""
    if expected is not None and metadata.name != canonicalize_name(expected):
        raise MetadataError(f"Package metadata name `{metadata.name}` does not match given "
                            f"name `{canonicalize_name(expected)}` (in `{display}`)")


def _disabled(dist: Dist, name: str | None, everything: bool) -> BuildDisabled:
    """uv's words: the package named when only some packages are not built."""
    if name is not None and not everything:
        return BuildDisabled(dist, f"Building source distributions for `{name}` is disabled")
    return BuildDisabled(dist, "Building source distributions is disabled")
