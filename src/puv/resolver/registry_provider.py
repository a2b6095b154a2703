"""The provider that answers the solver from package indexes and source distributions.

`RegistryProvider` implements `pubgrub.provider.Provider` for one target environment:

- **versions** come from the index pages (`Registry.project`), fetched on the registry's
  network thread; `choose_version` applies the policy: preferences (an existing output file or
  lock) first unless upgraded, then newest first (`--resolution lowest`: oldest first;
  `lowest-direct`: oldest for the user's own requirements), stable releases before
  pre-releases (a pre-release only when nothing stable is in range, `--prerelease allow`, or
  never with `disallow`), and yanked versions last (usable only when pinned exactly);
- **dependencies** come from metadata: a wheel's `METADATA` (by PEP 658, range request or
  download: `Registry.metadata`), an sdist's through the build layer (`Distributions`), or
  `[[tool.uv.dependency-metadata]]`. Problems known from the file list alone (yanked, no file
  for this platform, `--no-build`, `--exclude-newer`) are answered without any metadata, as
  `Unavailable` values the report cites. A `Requires-Python` the target does not satisfy
  becomes a dependency on the virtual `Python` package ("a==1.0 depends on Python>=3.13");
- **direct references** (`name @ URL`, paths, git) are decided at the version their metadata
  gives;
- **constraints** narrow every requirement on a package; **overrides** replace them;
- **prefetching**: when the solver says which packages are pending, their pages are requested
  and the metadata of the version that would be chosen is fetched in the background, so the
  solver rarely waits on the network.

`RegistryProvider.resolve` runs the solver with it and turns the solution into a `Resolution`.
"""

from __future__ import annotations

import concurrent.futures
import threading
from typing import TYPE_CHECKING, Any

from packaging.utils import canonicalize_name
from packaging.version import Version

from puv.core.marker_algebra import MarkerTree
from puv.core.ranges import Ranges
from puv.errors import MetadataError
from puv.resolver.candidates import wheel_tag_string
from puv.resolver.files import (
    parses,
    python_floor,
    short_version,
    tag_mismatch,
    upload_timestamp,
)
from puv.resolver.pubgrub.package import Package, PackageKind, PythonKind
from puv.resolver.pubgrub.provider import (
    BaseProvider,
    Dependencies,
    Unavailable,
    UnavailableKind,
)
from puv.resolver.resolution import Resolution, ResolvedDist

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from packaging.requirements import Requirement

    from puv.core.metadata import CoreMetadata
    from puv.distribution import Dist, Distributions
    from puv.index.registry import Candidate, ProjectFiles, Registry
    from puv.resolver.pubgrub.solver import Solution
    from puv.resolver.resolution import ResolverEnvironment, ResolverOptions, RootRequirement
    from puv.resolver.universal import Fork, ProjectInput

__all__ = ["RegistryProvider"]

class _Chosen:
    """What the provider learnt about one version: its install file and metadata."""

    __slots__ = ("candidate", "dist", "files", "metadata")

    def __init__(self, candidate: Candidate | None, files: tuple[Candidate, ...],
                 dist: Dist | None = None) -> None:
        self.candidate = candidate
        self.files = files
        self.dist = dist
        self.metadata: CoreMetadata | None = None


