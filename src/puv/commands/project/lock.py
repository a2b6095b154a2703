"""`puv lock` and the lock step of `sync`, `add`, `remove` and `run`.

workspace (`workspace.project`) -> is the existing `uv.lock` up to date? (`lock.build.is_current`:
the members' declared metadata, `requires-python` and options as recorded) -> if not, a
universal resolution (`resolver.universal`) with the existing lock's versions as preferences
-> `lock.build.build_lock` -> `lock.writer.write_lock` -> `uv.lock`, replaced atomically, and
only when its text changes.

Modes (`LockMode`): `WRITE` (the default), `LOCKED` (`--locked`, `--check`: fail when the lock
would change, never write), `FROZEN` (`--frozen`: use the file as it is), `DRY_RUN`
(`--dry-run`: resolve and report, never write).
"""

from __future__ import annotations

import enum
import os
import time
from dataclasses import dataclass

from puv.errors import PuvError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from packaging.version import Version

    from puv.cache import Cache
    from puv.core.marker_algebra import MarkerTree
    from puv.distribution.dists import Dist
    from puv.lock.model import Lock
    from puv.python.interpreter import Interpreter
    from puv.resolver.universal import ProjectInput
    from puv.settings import Settings
    from puv.types import Console
    from puv.workspace.project import ConflictItem, Member, Workspace

__all__ = ["LockMode", "LockOutcome", "LockStale", "lock_interpreter", "lock_project",
           "missing_lock", "read_existing_lock"]


class LockMode(enum.Enum):
    WRITE = "write"
    LOCKED = "locked"
    FROZEN = "frozen"
    DRY_RUN = "dry-run"


class LockStale(PuvError):
    """`--locked` with a lock that would change."""


@dataclass(frozen=True)
class LockOutcome:
    """The lock in force after the step, and whether the file changed (or would have)."""

    lock: Lock
    changed: bool


def missing_lock(source: str) -> PuvError:
    """uv's error when `--frozen` or `--locked` (`source`, as the user gave it) finds no
    lock file."""
    return PuvError(f"Unable to find lockfile at `uv.lock`, but {source} was provided. To "
                    "create a lockfile, run `puv lock` or `puv sync` without the flag.")


def read_existing_lock(workspace: Workspace) -> Lock | None:
    """The workspace's `uv.lock`, parsed; `None` when there is none."""
    return _read_lock(workspace)[0]


