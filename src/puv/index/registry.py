"""The registry client: a project's files across the configured indexes, a file's core
metadata (without downloading it where possible), and downloads into the cache.

Metadata, cheapest first:

1. a PEP 658/714 `.metadata` file when the index advertises one (its hash checked);
2. for a wheel, HTTP range requests for its central directory and `METADATA` member
   (`remote_zip`);
3. the whole file, as the last resort (a wheel's `METADATA`; an sdist's `PKG-INFO` when it is
   metadata 2.2+ and does not mark `Requires-Dist` dynamic; otherwise `NeedsBuild`).

Every piece is cached (`simple-v1/` pages, `wheels-v1/` metadata and files): a registry file
never changes, so its metadata is kept until `--refresh`; pages follow their HTTP caching
headers. All methods are coroutines; `fetch_projects` / `fetch_metadata` are synchronous
helpers that answer what they can from the cache first and run the rest in parallel.
"""

from __future__ import annotations

import marshal
import os
import tarfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from packaging.version import InvalidVersion, Version

from puv.cache import Bucket, Cache
from puv.core.filenames import DistFilename, parse_filename, split_filename
from puv.core.hashes import Hash, HashChecker, strongest
from puv.core.metadata import CoreMetadata, parse_metadata
from puv.errors import MetadataError, OfflineError, PackageIndexError
from puv.fs import write_atomic
from puv.index.flat import is_local, list_directory, local_path, parse_flat_page
from puv.index.locations import Index, IndexLocations
from puv.index.remote_zip import NoRanges, fetch_wheel_metadata
from puv.index.simple import (
    ACCEPT,
    IndexFile,
    group_html,
    is_json_type,
    page_base,
    parse_html,
    parse_page,
)
from puv.net.auth import CredentialStore, env_name, redact_url
from puv.net.cache import HttpCache, store_entry
from puv.net.client import HttpClient, HttpOptions, Response
from puv.net.download import download
from puv.net.runner import LoopThread

if TYPE_CHECKING:
    import asyncio  # only once a request must go out (see `net`)
    import concurrent.futures

    from puv.types import Reporter

__all__ = ["Candidate", "NeedsBuild", "Page", "ProjectFiles", "Registry"]


class Candidate:
    """A file of a project: its name and version (from the file name), the index it came
    from. The full file-name parse (`dist`, with wheel tags) is made only when asked for."""

    __slots__ = ("_dist", "file", "index", "is_wheel", "name", "version")

    def __init__(self, file: IndexFile, name: str, version: Version, is_wheel: bool,
                 index: Index | None) -> None:
        self.file = file
        self.name = name
        self.version = version
        self.is_wheel = is_wheel
        self.index = index  # None: a `--find-links` location
        self._dist: DistFilename | None = None

    @property
    def dist(self) -> DistFilename:
        """The parsed file name; a `MetadataError` if it is not a valid one."""
        if self._dist is None:
            parsed = parse_filename(self.file.filename)
            if parsed is None:
                raise MetadataError(f"Invalid distribution file name `{self.file.filename}`")
            self._dist = parsed
        return self._dist

    @property
    def hashes(self) -> tuple[Hash, ...]:
        return tuple(Hash(a, d) for a, d in self.file.hashes)

    def __repr__(self) -> str:
        return f"Candidate({self.file.filename!r})"


class NeedsBuild:
    """Metadata only a build can give (an sdist with dynamic or pre-2.2 metadata)."""

    __slots__ = ("candidate", "reason")

    def __init__(self, candidate: Candidate, reason: str) -> None:
        self.candidate = candidate
        self.reason = reason


# The key of a lazy page's payload that holds the URL its links resolve against.
_BASE_KEY = "\x00base"