class RegistryProvider(BaseProvider):
    """See the module docstring."""

    def __init__(self, requirements: Sequence[RootRequirement], *, registry: Registry,
                 distributions: Distributions | None, environment: ResolverEnvironment,
                 options: ResolverOptions, fork: Fork | None = None,
                 projects: Sequence[ProjectInput] = (),
                 root_groups: Sequence[tuple[str, str]] = (),
                 index_pins: Mapping[str, str] | None = None) -> None:
        self.registry = registry
        # Packages taken from one named index only (`[tool.uv.sources]` `index = ...`).
        self.index_pins = dict(index_pins or {})
        # Universal resolution: the fork being solved (`universal.py` switches it between
        # runs); `None` for one environment, whose marker values are `environment.markers`.
        self.fork = fork
        self._fork_marker_memo: dict[tuple[int, str | None], MarkerTree] = {}
        self._keep: list[Requirement] = []
        # Versions chosen by forks solved earlier, preferred by later ones (as uv does), each
        # with the environments (no conflict items) of the forks that chose it.
        self.fork_preferences: dict[str, list[tuple[Version, MarkerTree]]] = {}
        self.fork_on_requires_python = True
        self.required_environments: list[MarkerTree] = []
        # Workspace members: static metadata (never built) and dependency groups.
        self._groups: dict[str, dict[str, tuple[Requirement, ...]]] = {}
        self._root_groups = tuple(root_groups)
        # Groups that are items of `[tool.uv] conflicts`: where they may be active.
        self.group_conditions: dict[tuple[str, str], MarkerTree] = {}
        self.distributions = distributions
        self.environment = environment
        self.options = options
        self.requirements = list(requirements)
        self.python_package = Package.python_package(
            PythonKind.TARGET if environment.installed_python is not None
            else PythonKind.INSTALLED)
        self.root = Package.root()
        self._markers = dict(environment.markers)
        self._constraints: dict[str, Ranges] = {}
        for item in options.constraints:
            req = item.requirement
            if self._applies(req, ""):
                name = canonicalize_name(req.name)
                ranges = Ranges.from_specifiers(req.specifier)
                known = self._constraints.get(name)
                self._constraints[name] = ranges if known is None else known.intersection(ranges)
        self._overrides: dict[str, list[Requirement]] = {}
        for item in options.overrides:
            self._overrides.setdefault(canonicalize_name(item.requirement.name), []).append(
                item.requirement)
        self.direct_names = {canonicalize_name(r.requirement.name) for r in requirements}
        # Pre-releases named in the user's own requirements (`--prerelease explicit`).
        self._explicit_pre = {canonicalize_name(r.requirement.name) for r in requirements
                              if any(Version(s.version.rstrip(".*")).is_prerelease
                                     for s in r.requirement.specifier
                                     if parses(s.version.rstrip(".*")))}
        self._direct: dict[str, Dist] = {}
        self._editable: set[str] = set()
        self._direct_metadata: dict[str, CoreMetadata | Unavailable] = {}
        for project in projects:
            self._direct_metadata[project.metadata.name] = project.metadata
            self._groups[project.metadata.name] = dict(project.groups)
        for item in requirements:
            if item.dist is not None:
                self._direct[canonicalize_name(item.requirement.name)] = item.dist
            if item.editable:
                self._editable.add(canonicalize_name(item.requirement.name))
        self._pages: dict[str, concurrent.futures.Future[dict[str, ProjectFiles]]] = {}
        self._pages_lock = threading.Lock()
        self._chosen: dict[tuple[str, Version], _Chosen] = {}
        self._metadata_futures: dict[tuple[str, Version], concurrent.futures.Future[Any]] = {}
        # Yanked versions the user pinned exactly (`==1.0`), which may be chosen (PEP 592).
        self._pinned: set[tuple[str, Version]] = set()
        for item in (*requirements, *options.constraints):
            for spec in item.requirement.specifier:
                if spec.operator in ("==", "===") and not spec.version.endswith(".*") \
                        and parses(spec.version):
                    self._pinned.add((canonicalize_name(item.requirement.name),
                                      Version(spec.version)))
        self._warming: set[tuple[str, Ranges]] = set()

    # Requirements -> solver terms ---------------------------------------------------------

    def _applies(self, req: Requirement, extra: str) -> bool:
        if req.marker is None:
            return True
        if self.fork is not None:
            return not self.fork.marker.is_disjoint(self.fork_marker(req, extra or None))
        return bool(req.marker.evaluate({**self._markers, "extra": extra}))

    def fork_marker(self, req: Requirement, extra: str | None) -> MarkerTree:
        """The marker of `req` as a requirement of the package (`extra` None) or of one of
        its extras, the `extra` tests decided (universal resolution)."""
        key = (id(req), extra)
        found = self._fork_marker_memo.get(key)
        if found is None:
            from puv.core.marker_algebra import TRUE

            found = TRUE if req.marker is None else MarkerTree(req.marker).with_only_extra(extra)
            self._fork_marker_memo[key] = found
            self._keep.append(req)  # the key is an id: keep the object alive
        return found

    def _group_applies(self, name: str, group: str) -> bool:
        condition = self.group_conditions.get((name, group))
        return condition is None or self.fork is None or not self.fork.marker.is_disjoint(
            condition)

    def _extra_applies(self, req: Requirement, extra: str) -> bool:
        """Whether `req` is one of the requirements extra `extra` adds to the package."""
        if self.fork is None:
            return self._applies(req, extra) and not self._applies(req, "")
        if req.marker is None:
            return False
        with_extra = self.fork_marker(req, extra)
        return with_extra != self.fork_marker(req, None) \
            and not self.fork.marker.is_disjoint(with_extra)

    @property
    def python(self) -> Version:
        """The Python version requirements are checked against: the interpreter's (or the
        target's), or the lowest of the fork being solved."""
        return self.fork.python if self.fork is not None else self.environment.python

    def _constrained(self, name: str, req: Requirement) -> Ranges:
        """The versions `req` allows, narrowed by the constraints on `name`."""
        ranges = Ranges.from_specifiers(req.specifier)
        constraint = self._constraints.get(name)
        return ranges if constraint is None else ranges.intersection(constraint)

    def _edges(self, req: Requirement) -> list[tuple[Package, Ranges]]:
        """The solver terms of one requirement, overrides and constraints applied."""
        name = canonicalize_name(req.name)
        replaced = self._overrides.get(name)
        reqs = [r for r in replaced if self._applies(r, "")] if replaced else [req]
        edges: list[tuple[Package, Ranges]] = []
        for one in reqs:
            ranges = self._constrained(name, one)
            if one.url and name not in self._direct:
                from puv.distribution import parse_direct_reference

                self._direct[name] = parse_direct_reference(one.url, name=name)
            edges.append((Package.named(name), ranges))
            edges.extend((Package.with_extra(name, str(canonicalize_name(extra))), ranges)
                         for extra in sorted(one.extras))
        return edges

    # Pages and versions -------------------------------------------------------------------

    def _page_future(self, name: str) -> concurrent.futures.Future[dict[str, ProjectFiles]]:
        """The one request for the project's page (called from both threads: one lock, so
        that a page is never requested twice and every caller waits on the same future)."""
        with self._pages_lock:
            future = self._pages.get(name)
            if future is None:
                future = self._pages[name] = self.registry.start_projects(
                    [name], pins=self.index_pins)
            return future

    def _project(self, name: str) -> ProjectFiles | Unavailable:
        """The project's files; offline and not cached is an answer the report cites, while
        other failures (the index down, access refused) end the command with their error, as
        in uv."""
        from puv.errors import OfflineError

        try:
            return self._page_future(name).result()[name]
        except OfflineError as exc:
            return Unavailable(UnavailableKind.NOT_CACHED, str(exc).splitlines()[0])

    def known_versions(self, package: Package) -> Sequence[Version] | None:
        name = package.distribution
        if name is None:
            return [self.python] if package.is_python else None
        if name in self._direct or name in self._groups:
            metadata = self._direct_metadata.get(name)
            return [metadata.version] if metadata is not None and not isinstance(
                metadata, Unavailable) else None
        future = self._pages.get(name)
        if future is None or not future.done() or future.exception() is not None:
            return None
        files = future.result()[name]
        return sorted(files.versions) if files else None

    def prioritize(self, package: Package, allowed: Ranges) -> int:
        name = package.distribution
        return 1 if name is not None and name in self._direct else 0

    def _order(self, name: str, versions: Iterable[Version]) -> list[Version]:
        lowest = self.options.resolution == "lowest" or (
            self.options.resolution == "lowest-direct" and name in self.direct_names)
        return sorted(versions, reverse=not lowest)

    def choose_version(self, package: Package, allowed: Ranges
                       ) -> Version | Unavailable | None:
        if package.is_python:
            python = self.python
            return python if allowed.contains(python) else None
        name = package.distribution
        assert name is not None
        if name in self._direct or package.kind is PackageKind.GROUP:
            metadata = self._direct_info(name)
            if isinstance(metadata, Unavailable):
                return metadata
            return metadata.version if allowed.contains(metadata.version) else None
        files = self._project(name)
        if isinstance(files, Unavailable):
            return files
        if not files:
            return Unavailable(UnavailableKind.NOT_FOUND)
        version = self._policy(name, files, allowed)
        return None if version is None else self._pick(name, version)

    def _policy(self, name: str, files: ProjectFiles, allowed: Ranges) -> Version | None:
        """The version the policy picks for `name` among `allowed` (see the module docstring).
        Pure: the network thread calls it too, to guess what to fetch ahead. (Pre-releases it
        passes over are the report's to mention: it sees every listed version.)"""
        in_range = [v for v in files.versions if allowed.contains(v)]
        if not in_range:
            return None
        preferred = self.options.preferences.get(name)
        if preferred is not None and not self._upgrading(name) and preferred in in_range:
            return preferred
        stable = [v for v in in_range if not v.is_prerelease]
        pre = [v for v in in_range if v.is_prerelease]
        mode = self.options.prerelease
        explicit = name in self._explicit_pre
        if mode == "allow":
            ordered = self._order(name, in_range)
        elif stable:
            ordered = self._order(name, stable)
            if mode == "explicit" or (mode == "if-necessary-or-explicit" and explicit):
                ordered += self._order(name, pre)
        elif pre and (mode != "disallow" and (mode != "explicit" or explicit)):
            ordered = self._order(name, pre)
        else:
            return None
        preferred = self._fork_preference(name, set(ordered))
        if preferred is not None:
            return preferred
        # Versions whose every file is yanked go last: usable only when pinned exactly. (The
        # first usable one ends the search: each look at a version decodes its files.)
        for version in ordered:
            if (name, version) in self._pinned or not self._all_yanked(files, version):
                return version
        return ordered[0]

    def _fork_preference(self, name: str, usable: set[Version]) -> Version | None:
        """uv's choice among the versions earlier forks took: those chosen where this fork's
        environments are first, then the highest (lowest with `--resolution lowest`), the
        first that is in range and allowed."""
        chosen = self.fork_preferences.get(name)
        if not chosen:
            return None
        fork = self.fork.marker if self.fork is not None else None
        ranked = sorted(chosen, key=lambda entry: entry[0],
                        reverse=self.options.resolution != "lowest")
        ranked.sort(key=lambda entry: fork is None or not entry[1].is_disjoint(fork),
                    reverse=True)
        return next((version for version, _where in ranked if version in usable), None)

    def _pick(self, name: str, version: Version) -> Version:
        self._prefetch_metadata(name, version)
        return version

    def _upgrading(self, name: str) -> bool:
        return self.options.upgrade or name in self.options.upgrade_packages

    @staticmethod
    def _all_yanked(files: ProjectFiles, version: Version) -> bool:
        candidates = files.files(version)
        return bool(candidates) and all(c.file.is_yanked for c in candidates)

    # Files --------------------------------------------------------------------------------

    def _choose_file(self, name: str, version: Version, files: ProjectFiles | None = None
                     ) -> _Chosen | Unavailable:
        """The file to install (best wheel for the target, else the sdist), or why none.
        The network thread passes the project's `files`: it must never wait on a page."""
        key = (name, version)
        known = self._chosen.get(key)
        if known is not None:
            return known
        if files is None:
            found = self._project(name)
            if isinstance(found, Unavailable):
                return found
            files = found
        candidates = files.files(version)
        every = tuple(candidates)
        # A package's own cut-off (`None`: none at all) wins over the global one.
        limit = self.options.exclude_newer_package.get(name, self.options.exclude_newer)
        if limit is not None:
            candidates = [c for c in candidates
                          if (upload_timestamp(c.file.upload_time) or 0.0) <= limit]
            if not candidates:
                return Unavailable(UnavailableKind.EXCLUDED_NEWER)
        if not candidates:
            return Unavailable(UnavailableKind.NO_DISTRIBUTIONS)
        if all(c.file.is_yanked for c in candidates) and key not in self._pinned:
            return Unavailable(UnavailableKind.YANKED, candidates[0].file.yanked or "")
        no_binary = self.options.no_binary.applies(name)
        only_binary = self.options.only_binary.applies(name)
        no_build = self.options.no_build.applies(name)
        wheels = [c for c in candidates if c.is_wheel]
        sdists = [c for c in candidates if not c.is_wheel]
        tags = self.environment.tags
        best: Candidate | None = None
        if not no_binary:
            ranked = []
            for candidate in wheels:
                rank = 0 if tags is None else tags.priority(
                    wheel_tag_string(candidate.file.filename))
                if rank is not None:
                    ranked.append((rank, candidate.file.filename, candidate))
            if ranked:
                best = min(ranked, key=lambda item: (item[0], item[1]))[2]
        if best is None and sdists and not only_binary and not no_build:
            best = sdists[0]
        if best is None:
            if no_binary and not sdists:
                option = "--no-binary" if self.options.no_binary.every \
                    else f"--no-binary-package {name}"
                return Unavailable(UnavailableKind.NO_SOURCE_DISTRIBUTION, hints=(
                    f"A source distribution is required for `{name}` because using pre-built "
                    f"wheels is disabled for `{name}` (i.e., with `{option}`)",))
            if (no_build or only_binary) and sdists and not wheels:
                option = "--no-build" if self.options.no_build.every \
                    else f"--no-build-package {name}"
                return Unavailable(UnavailableKind.NO_USABLE_WHEELS, hints=(
                    f"Wheels are required for `{name}` because building from source is "
                    f"disabled for `{name}` (i.e., with `{option}`)",))
            if wheels and tags is not None:
                return tag_mismatch(name, version, wheels, tags)
            return Unavailable(UnavailableKind.NO_USABLE_WHEELS if no_build
                               else UnavailableKind.NO_DISTRIBUTIONS)
        # `setdefault`: the network thread may have chosen it meanwhile (`_warm`).
        return self._chosen.setdefault(key, _Chosen(best, every))

    def _requires_python(self, chosen: _Chosen) -> Ranges | None:
        """The file-level `Requires-Python` floor the target does not meet, if any."""
        candidate = chosen.candidate
        text = candidate.file.requires_python if candidate is not None else None
        if not text:
            return None
        try:
            ranges = python_floor(text)
        except ValueError:
            return None  # unreadable: ignored, as pip and uv do
        return None if ranges.contains(self.python) else ranges

    # Metadata -----------------------------------------------------------------------------

    @staticmethod
    def _metadata_source(chosen: _Chosen) -> Candidate | None:
        """The file whose metadata stands for the version: the chosen wheel; for an sdist,
        any wheel of the same version (every file of a release declares the same
        dependencies, so, as uv does, a wheel for another platform spares a build)."""
        candidate = chosen.candidate
        if candidate is None or candidate.is_wheel:
            return candidate
        return next((c for c in chosen.files if c.is_wheel), None)

    def _prefetch_metadata(self, name: str, version: Version) -> None:
        """Start fetching the metadata of a registry wheel we are likely to need."""
        key = (name, version)
        if key in self._metadata_futures or name in self._direct:
            return
        chosen = self._choose_file(name, version)
        if isinstance(chosen, Unavailable):
            return
        candidate = self._metadata_source(chosen)
        if candidate is None:
            return
        cached = self.registry.cached_metadata(candidate)
        if cached is not None:
            chosen.metadata = cached
            return
        future = self._claim(key)
        if future is not None:
            self.registry.loop.submit(self._fill(future, candidate))

    def _claim(self, key: tuple[str, Version]) -> concurrent.futures.Future[Any] | None:
        """A new future for the metadata of `key`, or `None` when a fetch is already under
        way (the solver's thread and the network thread both start fetches)."""
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        return future if self._metadata_futures.setdefault(key, future) is future else None

    async def _fill(self, future: concurrent.futures.Future[Any], candidate: Candidate) -> None:
        try:
            future.set_result(await self.registry.metadata(candidate))
        except BaseException as exc:
            future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise

    def _metadata(self, name: str, version: Version, chosen: _Chosen
                  ) -> CoreMetadata | Unavailable:
        if chosen.metadata is not None:
            return chosen.metadata
        candidate = chosen.candidate
        assert candidate is not None
        declared = self._declared(name, version)
        if declared is not None:
            chosen.metadata = declared
            return declared
        result: Any
        try:
            if self._metadata_source(chosen) is not None:
                self._prefetch_metadata(name, version)
                if chosen.metadata is not None:
                    return chosen.metadata
                result = self._metadata_futures[(name, version)].result()
            else:
                result = self._sdist_metadata(candidate)
        except MetadataError as exc:
            # Unreadable metadata makes this version unusable (the report says so); a failed
            # build or download ends the command with its own error, as in uv.
            return Unavailable(UnavailableKind.INVALID_METADATA, str(exc).splitlines()[0])
        if isinstance(result, Unavailable):
            return result
        from puv.index.registry import NeedsBuild

        if isinstance(result, NeedsBuild):
            result = self._sdist_metadata(candidate)
            if isinstance(result, Unavailable):
                return result
        assert not isinstance(result, Unavailable)
        chosen.metadata = result
        return chosen.metadata

    def _declared(self, name: str, version: Version) -> CoreMetadata | None:
        for entry in self.options.dependency_metadata:
            if entry.name == name and (entry.version is None or entry.version == version):
                return entry.metadata(version)
        return None

    def _sdist_metadata(self, candidate: Candidate) -> CoreMetadata | Unavailable:
        if self.distributions is None:
            return Unavailable(UnavailableKind.NO_USABLE_WHEELS)
        from puv.distribution import BuildDisabled, registry_sdist

        dist = registry_sdist(candidate)
        found = self.distributions.metadata(dist)
        if isinstance(found, BuildDisabled):
            return Unavailable(UnavailableKind.NO_USABLE_WHEELS)
        return found.metadata

    def _direct_info(self, name: str) -> CoreMetadata | Unavailable:
        known = self._direct_metadata.get(name)
        if known is not None:
            return known
        dist = self._direct[name]
        result: CoreMetadata | Unavailable
        if self.distributions is None:
            result = Unavailable(UnavailableKind.NO_USABLE_WHEELS)
        else:
            from puv.distribution import BuildDisabled

            found = self.distributions.metadata(dist)
            if isinstance(found, BuildDisabled):
                result = Unavailable(UnavailableKind.NO_USABLE_WHEELS)
            else:
                result = found.metadata
                self._direct[name] = found.dist  # a git dist with its commit
        self._direct_metadata[name] = result
        return result

    # Dependencies -------------------------------------------------------------------------

    def get_dependencies(self, package: Package, version: Version
                         ) -> Dependencies | Unavailable:
        applying = self.requirements_of(package, version)
        if not isinstance(applying, list):
            return applying
        if self.fork is not None:
            self._check_fork(applying, package.extra or None)
        edges = self._requirement_edges(applying)
        if package.is_root and self._root_groups and isinstance(edges, Dependencies):
            groups = tuple((Package.with_group(name, group), Ranges.full())
                           for name, group in self._root_groups
                           if self._group_applies(name, group))
            return Dependencies((*edges.requirements, *groups))
        return edges

    def requirements_of(self, package: Package, version: Version
                        ) -> list[Requirement] | Dependencies | Unavailable:
        """The requirements of `package` at `version` that apply in the environment (or fork),
        or what stands in for them: a `Dependencies` on `Python` when its Requires-Python
        excludes the target, an `Unavailable` when its metadata cannot be had. Requirements
        on `exclude-dependencies` names are left out."""
        found = self._requirements_of(package, version)
        excludes = self.options.excludes
        if excludes and isinstance(found, list):
            return [req for req in found if canonicalize_name(req.name) not in excludes]
        return found

    def _requirements_of(self, package: Package, version: Version
                         ) -> list[Requirement] | Dependencies | Unavailable:
        if package.is_root:
            return [item.requirement for item in self.requirements
                    if self._applies(item.requirement, "")]
        if package.is_python:
            return Dependencies()
        name = package.distribution
        assert name is not None
        if package.kind is PackageKind.GROUP:
            return [req for req in self._groups.get(name, {}).get(package.group, ())
                    if self._applies(req, "")]
        if name in self._direct or name in self._groups:
            metadata = self._direct_info(name)
        else:
            chosen = self._choose_file(name, version)
            if isinstance(chosen, Unavailable):
                return chosen
            floor = self._requires_python(chosen)
            if floor is not None:
                self._python_split(floor)
                return Dependencies(((self.python_package, floor),))
            missing = self._required_platforms(chosen)
            if missing is not None:
                return missing
            metadata = self._metadata(name, version, chosen)
        if isinstance(metadata, Unavailable):
            return metadata
        if metadata.requires_python is not None:
            floor = python_floor(metadata.requires_python)
            if not floor.contains(self.python):
                self._python_split(floor)
                return Dependencies(((self.python_package, floor),))
        if self.options.no_deps:
            return []
        extra = package.extra
        if extra:  # the extra's own requirements (the solver adds the base at `version`)
            return [req for req in metadata.requires_dist if self._extra_applies(req, extra)]
        return [req for req in metadata.requires_dist if self._applies(req, "")]

    def _required_platforms(self, chosen: _Chosen) -> Unavailable | None:
        """In universal resolution with `required-environments`: a version with no sdist and
        no wheel for a required environment the fork includes splits the fork where its
        wheels install (uv's wheel-coverage fork), or, where none do, cannot be used
        ("has no Linux-compatible wheels")."""
        if self.fork is None or not self.required_environments:
            return None
        if any(not c.is_wheel for c in chosen.files):
            return None
        from puv.core.marker_algebra import FALSE
        from puv.core.tags import wheel_platform_marker

        covered = FALSE
        for candidate in chosen.files:
            covered = covered | wheel_platform_marker(candidate.file.filename, coarse=True)
        fork = self.fork.marker
        for required in self.required_environments:
            needed = fork & required
            if needed.is_false() or not (needed & covered).is_false():
                continue
            inside = fork & covered
            if not inside.is_false():
                from puv.resolver.universal import ForkRequired

                raise ForkRequired([inside, fork & ~covered])
            return Unavailable(UnavailableKind.MISSING_PLATFORM_WHEELS,
                               _platform_name(required))
        return None

    # For the universal orchestrator (`universal.py`) ---------------------------------------

    def add_direct(self, name: str, dist: Dist) -> None:
        """Take `name` from `dist` (a `[tool.uv.sources]` place) rather than an index."""
        self._direct.setdefault(name, dist)
        if getattr(dist, "editable", False):
            self._editable.add(name)

    def direct_dist(self, name: str) -> Dist | None:
        """Where `name` comes from when it is not taken from an index (a workspace member's
        directory, a `[tool.uv.sources]` place), else `None`."""
        return self._direct.get(canonicalize_name(name))

    def effective(self, req: Requirement) -> list[Requirement]:
        """`req`, or the overrides that replace it."""
        return self._overrides.get(canonicalize_name(req.name)) or [req]

    @property
    def projects(self) -> frozenset[str]:
        """The workspace members' names."""
        return frozenset(self._groups)

    def known_metadata(self) -> dict[str, CoreMetadata]:
        """The metadata read for direct references and members, by name."""
        return {name: found for name, found in self._direct_metadata.items()
                if not isinstance(found, Unavailable)}

    def _python_split(self, floor: Ranges) -> None:
        """In universal resolution (uv's `requires-python` fork strategy), a version whose
        Requires-Python excludes only the lower Pythons of the fork splits it there: the
        version is used above the bound, and the rest of the fork resolves without it."""
        if self.fork is None or not self.fork_on_requires_python:
            return
        from puv.core.marker_algebra import MarkerTree

        above = MarkerTree.from_python_ranges(floor)
        upper = self.fork.marker & above
        lower = self.fork.marker & ~above
        if not upper.is_false() and not lower.is_false():
            from puv.resolver.universal import ForkRequired

            raise ForkRequired([lower, upper])

    def _check_fork(self, requirements: Sequence[Requirement], extra: str | None) -> None:
        """Raise `ForkRequired` when `requirements` differ by markers within the fork (uv's
        rule: a package named by several requirements with different markers splits the fork
        along each marker; so does one requirement whose marker raises the lowest Python)."""
        from puv.resolver.universal import split_fork

        assert self.fork is not None
        by_name: dict[str, list[MarkerTree]] = {}
        for req in requirements:
            by_name.setdefault(canonicalize_name(req.name), []).append(
                self.fork_marker(req, extra))
        split_fork(self.fork, by_name)

    def _requirement_edges(self, requirements: Iterable[Requirement]
                           ) -> Dependencies | Unavailable:
        """The solver's dependencies for `requirements`; one that allows no version at all
        makes the version declaring it unusable, cited as uv cites it."""
        from puv.resolver.pubgrub.requirements import unsatisfiable

        edges: list[tuple[Package, Ranges]] = []
        for req in requirements:
            problem = unsatisfiable(req)
            if problem is not None:
                return problem
            edges.extend(self._edges(req))
        return Dependencies(tuple(edges))

    # Prefetching --------------------------------------------------------------------------

    def prefetch(self, pending: Sequence[tuple[Package, Ranges]]) -> None:
        """Start, in the background, the index page of each pending package and the metadata
        of the version the policy would pick in its current range (`_warm`)."""
        for package, allowed in pending:
            name = package.distribution
            if name is None or name in self._direct:
                continue
            key = (name, allowed)
            if key in self._warming:
                continue
            self._warming.add(key)
            page = self._page_future(name)
            self.registry.loop.submit(self._warm(name, allowed, page))

    async def _warm(self, name: str, allowed: Ranges,
                    page: concurrent.futures.Future[dict[str, ProjectFiles]]) -> None:
        """On the network thread: once the page is in, fetch the metadata the solver will most
        likely ask for next, so that `get_dependencies` finds it ready. A guess: a wrong one
        costs a request, never a wrong answer (results are keyed by the version)."""
        import asyncio

        try:
            files = (await asyncio.wrap_future(page))[name]
            if not files:
                return
            version = self._policy(name, files, allowed)
            if version is None:
                return
            key = (name, version)
            chosen = self._choose_file(name, version, files)
            if key in self._metadata_futures or isinstance(chosen, Unavailable) \
                    or chosen.metadata is not None:
                return
            candidate = self._metadata_source(chosen)
            if candidate is None or self._declared(name, version) is not None:
                return
            future = self._claim(key)
            if future is not None:
                await self._fill(future, candidate)
                self._warm_dependencies(future.result())
        except Exception:
            return  # the solver will ask again, and meet the error itself

    def _warm_dependencies(self, metadata: object) -> None:
        """On the network thread, with fresh metadata: warm its dependencies in turn, without
        waiting for the solver to reach them (their pages and likely metadata are then in
        flight one round trip earlier at each level of the graph)."""
        from puv.core.metadata import CoreMetadata

        if not isinstance(metadata, CoreMetadata) or self.options.no_deps:
            return
        pending = []
        for req in metadata.requires_dist:
            if req.url or not self._applies(req, ""):
                continue
            name = canonicalize_name(req.name)
            if name in self._direct or name in self._overrides:
                continue
            pending.append((Package.named(name), self._constrained(name, req)))
        self.prefetch(pending)

    def start(self) -> None:
        """Request the pages of every root requirement at once."""
        names = [canonicalize_name(r.requirement.name) for r in self.requirements
                 if r.dist is None and self._applies(r.requirement, "")]
        with self._pages_lock:
            missing = [n for n in dict.fromkeys(names) if n not in self._pages]
            if missing:
                future = self.registry.start_projects(missing, pins=self.index_pins)
                for name in missing:
                    self._pages[name] = future
        self.prefetch([(edge_package, ranges) for item in self.requirements
                       if item.dist is None and self._applies(item.requirement, "")
                       for edge_package, ranges in self._edges(item.requirement)
                       if not edge_package.extra])

    # Results ------------------------------------------------------------------------------

    def resolved(self, solution: Solution) -> Resolution:
        """The solver's solution as a `Resolution` (see `resolution.py`)."""
        extras: dict[str, set[str]] = {}
        versions: dict[str, Version] = {}
        for package, version in solution.versions.items():
            name = package.distribution
            if name is None:
                continue
            versions[name] = version
            if package.extra:
                extras.setdefault(name, set()).add(package.extra)
        via: dict[str, list[str]] = {name: [] for name in versions}
        for item in self.requirements:
            name = canonicalize_name(item.requirement.name)
            if name in via and self._applies(item.requirement, "") \
                    and item.source not in via[name]:
                via[name].append(item.source)
        for package, requirements in sorted(solution.dependencies.items()):
            source = package.distribution
            if source is None:
                continue
            for dependency, _ranges in requirements:
                target = dependency.distribution
                if target is not None and target in via and target != source \
                        and source not in via[target]:
                    via[target].append(source)
        packages: dict[str, ResolvedDist] = {}
        for name in sorted(versions):
            version = versions[name]
            dist = self._direct.get(name)
            chosen = self._chosen.get((name, version)) if dist is None else None
            packages[name] = ResolvedDist(
                name=name, version=version,
                candidate=chosen.candidate if chosen is not None else None,
                files=chosen.files if chosen is not None else (), dist=dist,
                extras=frozenset(extras.get(name, ())), requested_by=tuple(via[name]),
                editable=name in self._editable, direct=name in self.direct_names)
        return Resolution(packages)


    def resolve(self) -> Resolution:
        """`resolution.resolve`: the solver run with this provider."""
        from puv.resolver.pubgrub.report import PythonSource, ReportContext
        from puv.resolver.pubgrub.solver import solve

        self.start()
        environment = self.environment
        options = self.options
        targeted = environment.installed_python is not None
        context = ReportContext(
            # uv resolves for `--python-version X` as for `requires-python = ">=X"`
            python=(f">={short_version(environment.python)}" if targeted
                    else str(environment.python)),
            python_source=PythonSource.PYTHON_VERSION if targeted else PythonSource.INTERPRETER,
            prereleases_disallowed=lambda name: options.prerelease == "disallow")
        return self.resolved(solve(self, self.root, context=context))


def _platform_name(marker: MarkerTree) -> str:
    """How uv names the platform of a required environment: "Linux", "macOS", "Windows"."""
    text = str(marker)
    for key, name in (("'linux'", "Linux"), ("'darwin'", "macOS"), ("'win32'", "Windows")):
        if f"sys_platform == {key}" in text:
            return name
    return f"`{text}`"