def _read_lock(workspace: Workspace) -> tuple[Lock | None, str | None]:
    """The workspace's `uv.lock`, parsed, and its text (`None`, `None` when there is
    none)."""
    from puv.lock.reader import LockError, check_markers, read_lock

    try:
        with open(workspace.lock_path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return None, None
    except UnicodeDecodeError:
        raise LockError("Failed to parse `uv.lock`: the file is not UTF-8 text") from None
    lock = read_lock(text)
    check_markers(lock)
    return lock, text


def lock_interpreter(workspace: Workspace, settings: Settings, cache: Cache) -> Interpreter:
    """The interpreter a project uses: `--python` / `UV_PYTHON`, else the nearest
    `.python-version` (up to the workspace root), else one satisfying `requires-python`, else
    any."""
    from puv.cache import Bucket
    from puv.python.discovery import find_python
    from puv.python.request import parse_request
    from puv.python.version_file import find_version_file

    request = settings.python
    if request is None:
        found = find_version_file(workspace.current.root if workspace.current else
                                  workspace.root)
        if found is not None and found.first:
            request = found.first
    if request is None and workspace.requires_python:
        request = workspace.requires_python
    return find_python(parse_request(request), cache_dir=cache.bucket(Bucket.INTERPRETER),
                       project_dir=workspace.root, preference=settings.python_preference)


def lock_project(workspace: Workspace, settings: Settings, cache: Cache, console: Console, *,
                 mode: LockMode = LockMode.WRITE,
                 interpreter: Interpreter | None = None,
                 report_changes: bool = False) -> LockOutcome:
    """Bring `uv.lock` up to date for `workspace` (see the module docstring).
    `report_changes`: print uv's `Added`/`Updated`/`Removed` lines (`puv lock` does; the
    commands that lock on the way, like `sync`, do not)."""
    if settings.no_sources:
        workspace = _without_sources(workspace)
    from puv.commands.pip.requirements import elapsed, packages_text

    started = time.perf_counter()
    existing, old_text = _read_lock(workspace)
    if mode is LockMode.FROZEN:
        if existing is None:
            raise PuvError("Unable to find lockfile at `uv.lock`. To create a lockfile, run "
                           "`puv lock` or `puv sync`.")
        return LockOutcome(existing, changed=False)
    # The interpreter is needed to default `requires-python` and to build; a lock that is
    # current needs neither.
    if interpreter is None and not workspace.requires_python:
        interpreter = lock_interpreter(workspace, settings, cache)
    requires_python = _requires_python(workspace, interpreter, console)
    upgrading = settings.upgrade or bool(settings.upgrade_package)
    if existing is not None and not upgrading and _is_current(existing, workspace,
                                                             requires_python, settings):
        console.status(f"Resolved {packages_text(len(existing.packages))} in "
                       f"{elapsed(time.perf_counter() - started)}")
        return LockOutcome(existing, changed=False)
    if interpreter is None:
        interpreter = lock_interpreter(workspace, settings, cache)
    lock = _resolve(workspace, settings, cache, console, interpreter, requires_python,
                    existing)
    from puv.lock.writer import write_lock

    text = write_lock(lock)
    count = len(lock.packages)
    console.status(f"Resolved {packages_text(count) + ' ' if count else ''}in "
                   f"{elapsed(time.perf_counter() - started)}")
    changed = old_text != text
    if report_changes:
        for line in _changes(existing, lock, dry_run=mode is LockMode.DRY_RUN):
            console.status(line)
    if changed and mode is LockMode.LOCKED:
        raise LockStale("The lockfile at `uv.lock` needs to be updated, but `--locked` was "
                        "provided.", hint="To update the lockfile, run `puv lock`.")
    if changed and mode is LockMode.WRITE:
        from puv.fs import write_atomic

        write_atomic(workspace.lock_path, text.encode())
    return LockOutcome(lock, changed)


def _without_sources(workspace: Workspace) -> Workspace:
    """The workspace as `--no-sources` sees it: every `[tool.uv.sources]` table empty."""
    from dataclasses import replace

    members = tuple(replace(member, sources={}) for member in workspace.members)
    current = next((m for m in members if workspace.current is not None
                    and m.root == workspace.current.root), None)
    return replace(workspace, members=members, current=current)


def _requires_python(workspace: Workspace, interpreter: Interpreter | None,
                     console: Console) -> str:
    declared = workspace.requires_python
    if declared:
        return _normalized_specifier(declared)
    assert interpreter is not None
    version = interpreter.version
    default = f">={version.major}.{version.minor}"
    console.warning(f"No `requires-python` value found in the workspace. Defaulting to "
                    f"`{default}`.")
    return default


def _normalized_specifier(text: str) -> str:
    """A `requires-python` as uv writes it in the lock: the specifiers as written, `, `
    joined, when there is one member's; an intersection of several as its bounds."""
    from packaging.specifiers import SpecifierSet

    specifiers = list(SpecifierSet(text))
    lowers = [s for s in specifiers if s.operator in (">=", ">")]
    if len(lowers) > 1:
        from packaging.version import Version

        highest = max(lowers, key=lambda s: Version(s.version))
        specifiers = [s for s in specifiers if s not in lowers or s is highest]
    parts = sorted(specifiers, key=lambda s: (s.operator not in (">=", ">"), s.version))
    return ", ".join(str(p) for p in parts)


def _is_current(lock: Lock, workspace: Workspace, requires_python: str,
                settings: Settings) -> bool:
    """Whether `lock` records exactly what the workspace declares now (uv's check): its
    `requires-python`, and each member's version, source kind and metadata."""
    from puv.lock.build import member_package_stub

    if lock.requires_python != requires_python:
        return False
    for member in workspace.members:
        recorded = [p for p in lock.packages if p.name == member.name]
        expected = member_package_stub(member, workspace.root,
                                       {m.name: m for m in workspace.members},
                                       index_urls(settings))
        if len(recorded) != 1:
            return False
        package = recorded[0]
        if (package.source, package.version, package.metadata) != (
                expected.source, expected.version, expected.metadata):
            return False
    from puv.lock.build import lock_manifest, lock_options

    return lock.manifest == lock_manifest(workspace, settings) and \
        lock.options == lock_options(settings)


def _lowered(member: Member, workspace: Workspace) -> dict[str, Dist]:
    """`[tool.uv.sources]` entries of a member that name a place (a path, a git repository,
    a URL, a workspace member) as distributions, by package name. (Index sources, and entries
    scoped by `marker`, `extra` or `group`, are not lowered here.)"""
    from packaging.utils import canonicalize_name

    from puv.distribution.dists import DirectoryDist, GitDist, UrlDist, file_url

    lowered: dict[str, Dist] = {}
    for name, entries in member.sources.items():
        entry = next((e for e in entries if e.marker is None and e.extra is None
                      and e.group is None), None)
        if entry is None:
            continue
        canonical = canonicalize_name(name)
        if entry.kind == "path":
            path = os.path.normpath(os.path.join(member.root, entry.location))
            if os.path.isdir(path):
                lowered[name] = DirectoryDist(path=path, name=canonical,
                                              editable=bool(entry.options.get("editable")))
            else:
                lowered[name] = UrlDist(url=file_url(path), name=canonical)
        elif entry.kind == "git":
            reference = next((k for k in ("rev", "tag", "branch") if k in entry.options),
                             "rev")
            rev = entry.options.get(reference)
            subdirectory = entry.options.get("subdirectory")
            lowered[name] = GitDist(repository=entry.location, rev=str(rev) if rev else None,
                                    reference=reference, name=canonical,
                                    subdirectory=str(subdirectory) if subdirectory else None)
        elif entry.kind == "url":
            subdirectory = entry.options.get("subdirectory")
            lowered[name] = UrlDist(url=entry.location, name=canonical,
                                    subdirectory=str(subdirectory) if subdirectory else None)
        elif entry.kind == "workspace":
            target = workspace.member(name)
            if target is None:
                raise PuvError(f"`{name}` is marked `workspace = true` in `{member.path}`, but "
                               "it is not a workspace member",
                               hint="add it to `tool.uv.workspace.members`, or remove the "
                               "source")
            lowered[name] = DirectoryDist(path=target.root, name=canonical,
                                          editable=bool(entry.options.get("editable", True)))
    for other in workspace.members:  # members depend on each other as sources, always
        if other.name not in lowered and other.name != member.name:
            lowered[other.name] = DirectoryDist(path=other.root, name=canonicalize_name(
                other.name), editable=other.is_package)
    return lowered


def _project_input(member: Member) -> ProjectInput:
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    from puv.core.metadata import CoreMetadata
    from puv.resolver.universal import ProjectInput
    from puv.workspace.project import lower_index_sources

    def flattened(extra: str, seen: frozenset[str]) -> list[tuple[Requirement, str]]:
        """An extra's requirements with the project's own extras it requires inlined (as
        uv flattens `self = ["project[more]"]`), each with the extra that declares it."""
        out: list[tuple[Requirement, str]] = []
        for item in member.optional_dependencies.get(extra, ()):
            if canonicalize_name(item.name) == member.name and item.extras and \
                    item.marker is None and item.url is None:
                for other in sorted(str(canonicalize_name(e)) for e in item.extras):
                    if other not in seen and other in member.optional_dependencies:
                        out += flattened(other, seen | {other})
                continue
            out.append((item, extra))
        return out

    requires = [lowered for req in member.dependencies
                for lowered, _index in lower_index_sources(member, req)]
    for extra in member.optional_dependencies:
        for req in (lowered for item, declared in flattened(extra, frozenset({extra}))
                    for lowered, _index in lower_index_sources(member, item,
                                                               extra=declared)):
            copy = Requirement(str(req))
            condition = f"extra == '{extra}'"
            copy.marker = Marker(f"({req.marker}) and {condition}" if req.marker
                                 else condition)
            requires.append(copy)
    from packaging.specifiers import SpecifierSet

    metadata = CoreMetadata(
        name=canonicalize_name(member.name),
        version=_member_version(member),
        requires_dist=tuple(requires),
        requires_python=SpecifierSet(member.requires_python) if member.requires_python
        else None,
        provides_extra=tuple(canonicalize_name(e) for e in member.optional_dependencies),
        metadata_version="2.3")
    groups = {group: tuple(lowered for item in items
                           for lowered, _index in lower_index_sources(member, item,
                                                                      group=group))
              for group, items in member.dependency_groups.items()}
    return ProjectInput(metadata=metadata, groups=groups)


def _member_version(member: Member) -> Version:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(member.version or "0")
    except InvalidVersion:
        raise PuvError(f"Invalid `project.version` in `{member.path}`: `{member.version}` is "
                       "not a PEP 440 version", hint='for example `version = "0.1.0"`'
                       ) from None


def _lock_preferences(lock: Lock | None, requires_python: str
                      ) -> dict[str, list[tuple[Version, MarkerTree]]]:
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion, Version

    from puv.core.ranges import Ranges

    if lock is None:
        return {}
    rp = Ranges.from_specifiers(SpecifierSet(lock.requires_python))
    found: dict[str, list[tuple[Version, MarkerTree]]] = {}
    for package in lock.packages:
        if package.version is None:
            continue
        try:
            version = Version(package.version)
        except InvalidVersion:
            continue
        found.setdefault(package.name, []).append((version, package.fork_marker(rp)))
    return found


def _resolve(workspace: Workspace, settings: Settings, cache: Cache, console: Console,
             interpreter: Interpreter, requires_python: str, existing: Lock | None) -> Lock:
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name

    from puv.commands.pip.compile import settings_resolver_options
    from puv.commands.pip.session import BuildSession
    from puv.core.marker_algebra import MarkerTree
    from puv.core.ranges import Ranges
    from puv.core.requirements_txt import RequirementsFile
    from puv.distribution.dists import DirectoryDist
    from puv.lock.build import build_lock, lock_manifest, lock_options
    from puv.resolver.resolution import ResolverEnvironment, RootRequirement
    from puv.resolver.universal import resolve_universal
    from puv.workspace.project import conflict_sets, conflict_variable

    _check_sources(workspace, index_urls(settings))
    conflicts = conflict_sets(workspace)
    conflicting = {item.variable for items in conflicts for item in items}
    projects = [_project_input(member) for member in workspace.members]
    roots: list[RootRequirement] = []
    for member, project in zip(workspace.members, projects, strict=True):
        dist = DirectoryDist(path=member.root, name=project.metadata.name,
                             editable=member.is_package)
        # A conflicting member, extra or group is required only in the forks where it may
        # be active.
        whole = conflict_variable(member.name)
        whole_condition = f"extra == '{whole}'" if whole in conflicting else ""
        roots.append(RootRequirement(
            Requirement(f"{member.name} ; {whole_condition}" if whole_condition
                        else member.name),
            source=member.name, dist=dist, editable=member.is_package))
        for extra in member.optional_dependencies:
            variable = conflict_variable(member.name, extra=extra)
            terms = [t for t in (whole_condition, f"extra == '{variable}'"
                                 if variable in conflicting else "") if t]
            condition = f" ; {' and '.join(terms)}" if terms else ""
            roots.append(RootRequirement(Requirement(f"{member.name}[{extra}]{condition}"),
                                         source=member.name, dist=dist,
                                         editable=member.is_package))
    for group, items in workspace.root_groups.items():  # a virtual root's groups
        roots.extend(RootRequirement(req, source=f"dependency-groups.{group}")
                     for req in items)
    roots.extend(RootRequirement(req, source=os.path.basename(workspace.script or ""))
                 for req in workspace.script_requirements)
    group_roots = [(member.name, group) for member in workspace.members
                   for group in member.dependency_groups]
    group_conditions = {
        (member.name, group): MarkerTree(f"extra == '{variable}'")
        for member in workspace.members for group in member.dependency_groups
        if (variable := conflict_variable(member.name, group=group)) in conflicting}
    direct: dict[str, Dist] = {}
    for member in workspace.members:
        for name, lowered in _lowered(member, workspace).items():
            direct.setdefault(str(canonicalize_name(name)), lowered)
    # The members' own requirements are the "direct" ones (`--resolution lowest-direct`).
    direct_names = {str(canonicalize_name(req.name)) for req in
                    workspace.script_requirements} | {
                    str(canonicalize_name(req.name)) for member in workspace.members
                    for req in (*member.dependencies,
                                *(r for reqs in member.optional_dependencies.values()
                                  for r in reqs),
                                *(r for reqs in member.dependency_groups.values()
                                  for r in reqs))}
    environments = _markers_setting(workspace, "environments")
    required = _markers_setting(workspace, "required-environments")
    # Every platform at once: no wheel tags, and `Python` is the requested range.
    from packaging.version import Version

    installed = Version(str(interpreter.version))
    environment = ResolverEnvironment(markers={}, python=installed, tags=None,
                                      installed_python=installed)
    upgrading = settings.upgrade
    preferences = {} if upgrading else _lock_preferences(existing, requires_python)
    for name in settings.upgrade_package:
        preferences.pop(str(canonicalize_name(Requirement(name).name)), None)
    options = settings_resolver_options(settings)
    rp = Ranges.from_specifiers(SpecifierSet(requires_python))
    with BuildSession(settings, cache, interpreter) as session:
        registry, dists = session.start(RequirementsFile(), options.no_build)
        resolution = resolve_universal(
            roots, registry=registry, distributions=dists, environment=environment,
            options=options, requires_python=rp, requires_python_text=requires_python,
            environments=environments, projects=projects,
            fork_strategy=settings.fork_strategy,
            lock_preferences=preferences, root_groups=group_roots, direct=direct,
            direct_names=direct_names, required_environments=required,
            index_sources=_index_sources(workspace),
            conflict_forks=_conflict_forks(conflicts), group_conditions=group_conditions)
    rp_ranges = Ranges.from_specifiers(SpecifierSet(requires_python))
    return build_lock(resolution, workspace, requires_python=requires_python,
                      options=lock_options(settings), index_urls=index_urls(settings),
                      manifest=lock_manifest(workspace, settings), conflicts=conflicts,
                      supported_markers=tuple(
                          m.simplify_python(rp_ranges).contents() or "" for m in environments),
                      required_markers=tuple(
                          m.simplify_python(rp_ranges).contents() or "" for m in required))


def _conflict_forks(conflicts: Sequence[Sequence[ConflictItem]]) -> list[MarkerTree]:
    """The parts `[tool.uv] conflicts` split the resolution into, in the order they are
    solved (which decides the versions later parts prefer). As uv forks: for each set (its
    items in uv's order), one part where none of its items is active, then one per item
    where it is and the others are not; several sets multiply; uv solves the last first."""
    from puv.core.marker_algebra import TRUE, MarkerTree

    parts = [TRUE]
    for items in conflicts:
        ordered = sorted(items, key=lambda item: (
            item.package, 0 if item.extra is not None else 1 if item.group is not None else 2,
            item.extra or item.group or ""))
        active = [MarkerTree(f"extra == '{item.variable}'") for item in ordered]
        split = [TRUE]
        for marker in active:
            split[0] = split[0] & ~marker
        for i, marker in enumerate(active):
            part = marker
            for j, other in enumerate(active):
                if j != i:
                    part = part & ~other
            split.append(part)
        parts = [p & q for p in parts for q in split if not (p & q).is_false()]
    return list(reversed(parts)) if len(parts) > 1 else []


def _check_sources(workspace: Workspace, indexes: Mapping[str, str]) -> None:
    """uv's checks of `[tool.uv.sources]` before resolving: an index a source names must be
    declared, and an extra or group a source is scoped to must exist."""
    for member in workspace.members:
        for name, entries in member.sources.items():
            for entry in entries:
                if entry.kind == "index" and entry.location not in indexes:
                    declared = ", ".join(f"`{n}`" for n in indexes)
                    raise PuvError(
                        f"Package `{name}` references an undeclared index: "
                        f"`{entry.location}` (in `tool.uv.sources` of `{member.path}`)",
                        hint=f"declare it with `[[tool.uv.index]]`, `name = "
                        f"\"{entry.location}\"` and its `url`"
                        + (f" (declared: {declared})" if declared else ""))
                if entry.extra is not None and \
                        entry.extra not in member.optional_dependencies:
                    raise PuvError(
                        f"Source entry for `{name}` only applies to extra `{entry.extra}`, but "
                        f"the `{entry.extra}` extra does not exist. When an extra is present on "
                        f"a source (e.g., `extra = \"{entry.extra}\"`), the relevant package "
                        "must be included in the `project.optional-dependencies` section for "
                        "that extra (e.g., `project.optional-dependencies = "
                        f"{{ \"{entry.extra}\" = [\"{name}\"] }}`).")
                if entry.group is not None and entry.group not in member.dependency_groups:
                    raise PuvError(
                        f"Source entry for `{name}` only applies to dependency group "
                        f"`{entry.group}`, but the `{entry.group}` group does not exist. When a "
                        f"group is present on a source (e.g., `group = \"{entry.group}\"`), the "
                        "relevant package must be included in the `dependency-groups` section "
                        f"for that group (e.g., `dependency-groups = {{ \"{entry.group}\" = "
                        f"[\"{name}\"] }}`).")


def index_urls(settings: Settings) -> dict[str, str]:
    """The configured indexes' URLs (as written) by name, for `index = "name"` sources."""
    return {str(entry["name"]): str(entry["url"]) for entry in settings.indexes
            if entry.get("name")}


def _index_sources(workspace: Workspace) -> dict[str, list[tuple[MarkerTree, str | None]]]:
    """The members' `{ index = ... }` sources, by package, as the resolver takes them."""
    from packaging.utils import canonicalize_name

    from puv.core.marker_algebra import MarkerTree
    from puv.workspace.project import index_sources

    found: dict[str, list[tuple[MarkerTree, str | None]]] = {}
    for member in workspace.members:
        for name, entries in index_sources(member).items():
            found.setdefault(str(canonicalize_name(name)), [
                (MarkerTree(marker) if marker else MarkerTree(), index)
                for marker, index in entries])
    return found


def _markers_setting(workspace: Workspace, key: str) -> list[MarkerTree]:
    """`tool.uv.environments` / `required-environments`: markers, each checked; an invalid
    one names the setting and the marker (with uv's hint for `platform.machine()`-style
    spellings)."""
    from packaging.markers import InvalidMarker

    from puv.core.marker_algebra import MarkerTree
    from puv.errors import SettingsError

    declared = workspace.tool_uv.get(key)
    if declared is None:
        return []
    if isinstance(declared, str):
        declared = [declared]
    if not isinstance(declared, list) or not all(isinstance(t, str) for t in declared):
        raise SettingsError(f"Invalid `tool.uv.{key}` in `{workspace.pyproject_path}`: "
                            "expected a list of marker strings")
    markers = []
    for text in declared:
        try:
            markers.append(MarkerTree(text))
        except InvalidMarker as exc:
            hint = None
            import re

            dotted = re.search(r"\b(platform|sys|os)\.(\w+)\(?\)?", text)
            if dotted is not None:
                name = {"machine": "platform_machine", "system": "platform_system",
                        "platform": "sys_platform", "name": "os_name",
                        "python_implementation": "platform_python_implementation",
                        "release": "platform_release", "version": "platform_version"}.get(
                    dotted.group(2), f"{dotted.group(1)}_{dotted.group(2)}")
                hint = (f"`{dotted.group(0)}` is Python code, not a marker variable: write "
                        f"`{name}` (for example `{name} == 'x86_64'`)")
            error = SettingsError(
                f"Invalid marker `{text}` in `tool.uv.{key}` of "
                f"`{workspace.pyproject_path}`: {str(exc).splitlines()[0]}", hint=hint)
            error.exit_code = 2  # uv's status for a `pyproject.toml` it cannot parse
            raise error from None
    return markers


def _changes(old: Lock | None, new: Lock, *, dry_run: bool) -> list[str]:
    """uv's lines for a lock that changes: `Added a v1.0`, `Updated a v1.0 -> v2.0`,
    `Removed a v1.0` (`Add`/`Update`/`Remove` in a dry run); none for a first lock."""
    if old is None:
        return []
    def versions(lock: Lock) -> Mapping[str, Sequence[str]]:
        out: dict[str, list[str]] = {}
        for package in lock.packages:
            out.setdefault(package.name, []).append(package.version or "")
        return out

    before, after = versions(old), versions(new)
    lines = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name, []), after.get(name, [])
        if a == b:
            continue
        if not a:
            verb = "Add" if dry_run else "Added"
            lines.append(f"{verb} {name} v{', v'.join(b)}")
        elif not b:
            verb = "Remove" if dry_run else "Removed"
            lines.append(f"{verb} {name} v{', v'.join(a)}")
        else:
            verb = "Update" if dry_run else "Updated"
            lines.append(f"{verb} {name} v{', v'.join(a)} -> v{', v'.join(b)}")
    return lines