class Page:
    """A project's files on one index, grouped by the version their names give.

    Each version's files stay undecoded until that version is looked at: a resolver looks at
    a handful of versions of a page that may list thousands of files (botocore's). A group
    is either the raw anchors of an HTML page (`group_html`: a page fetched for the first time
    is split by version without being parsed) or, for JSON pages and pages in other forms, a
    marshal blob of `IndexFile` tuples; both are kept as they are in the HTTP cache.
    """

    __slots__ = ("_base", "_groups")

    def __init__(self, groups: dict[str, bytes | list[IndexFile]], base: str | None = None
                 ) -> None:
        self._groups = groups
        self._base = base  # the URL raw anchors resolve against

    @classmethod
    def from_files(cls, name: str, files: Iterable[IndexFile]) -> Page:
        """Group `files` of project `name` by version (files of other projects, or whose
        names do not parse, are dropped)."""
        groups: dict[str, bytes | list[IndexFile]] = {}
        for file in files:
            split = split_filename(file.filename)
            if split is not None and split[0] == name:
                group = groups.setdefault(split[1], [])
                assert isinstance(group, list)
                group.append(file)
        return cls(groups)

    def to_payload(self) -> dict[str, bytes]:
        payload = {text: group if isinstance(group, bytes)
                   else marshal.dumps([f.to_tuple() for f in group])
                   for text, group in self._groups.items()}
        if self._base is not None:
            payload[_BASE_KEY] = self._base.encode()
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, bytes]) -> Page:
        groups: dict[str, bytes | list[IndexFile]] = dict(payload)
        base = groups.pop(_BASE_KEY, None)
        return cls(groups, base.decode() if isinstance(base, bytes) else None)

    def version_texts(self) -> list[str]:
        return list(self._groups)

    def files(self, text: str) -> list[IndexFile]:
        group = self._groups.get(text)
        if group is None:
            return []
        if isinstance(group, bytes):
            if group[:1] == b"<":
                base = self._base or ""
                group = parse_html(group, base, base=base)
            else:
                group = [IndexFile.from_tuple(t) for t in marshal.loads(group)]
            self._groups[text] = group
        return group

    def all_files(self) -> list[IndexFile]:
        return [f for text in self._groups for f in self.files(text)]


class ProjectFiles:
    """A project's files as the index strategy selects them.

    `versions` is in preference order for a highest-version resolution; `files(version)`
    lists that version's files from the index that supplies it (plus `--find-links` ones).
    """

    def __init__(self, name: str, strategy: str, per_index: Sequence[tuple[Index, Page]],
                 find_links: Page | None = None) -> None:
        self.name = name
        self.found_on = [index for index, _ in per_index]
        sources: dict[Version, list[tuple[Index | None, Page, str]]] = {}
        order: list[Version] = []

        def add(page: Page, index: Index | None, merge: bool) -> list[Version]:
            added: list[Version] = []
            for text in page.version_texts():
                try:
                    version = Version(text)
                except InvalidVersion:
                    continue
                known = sources.get(version)
                if known is not None and not merge and any(
                        i is not None and i is not index for i, _page, _text in known):
                    continue  # this version already came from a higher-priority index
                # (`--find-links` files do not count: they merge with the index's own)
                if known is None:
                    sources[version] = known = []
                    added.append(version)
                known.append((index, page, text))
            return added

        if find_links is not None:
            add(find_links, None, merge=True)
        for index, page in per_index:
            added = add(page, index, merge=False)
            if strategy == "unsafe-first-match":
                order.extend(sorted(added, reverse=True))
        if strategy == "unsafe-first-match":
            listed = set(order)
            rest = [v for v in sources if v not in listed]
            self.versions = sorted(rest, reverse=True) + order
        else:
            self.versions = sorted(sources, reverse=True)
        self._sources = sources
        self._candidates: dict[Version, list[Candidate]] = {}

    def files(self, version: Version) -> list[Candidate]:
        found = self._candidates.get(version)
        if found is None:
            found = []
            for index, page, text in self._sources.get(version, ()):
                for file in page.files(text):
                    is_wheel = file.filename.endswith(".whl")
                    found.append(Candidate(file, self.name, version, is_wheel, index))
            self._candidates[version] = found
        return list(found)

    def __bool__(self) -> bool:
        return bool(self._sources)


def _normalize(name: str) -> str:
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


def _version_of(filename: str) -> tuple[str, str] | None:
    split = split_filename(filename)
    return None if split is None else (split[0], split[1])


def _page_parser(name: str) -> Callable[[Response], dict[str, bytes]]:
    def parse(response: Response) -> dict[str, bytes]:
        content_type = response.headers.get("content-type")
        if not is_json_type(content_type):
            groups = group_html(response.content, response.url, name, _version_of)
            if groups is not None:  # anchors kept raw, parsed per version when looked at
                base = page_base(response.content, response.url)
                return Page(dict(groups), base).to_payload()
        files = parse_page(response.content, content_type, response.url)
        return Page.from_files(name, files).to_payload()

    return parse


def _flat_payload(response: Response) -> dict[str, list[tuple[object, ...]]]:
    found = parse_flat_page(response.content, response.url)
    return {project: [f.to_tuple() for f in files] for project, files in found.items()}


class Registry:
    """Indexes, find-links, metadata and downloads for one run."""

    def __init__(self, locations: IndexLocations, cache: Cache, options: HttpOptions, *,
                 credentials: CredentialStore | None = None, refresh: bool = False,
                 refresh_packages: Iterable[str] = (), http: HttpClient | None = None) -> None:
        self.locations = locations
        self.cache = cache
        self.options = options
        self.credentials = credentials or CredentialStore()
        self.refresh_all = refresh
        self.refresh_packages = {_normalize(p) for p in refresh_packages}
        self._http = http
        self.http_cache = HttpCache(lambda: self.http, offline=options.offline)
        self._flat: dict[str, list[IndexFile]] | None = None
        self._flat_lock: asyncio.Lock | None = None
        self.loop = LoopThread()

    @property
    def http(self) -> HttpClient:
        if self._http is None:
            self._http = HttpClient(self.options, self.credentials)
        return self._http

    def close(self) -> None:
        """Close the HTTP client and the network thread."""
        self.loop.close(self._http.aclose() if self._http is not None else None)

    def _refresh(self, name: str) -> bool:
        return self.refresh_all or name in self.refresh_packages

    # Pages -------------------------------------------------------------------------------

    def _page_path(self, index: Index, name: str) -> str:
        return os.path.join(self.cache.bucket(Bucket.SIMPLE), index.cache_key,
                            f"{name}.marshal")

    def cached_page(self, index: Index, name: str) -> Page | None:
        """The page from a fresh cache entry, without any request, or `None`."""
        payload = self.http_cache.fresh(self._page_path(index, name), index.project_url(name),
                                        refresh=self._refresh(name))
        return None if payload is None else Page.from_payload(payload)

    async def page(self, index: Index, name: str) -> Page | None:
        """The files of project `name` on `index`; `None` if the index does not have it."""
        name = _normalize(name)
        url = index.project_url(name)
        if index.url.startswith("file://"):
            return self._local_page(index, name)
        if index.authenticate == "always" and self.credentials.for_url(url) is None:
            raise PackageIndexError(
                f"The index `{index.name or redact_url(index.url)}` requires credentials "
                f"(`authenticate = \"always\"`), but none were found for "
                f"`{redact_url(index.url)}`",
                hint=(f"set `UV_INDEX_{env_name(index.name)}_USERNAME` and `_PASSWORD`, or "
                      if index.name else "put them in the URL, or ") + "add the host to "
                "`~/.netrc`")
        result = await self.http_cache.get(
            url, self._page_path(index, name), _page_parser(name),
            headers={"Accept": ACCEPT}, refresh=self._refresh(name),
            what=f"the index page of `{name}` on `{redact_url(index.url)}`",
        )
        if result.status in index.ignore_error_codes:
            return None
        if result.status in (401, 403):
            raise PackageIndexError(
                f"The index `{redact_url(index.url)}` refused access to `{name}` "
                f"(HTTP {result.status})",
                hint="check the credentials for this index (in its URL, `~/.netrc`, or "
                "`UV_INDEX_<NAME>_USERNAME` / `_PASSWORD`)",
            )
        if result.status != 200:
            raise PackageIndexError(f"The index `{redact_url(index.url)}` answered HTTP "
                                    f"{result.status} for `{name}`")
        return Page.from_payload(result.payload)

    def _local_page(self, index: Index, name: str) -> Page | None:
        directory = os.path.join(local_path(index.url), name)
        page = os.path.join(directory, "index.html")
        if not os.path.isfile(page):
            return None
        with open(page, "rb") as handle:
            return Page.from_files(name, parse_html(handle.read(),
                                                    "file://" + quote(directory) + "/"))

    async def _find_links(self) -> dict[str, list[IndexFile]]:
        if self._flat is None:
            if self._flat_lock is None:
                import asyncio

                self._flat_lock = asyncio.Lock()
            async with self._flat_lock:
                if self._flat is None:
                    merged: dict[str, list[IndexFile]] = {}
                    for location in self.locations.find_links:
                        found = (list_directory(local_path(location)) if is_local(location)
                                 else await self._flat_page(location))
                        for project, files in found.items():
                            merged.setdefault(project, []).extend(files)
                    self._flat = merged
        return self._flat

    async def _flat_page(self, url: str) -> dict[str, list[IndexFile]]:
        """A find-links page, through the HTTP cache like the index pages (so that warm and
        `--offline` runs need no request)."""
        import hashlib

        path = os.path.join(self.cache.bucket(Bucket.SIMPLE), "flat",
                            hashlib.sha256(url.encode()).hexdigest()[:16] + ".marshal")
        result = await self.http_cache.get(
            url, path, _flat_payload, refresh=self.refresh_all,
            what=f"the find-links page `{redact_url(url)}`")
        if result.status != 200:
            raise PackageIndexError(f"Failed to read the find-links page "
                                    f"`{redact_url(url)}`: HTTP {result.status}")
        return {project: [IndexFile.from_tuple(t) for t in files]
                for project, files in result.payload.items()}

    async def project(self, name: str, *, pinned_index: str | None = None) -> ProjectFiles:
        """The files of `name` as the index strategy selects them (see `locations`)."""
        name = _normalize(name)
        indexes = self.locations.for_package(pinned_index)
        flat = None
        if self.locations.find_links:
            flat = Page.from_files(name, (await self._find_links()).get(name, []))
        strategy = self.locations.strategy
        per_index: list[tuple[Index, Page]] = []
        # Offline, an index whose page is not in the cache is passed over (it did not have
        # the project when last asked: a 404 is not kept); only if every index is, it fails.
        uncached: OfflineError | None = None
        if strategy == "first-index" or len(indexes) <= 1:
            for index in indexes:  # in order, stopping at the first that has it
                try:
                    files = await self.page(index, name)
                except OfflineError as exc:
                    uncached = uncached or exc
                    continue
                if files is not None:
                    per_index.append((index, files))
                    break
        else:
            import asyncio

            pages = await asyncio.gather(*(self.page(i, name) for i in indexes),
                                         return_exceptions=True)
            for index, found in zip(indexes, pages, strict=True):
                if isinstance(found, OfflineError):
                    uncached = uncached or found
                elif isinstance(found, BaseException):
                    raise found
                elif found is not None:
                    per_index.append((index, found))
        if uncached is not None and not per_index:
            raise uncached
        return ProjectFiles(name, strategy, per_index, flat)

    # Metadata ----------------------------------------------------------------------------

    def _file_dir(self, candidate: Candidate) -> str:
        key = candidate.index.cache_key if candidate.index is not None else "find_links"
        return os.path.join(self.cache.bucket(Bucket.WHEELS), key, candidate.name)

    def _metadata_path(self, candidate: Candidate) -> str:
        return os.path.join(self._file_dir(candidate), candidate.file.filename + ".metadata")

    def cached_metadata(self, candidate: Candidate) -> CoreMetadata | None:
        """The metadata from the cache (no request), or `None`."""
        payload = self.http_cache.fresh(self._metadata_path(candidate), candidate.file.url,
                                        immutable=True, refresh=self._refresh(candidate.name))
        return None if payload is None else self._parse(payload, candidate)

    def _parse(self, data: bytes, candidate: Candidate) -> CoreMetadata:
        metadata = parse_metadata(data, source=candidate.file.filename)
        metadata.check_matches(candidate.name, candidate.version,
                               source=candidate.file.filename)
        return metadata

    async def metadata(self, candidate: Candidate) -> CoreMetadata | NeedsBuild:
        """The core metadata of `candidate` (see the module docstring for how)."""
        file = candidate.file
        path = self._metadata_path(candidate)
        if is_local(file.url):
            return self._metadata_from_file(candidate, local_path(file.url))
        cached = self.cached_metadata(candidate)
        if cached is not None:
            return cached
        if self.options.offline:
            raise OfflineError(f"Network connectivity is disabled, but the cache lacks the "
                               f"metadata of `{file.filename}`",
                               hint="run once without `--offline` to fill the cache")
        if file.core_metadata is not None:
            # Stored under the file's URL like the other routes' results, so that
            # `cached_metadata` and `--offline` find it.
            response = await self.http.get(file.url + ".metadata")
            if response.status == 200:
                _verify(response.content, file.core_metadata,
                        what=file.filename + ".metadata")
                store_entry(path, file.url, response.content)
                return self._parse(response.content, candidate)
        if candidate.is_wheel:
            prefix = f"{candidate.name}-{candidate.version}"
            try:
                remote = await fetch_wheel_metadata(self.http, file.url, prefix)
            except NoRanges:
                pass
            else:
                if remote.whole_file is not None:
                    self._keep_whole_file(candidate, remote.whole_file)
                store_entry(path, file.url, remote.metadata)
                return self._parse(remote.metadata, candidate)
        local = await self.download(candidate)
        outcome = self._metadata_from_file(candidate, local)
        if isinstance(outcome, CoreMetadata):
            store_entry(path, file.url, self._raw_metadata(candidate, local) or b"")
        return outcome

    def _keep_whole_file(self, candidate: Candidate, data: bytes) -> None:
        """Keep a wheel the server sent whole as its download, once its digest is checked
        (a `HashMismatch` otherwise: the metadata just read from it is no better)."""
        _verify(data, candidate.file.hashes, what=candidate.file.filename)
        target = os.path.join(self._file_dir(candidate), candidate.file.filename)
        try:
            write_atomic(target, data)
        except OSError:
            pass

    def _raw_metadata(self, candidate: Candidate, path: str) -> bytes | None:
        try:
            if candidate.is_wheel:
                from puv.index.remote_zip import metadata_member

                with zipfile.ZipFile(path) as archive:
                    member = metadata_member(archive.namelist(),
                                             f"{candidate.name}-{candidate.version}")
                    return archive.read(member) if member else None
            return _sdist_pkg_info(path)
        except (OSError, zipfile.BadZipFile, tarfile.TarError, KeyError):
            return None

    def _metadata_from_file(self, candidate: Candidate, path: str
                            ) -> CoreMetadata | NeedsBuild:
        data = self._raw_metadata(candidate, path)
        if data is None:
            if candidate.is_wheel:
                raise MetadataError(f"The wheel `{candidate.file.filename}` has no readable "
                                    ".dist-info/METADATA")
            return NeedsBuild(candidate, "the sdist has no PKG-INFO")
        metadata = self._parse(data, candidate)
        if not candidate.is_wheel:
            major_minor = tuple(int(p) for p in metadata.metadata_version.split(".")[:2]
                                if p.isdigit())
            if major_minor < (2, 2) or "requires-dist" in metadata.dynamic:
                return NeedsBuild(candidate, "its dependencies are only known after a build")
        return metadata

    # Downloads ---------------------------------------------------------------------------

    async def download(self, candidate: Candidate, reporter: Reporter | None = None) -> str:
        """The path of `candidate`'s file in the cache, downloaded (and verified) if needed;
        `reporter` hears of its progress."""
        if is_local(candidate.file.url):
            return local_path(candidate.file.url)
        target = os.path.join(self._file_dir(candidate), candidate.file.filename)
        if os.path.isfile(target) and (
                not self._refresh(candidate.name) or self.options.offline
                or os.path.getmtime(target) >= self.http_cache.run_started):
            return target  # (refreshed: once per run, like the pages)
        if self.options.offline:
            raise OfflineError(f"Network connectivity is disabled, but the cache lacks "
                               f"`{candidate.file.filename}`",
                               hint="run once without `--offline` to fill the cache")
        best = strongest(candidate.hashes)
        await download(self.http, candidate.file.url, target,
                       hashes=[best] if best else [], what=candidate.file.filename,
                       reporter=reporter)
        return target

    # Synchronous helpers -----------------------------------------------------------------

    def cached_project(self, name: str, *, pinned_index: str | None = None
                       ) -> ProjectFiles | None:
        """`project()` answered from fresh cache entries alone (no event loop, no request),
        or `None` when a page must be fetched or find-links must be read."""
        if self.locations.find_links:
            return None
        name = _normalize(name)
        indexes = self.locations.for_package(pinned_index)
        if self.locations.strategy != "first-index" and len(indexes) > 1:
            return None
        for index in indexes:
            if index.url.startswith("file://"):
                return None
            files = self.cached_page(index, name)
            if files is None:
                return None  # stale, missing, or a cached "not found" we do not keep
            return ProjectFiles(name, self.locations.strategy, [(index, files)])
        return None

    def fetch_projects(self, names: Iterable[str]) -> dict[str, ProjectFiles]:
        """`project()` for many names: fresh cache entries first, the rest in parallel."""
        return self.start_projects(names).result()

    def start_projects(self, names: Iterable[str], *, pins: Mapping[str, str] | None = None
                       ) -> concurrent.futures.Future[dict[str, ProjectFiles]]:
        """`fetch_projects`, started: fresh cache entries are read at once (a future that is
        already done when they are all there: no event loop), the rest requested in parallel
        on the network thread while the caller goes on; the result (or the first error)
        comes from the future. `pins`: the index (by name) some of the projects come from
        (`[tool.uv.sources]` `index = ...`)."""
        import concurrent.futures

        pins = pins or {}
        names = list(dict.fromkeys(_normalize(n) for n in names))
        found: dict[str, ProjectFiles] = {}
        for name in names:
            cached = self.cached_project(name, pinned_index=pins.get(name))
            if cached is not None:
                found[name] = cached
        missing = [n for n in names if n not in found]
        if not missing:
            done: concurrent.futures.Future[dict[str, ProjectFiles]] = \
                concurrent.futures.Future()
            done.set_result(found)
            return done

        async def gather() -> dict[str, ProjectFiles]:
            import asyncio

            fetched = await asyncio.gather(*(self.project(n, pinned_index=pins.get(n))
                                             for n in missing))
            found.update(zip(missing, fetched, strict=True))
            return {name: found[name] for name in names}

        return self.loop.submit(gather())

    def fetch_metadata(self, candidates: Sequence[Candidate]
                       ) -> list[CoreMetadata | NeedsBuild]:
        """`metadata()` for many files: fresh cache entries first, the rest in parallel."""
        results: list[Any] = [self.cached_metadata(c) for c in candidates]
        missing = [i for i, r in enumerate(results) if r is None]
        if missing:
            async def gather() -> list[CoreMetadata | NeedsBuild]:
                import asyncio

                return await asyncio.gather(*(self.metadata(candidates[i]) for i in missing))

            for i, value in zip(missing, self.loop.run(gather()), strict=True):
                results[i] = value
        return results


def _verify(data: bytes, hashes: Iterable[tuple[str, str]], *, what: str) -> None:
    """`HashMismatch` unless `data` has the strongest of `hashes` (nothing to check: fine)."""
    best = strongest(Hash(a, d) for a, d in hashes)
    if best is not None:
        checker = HashChecker([best], what=what)
        checker.update(data)
        checker.verify()


def _sdist_pkg_info(path: str) -> bytes | None:
    """The top-level `PKG-INFO` of an sdist (`.tar.gz` or `.zip`)."""
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.count("/") == 1
                     and n.endswith("/PKG-INFO")]
            return archive.read(names[0]) if names else None
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            if member.isfile() and member.name.count("/") == 1 and \
                    member.name.endswith("/PKG-INFO"):
                extracted = archive.extractfile(member)
                return extracted.read() if extracted is not None else None
    return None

