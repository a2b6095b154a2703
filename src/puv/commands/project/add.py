"""`puv add`: add requirements to the project's `pyproject.toml`, then lock and sync.

In uv 0.13.8's order:

1. discover the project (`--package` picks a member) and read the requirements (arguments and
   `-r` files), with `--marker`, `--extra` and a Git `--rev`/`--tag`/`--branch` applied; a
   path or URL without a name gets one from its metadata (a wheel's or sdist's file name, else
   the project's own, built when it must be);
2. a local directory inside the workspace becomes a member (`Added ... to workspace
   members`) unless `--no-workspace`;
3. edit `pyproject.toml` (`workspace.edit`): each requirement goes to its table (`--dev`:
   `dependency-groups.dev`, or the legacy `tool.uv.dev-dependencies` when that is where the
   project keeps them), written without its URL; where it comes from goes to
   `[tool.uv.sources]` (`source_entry`); `--index` tables are added, and a single named one
   pins every requirement added with it; `--raw` writes the requirements as given, with no
   source and no index;
4. `--frozen` stops here. Otherwise lock (`--locked`: the lock must not change), then give each
   *new* registry requirement without a specifier the locked version as its bound (`--bounds`,
   `>=` by default), lock again, and sync (not with `--no-sync`).

If locking or syncing fails, `pyproject.toml` and `uv.lock` are put back byte for byte, and a
failed resolution says how to add anyway (`--frozen`).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field

from puv.errors import PuvError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from puv.cache import Cache
    from puv.commands.project.environment import ProjectEnvironment
    from puv.core.requirements_txt import RequirementEntry
    from puv.lock.model import Lock
    from puv.python.interpreter import Interpreter
    from puv.settings import Settings
    from puv.types import Console
    from puv.workspace.edit import DependencyTarget, PyProjectEditor
    from puv.workspace.project import Member, Workspace

__all__ = [
    "AddError",
    "AddRequest",
    "IndexArgument",
    "NamedRequirement",
    "QuietConsole",
    "add",
    "lock_and_sync_after_edit",
    "source_entry",
    "sync_after_edit",
]


class AddError(PuvError):
    """A request uv refuses before it changes anything: uv ends these with status 2."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class IndexArgument:
    """An `--index [name=]url` or `--default-index` given on the command line."""

    url: str
    name: str | None = None
    default: bool = False

    @classmethod
    def parse(cls, text: str, *, default: bool = False) -> IndexArgument:
        name, eq, url = text.partition("=")
        if eq and name and "://" not in name and not name.startswith(("/", ".")):
            return cls(url=url, name=name, default=default)
        return cls(url=text, default=default)


@dataclass(frozen=True, slots=True, kw_only=True)
class AddRequest:
    """What `puv add` was asked to do (the command line, resolved)."""

    packages: tuple[str, ...] = ()
    requirement_files: tuple[str, ...] = ()
    dev: bool = False
    group: str | None = None
    optional: str | None = None
    editable: bool | None = None
    raw: bool = False
    bounds: str | None = None
    marker: str | None = None
    extras: tuple[str, ...] = ()
    rev: str | None = None
    tag: str | None = None
    branch: str | None = None
    indexes: tuple[IndexArgument, ...] = ()
    package: str | None = None
    workspace: bool | None = None
    frozen: bool = False
    locked: bool = False
    no_sync: bool = False
    python: str | None = None
    sync_options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NamedRequirement:
    """A requirement to add, with its name known: `specifiers` (text, as given) or the
    direct reference it points at (`url`: a URL, `file://` path or `git+` URL)."""

    name: str
    extras: tuple[str, ...]
    specifiers: str
    marker: str | None
    url: str | None = None
    editable: bool = False
    written: str | None = None  # the URL or path as the user wrote it
    named_url: bool = False  # given as `name @ url` (`--raw` keeps the URL as written)

    def text(self, *, with_url: bool) -> str:
        """The PEP 508 string (`name[extras]>=1 ; marker`, or `name @ url` with_url)."""
        extras = f"[{','.join(self.extras)}]" if self.extras else ""
        if with_url and self.url is not None:
            url = self.written if self.named_url and self.written else self.url
            body = f"{self.name}{extras} @ {url}"
        else:
            body = f"{self.name}{extras}{self.specifiers}"
        return body + (f" ; {self.marker}" if self.marker else "")


class _Added:
    """One edit of `pyproject.toml`: where it went and whether a bound may be added."""

    __slots__ = ("index", "kind", "name", "registry", "target", "unbounded")

    def __init__(self, name: str, target: DependencyTarget, kind: str, index: int,
                 registry: bool, unbounded: bool) -> None:
        self.name = name
        self.target = target
        self.kind = kind
        self.index = index
        self.registry = registry
        self.unbounded = unbounded


# -- sources -------------------------------------------------------------------------------


def _relative(path: str, root: str, given_absolute: bool) -> str:
    """A path for `[tool.uv.sources]`: relative to the project when it was given relative,
    with `/` separators."""
    path = os.path.normpath(path)
    if not given_absolute:
        path = os.path.relpath(path, root)
    return path.replace(os.sep, "/")


def _without_credentials(url: str) -> str:
    """`url` without a password (and without a user name, but for `git@`), as uv writes a
    Git source; the credentials themselves are never written."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    if parts.username == "git" and parts.password is None:
        host = f"git@{host}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def source_entry(requirement: NamedRequirement, *, root: str, workspace_member: bool,
                 editable: bool | None, index: str | None, rev: str | None,
                 tag: str | None, branch: str | None,
                 existing: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """The `[tool.uv.sources]` table uv writes for `requirement` (`None`: none), or an
    `AddError` with uv's words. `root` is the project's directory (paths given relative are
    written relative to it); `existing` the current entry for the name, if any."""
    from puv.distribution import DirectoryDist, GitDist, UrlDist, parse_direct_reference

    name = requirement.name
    url = requirement.url
    dist = parse_direct_reference(url, name=name) if url is not None else None
    git_flags = [(flag, value) for flag, value in (("--rev", rev), ("--tag", tag),
                                                   ("--branch", branch)) if value]
    if git_flags and not isinstance(dist, GitDist):
        if isinstance(existing, dict) and "git" in existing:
            entry: dict[str, Any] = {"git": existing["git"]}
            if "subdirectory" in existing:
                entry["subdirectory"] = existing["subdirectory"]
            entry.update({flag[2:]: value for flag, value in git_flags})
            return entry
        flag, value = git_flags[0]
        raise AddError(f"`{name}` did not resolve to a Git repository, but a Git reference "
                       f"(`{flag} {value}`) was provided.")
    if not workspace_member and editable and not isinstance(dist, DirectoryDist):
        raise AddError(f"`{name}` did not resolve to a local directory, but the `--editable` "
                       "flag was provided. Editable installs are only supported for local "
                       "directories.")
    if workspace_member:
        if dist is None or isinstance(dist, DirectoryDist):
            entry = {"workspace": True}
            if editable is not None:
                entry["editable"] = editable
            return entry
        kind = "a Git repository" if isinstance(dist, GitDist) else (
            "a URL" if isinstance(dist, UrlDist) and dist.local_path is None else "a file")
        raise AddError(f"Workspace dependency `{name}` must refer to local directory, not "
                       f"{kind}")
    if dist is None:
        return {"index": index} if index is not None else None
    if isinstance(dist, GitDist):
        entry = {"git": _without_credentials(dist.repository)}
        if dist.subdirectory:
            entry["subdirectory"] = dist.subdirectory
        if git_flags:
            entry.update({flag[2:]: value for flag, value in git_flags})
        elif dist.rev:
            entry["rev"] = dist.rev
        return entry
    given = requirement.written or ""
    absolute = os.path.isabs(os.path.expanduser(given)) or given.startswith("file:")
    if isinstance(dist, DirectoryDist):
        entry = {"path": _relative(dist.path, root, absolute)}
        chosen = editable if editable is not None else (True if requirement.editable
                                                        else None)
        if chosen is not None:
            entry["editable"] = chosen
        return entry
    assert isinstance(dist, UrlDist)
    if dist.local_path is not None:
        return {"path": _relative(dist.local_path, root, absolute)}
    entry = {"url": dist.url.partition("#")[0]}
    if dist.subdirectory:
        entry["subdirectory"] = dist.subdirectory
    return entry


# -- reading the requirements -----------------------------------------------------------


def _entries(request: AddRequest, console: Console) -> list[RequirementEntry]:
    from puv.core.requirements_txt import parse_requirement_line, parse_requirements
    from puv.errors import RequirementsError

    entries: list[RequirementEntry] = []
    for text in request.packages:
        try:
            entries.append(parse_requirement_line(text, base_dir=os.getcwd()))
        except RequirementsError as exc:
            raise AddError(exc.message, hint=exc.hint) from None
    for path in request.requirement_files:
        base = os.path.basename(path).lower()
        for suffix, what in (("pyproject.toml", "a `pyproject.toml`"),
                             ("setup.py", "a `setup.py`"), ("setup.cfg", "a `setup.cfg`"),
                             ("pylock.toml", "a `pylock.toml`")):
            if base == suffix or (suffix == "pylock.toml" and base.startswith("pylock.")
                                  and base.endswith(".toml")):
                raise AddError(f"Adding requirements from {what} is not supported in "
                               "`uv add`".replace("uv add", "puv add"))
        from puv.commands.pip.requirements import _read

        parsed = parse_requirements(path, read=_read)
        if not parsed.requirements:
            console.warning(f"Requirements file `{path}` does not contain any dependencies")
        entries.extend(parsed.requirements)
    return entries


def _marker(entry_marker: object, extra_marker: str | None) -> str | None:
    """The requirement's marker, `and` the `--marker` given, in uv's canonical form."""
    from packaging.markers import InvalidMarker

    from puv.core.marker_algebra import MarkerTree

    tree = MarkerTree(str(entry_marker)) if entry_marker is not None else MarkerTree()
    if extra_marker:
        try:
            tree = tree & MarkerTree(extra_marker)
        except InvalidMarker as exc:
            raise AddError(f"Invalid `--marker` value `{extra_marker}`: {exc}",
                           hint="write a PEP 508 marker, e.g. "
                           "`--marker \"sys_platform == 'linux'\"`") from None
    text = str(tree)
    return None if text == "true" else text


def _named(entries: Sequence[RequirementEntry], request: AddRequest,
           metadata_name: Any) -> list[NamedRequirement]:
    """The requirements with names; `metadata_name(url, editable)` names a direct reference
    that does not say its name."""
    from packaging.utils import canonicalize_name

    from puv.commands.pip.specification import verbatim_url
    from puv.workspace.edit import specifiers_of

    named = []
    # uv names the unnamed requirements after the others and adds them last.
    entries = sorted(entries, key=lambda e: e.requirement is None)
    for entry in entries:
        requirement = entry.requirement
        url = entry.url or (requirement.url if requirement is not None else None)
        name = requirement.name if requirement is not None else entry.name
        if url is not None and name is None:
            name = metadata_name(url, entry.editable)
        assert name is not None
        extras = set(requirement.extras if requirement is not None else entry.extras)
        extras.update(request.extras)
        specifiers = ""
        if requirement is not None and url is None:
            written = re.split(r"\s+-", entry.text.strip(), maxsplit=1)[0]
            specifiers = specifiers_of(written)
        marker = _marker(requirement.marker if requirement is not None else entry.marker,
                         request.marker)
        named.append(NamedRequirement(
            name=str(canonicalize_name(name)),
            extras=tuple(sorted({str(canonicalize_name(e)) for e in extras})),
            specifiers=specifiers, marker=marker, url=url, editable=entry.editable,
            written=verbatim_url(entry) if url is not None else None,
            named_url=requirement is not None and url is not None))
    return named


# -- the command ---------------------------------------------------------------------------


def _target_for(editor: PyProjectEditor, name: str, request: AddRequest) -> DependencyTarget:
    """Where uv puts the requirement: `--dev` (or `--group dev`) goes where the project
    already has it, else to `dependency-groups.dev` unless only the legacy
    `tool.uv.dev-dependencies` exists."""
    from puv.workspace.edit import DEV, PROJECT, group, optional

    if request.optional is not None:
        return optional(request.optional)
    wants_dev = request.dev or (request.group is not None and group(request.group).name
                                == "dev")
    if not wants_dev:
        return group(request.group) if request.group is not None else PROJECT
    dev = group("dev")
    found = editor.find_requirement(name)
    if dev in found:
        return dev
    if DEV in found:
        return DEV
    if request.dev and editor.has_target(DEV) and not editor.has_target(dev):
        return DEV
    return dev


def _member(workspace: Workspace, package: str | None) -> Member | None:
    if package is None:
        return workspace.current
    found = workspace.member(package)
    if found is None:
        raise AddError(f"The workspace does not have a member {package}: {workspace.root}")
    return found


def _add_workspace_members(workspace: Workspace, named: Sequence[NamedRequirement],
                           request: AddRequest, console: Console) -> bool:
    """Make the local directories inside the workspace (or all of them, with
    `--workspace`) members, as uv does; whether the root `pyproject.toml` changed."""
    from puv.distribution import DirectoryDist, parse_direct_reference
    from puv.workspace.edit import PyProjectEditor

    if request.workspace is False:
        return False
    editor: PyProjectEditor | None = None
    roots = {member.root for member in workspace.members}
    for requirement in named:
        if requirement.url is None:
            continue
        dist = parse_direct_reference(requirement.url, name=requirement.name)
        if not isinstance(dist, DirectoryDist):
            continue
        path = os.path.normpath(dist.path)
        inside = path == workspace.root or path.startswith(workspace.root + os.sep)
        if not (inside or request.workspace):
            continue
        if path in roots or _excluded(workspace, path):
            continue
        relative = os.path.relpath(path, workspace.root) if inside else path
        if editor is None:
            editor = PyProjectEditor.load(os.path.join(workspace.root, "pyproject.toml"))
        editor.add_workspace_member(relative)
        roots.add(path)
        console.status(f"Added `{console.style(relative.replace(os.sep, '/'), 'cyan')}` to "
                       "workspace members")
    if editor is None:
        return False
    editor.write()
    return True


def _excluded(workspace: Workspace, path: str) -> bool:
    from puv.workspace.project import glob_matches

    excludes = workspace.tool_uv.get("workspace", {}).get("exclude", []) \
        if isinstance(workspace.tool_uv.get("workspace"), dict) else []
    relative = os.path.relpath(path, workspace.root).replace(os.sep, "/")
    return glob_matches(relative, [str(p) for p in excludes])


def _index_url(index: IndexArgument, root: str) -> str:
    """The URL written for an index: credentials dropped; a local directory relative to the
    project when it was given relative (it must exist)."""
    url = index.url
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
        from puv.net.auth import split_credentials

        return split_credentials(url)[0]
    path = os.path.abspath(os.path.expanduser(url))
    if not os.path.isdir(path):
        raise AddError(f"Directory not found for index: file://{path}")
    return _relative(path, root, os.path.isabs(os.path.expanduser(url)))


def add(request: AddRequest, *, project_dir: str, settings: Settings, cache: Cache,
        console: Console) -> int:
    """Run `puv add` (see the module docstring); the exit status."""
    interpreter: list[Interpreter] = []
    try:
        pyproject, saved, editor, added, named = _prepare(request, project_dir, settings,
                                                          cache, console, interpreter)
    except PuvError as exc:
        exc.exit_code = max(exc.exit_code, 2)  # uv's errors before locking end with 2
        raise
    if request.frozen:
        return 0
    try:
        _lock_and_sync(pyproject, editor, added, request, settings, cache, console,
                       interpreter[0] if interpreter else None)
    except BaseException as exc:
        from puv.fs import restore_files

        restore_files(saved)
        if isinstance(exc, PuvError):
            raise _failed(exc, named) from None
        raise
    return 0


def _prepare(request: AddRequest, project_dir: str, settings: Settings, cache: Cache,
             console: Console, interpreter: list[Interpreter]
             ) -> tuple[str, dict[str, bytes | None], PyProjectEditor, list[_Added],
                        list[NamedRequirement]]:
    """Everything before locking: read, name and check the requirements, make members, edit
    and write `pyproject.toml`. Returns the file, its (and `uv.lock`'s) bytes before, the
    editor, the edits and the requirements."""
    from puv.workspace.project import discover_workspace

    workspace = discover_workspace(project_dir)
    member = _member(workspace, request.package)
    if member is None and request.optional is not None:
        raise AddError("Project is missing a `[project]` table; add a `[project]` table to use "
                       "optional dependencies, or run `puv add --dev` instead")
    if member is None and not (request.dev or request.group is not None):
        raise AddError("Project is missing a `[project]` table; add a `[project]` table to use "
                       "production dependencies, or run `puv add --dev` instead")

    def name_of(url: str, editable: bool) -> str:
        if not interpreter:
            from puv.commands.project.lock import lock_interpreter

            interpreter.append(lock_interpreter(workspace, settings, cache))
        return _metadata_name(url, editable, settings, cache, interpreter[0])

    named = _named(_entries(request, console), request, name_of)
    if member is not None and request.optional is None and not request.dev \
            and request.group is None:
        for requirement in named:
            if requirement.name == member.name:
                raise AddError(
                    f"Requirement name `{requirement.name}` matches project name "
                    f"`{member.name}`, but self-dependencies are not permitted without the "
                    f"`--dev` or `--optional` flags. If your project name (`{member.name}`) "
                    "is shadowing that of a third-party dependency, consider renaming the "
                    "project.")
    from puv.fs import restore_files, snapshot_files

    # The root is saved before new workspace members are written to it, so that a failure
    # later (an edit refused, a failed lock or sync) puts it back too.
    saved = snapshot_files([workspace.pyproject_path, workspace.lock_path])
    try:
        if _add_workspace_members(workspace, named, request, console):
            workspace = discover_workspace(project_dir)
            member = _member(workspace, request.package)
        pyproject = member.path if member is not None else os.path.join(workspace.root,
                                                                         "pyproject.toml")
        if pyproject not in saved:
            saved.update(snapshot_files([pyproject]))
        editor, added = _edit(pyproject, workspace, named, request)
        if editor.text().encode() != saved[pyproject]:
            editor.write()
    except BaseException:
        restore_files(saved)
        raise
    return pyproject, saved, editor, added, named


def _edit(pyproject: str, workspace: Workspace, named: Sequence[NamedRequirement],
          request: AddRequest) -> tuple[PyProjectEditor, list[_Added]]:
    """Apply the requirements and indexes to `pyproject.toml` (in memory)."""
    from puv.workspace.edit import PyProjectEditor, group, optional

    editor = PyProjectEditor.load(pyproject)
    root = os.path.dirname(pyproject)
    names = [i.name for i in request.indexes]
    pin = names[0] if len(request.indexes) == 1 else None
    existing_sources = editor.sources()
    added: list[_Added] = []
    for requirement in named:
        source = None
        if not request.raw:
            source = source_entry(
                requirement, root=root,
                workspace_member=workspace.member(requirement.name) is not None,
                editable=request.editable, index=pin, rev=request.rev, tag=request.tag,
                branch=request.branch, existing=existing_sources.get(requirement.name))
        target = _target_for(editor, requirement.name, request)
        text = requirement.text(with_url=request.raw)
        edit = editor.add_requirement(text, target, has_source=source is not None)
        if source is not None:
            editor.add_source(requirement.name, source)
        if edit.kind == "added":
            for other in added:
                if other.target == target and other.index >= edit.index:
                    other.index += 1
        registry = source is None or "index" in source
        added.append(_Added(requirement.name, target, edit.kind, edit.index, registry,
                            unbounded=not requirement.specifiers and requirement.url is None))
    if not named:
        if request.group is not None or request.dev:
            editor.ensure_target(group(request.group or "dev"))
        elif request.optional is not None:
            editor.ensure_target(optional(request.optional))
    if not request.raw:
        for index in reversed(_with_default_last(request.indexes)):
            editor.add_index(index.name, _index_url(index, root), default=index.default)
    return editor, added


def _with_default_last(indexes: Sequence[IndexArgument]) -> list[IndexArgument]:
    """The indexes in priority order: `--index` ones, then the default index."""
    return [i for i in indexes if not i.default] + [i for i in indexes if i.default]


def _failed(exc: PuvError, named: Sequence[NamedRequirement]) -> PuvError:
    """A failed resolution as uv reports it from `add`: framed, with its hints."""
    from puv.resolver.pubgrub.report import NoSolution

    if not isinstance(exc, NoSolution):
        return exc
    hints = [exc.hint] if exc.hint else []
    stdlib: frozenset[str] = getattr(sys, "stdlib_module_names", frozenset())
    for requirement in named:
        module = requirement.name.replace("-", "_")
        if requirement.url is None and module in stdlib and requirement.name in exc.message:
            hints.append(f"The module `{requirement.name}` is included in the Python "
                         "standard library and usually should not be added as a dependency")
            break
    hints.append("If you want to add the package regardless of the failed resolution, "
                 "provide the `--frozen` flag to skip locking and syncing")
    failure = PuvError(f"Failed to add dependencies\n  cause: {exc.message}",
                       hint="\n\nhint: ".join(hints))
    failure.exit_code = exc.exit_code
    return failure


# -- lock and sync -------------------------------------------------------------------------


def _metadata_name(url: str, editable: bool, settings: Settings, cache: Cache,
                   interpreter: Interpreter) -> str:
    """The name of the project a path or URL points at, from its metadata (read statically
    when the project says it, else built)."""
    from puv.commands.pip.session import BuildSession
    from puv.distribution import parse_direct_reference

    dist = parse_direct_reference(url, editable=editable)
    with BuildSession(settings, cache, interpreter) as session:
        return str(session.metadata(dist).name)


def _lock_and_sync(pyproject: str, editor: PyProjectEditor, added: Sequence[_Added],
                   request: AddRequest, settings: Settings, cache: Cache, console: Console,
                   interpreter: Interpreter | None) -> None:
    from puv.commands.project import lock as locking
    from puv.workspace.edit import bound_specifiers
    from puv.workspace.project import discover_workspace

    mode = locking.LockMode.LOCKED if request.locked else locking.LockMode.WRITE
    workspace = discover_workspace(os.path.dirname(pyproject))
    environment = None
    if not request.no_sync:
        from puv.commands.project.environment import project_environment

        environment = project_environment(workspace, settings, cache, console,
                                          active=request.sync_options.get("active"))
    if environment is not None:
        interpreter = environment.interpreter
    # (Without one, `lock_project` looks the interpreter up only if it must resolve.)
    outcome = locking.lock_project(workspace, settings, cache, console, mode=mode,
                                   interpreter=interpreter)
    if not request.raw:
        versions: dict[str, str] = {}
        for package in outcome.lock.packages:
            if package.version is None:
                continue
            from packaging.version import Version

            known = versions.get(package.name)
            if known is None or Version(package.version) < Version(known):
                versions[package.name] = package.version
        changed = False
        for edit in added:
            if edit.kind != "added" or not edit.registry:
                continue
            if not edit.unbounded:
                if request.bounds is not None:
                    text = editor.requirements(edit.target)[edit.index]
                    console.status(f"{console.style('note:', 'bold')} Using explicit "
                                   f"requirement `{text}` over bounds preference "
                                   f"`{request.bounds}`")
                continue
            version = versions.get(edit.name)
            if version is None:
                continue
            editor.set_specifiers(edit.target, edit.index,
                                  bound_specifiers(version, request.bounds or "lower"))
            changed = True
        if changed:
            editor.write()
            workspace = discover_workspace(os.path.dirname(pyproject))
            outcome = locking.lock_project(workspace, settings, cache,
                                           QuietConsole(console), mode=mode,
                                           interpreter=interpreter)
    if environment is None:
        return
    sync_after_edit(workspace, outcome.lock, environment, settings, cache, console,
                    exact=False, package=request.package, **_sync_selection(request))


def _sync_selection(request: AddRequest) -> dict[str, Any]:
    """What the sync after `add` installs, as uv chooses: the extra or group just added to
    (with the default groups), `dev` after `--dev`, and no `dev` group after a plain `add` or
    `--optional`; nothing is removed."""
    options = request.sync_options
    selection: dict[str, Any] = {
        "active": options.get("active"),
        "no_install_project": bool(options.get("no_install_project")),
        "no_install_workspace": bool(options.get("no_install_workspace")),
        "no_install_local": bool(options.get("no_install_local")),
        "no_install_package": tuple(options.get("no_install_package") or ()),
    }
    if request.optional is not None:
        selection.update(extras=(request.optional,), no_dev=True)
    elif request.dev:
        selection["dev"] = True
    elif request.group is not None:
        selection["groups"] = (request.group,)
    else:
        selection["no_dev"] = True
    return selection


def sync_after_edit(workspace: Workspace, lock: Lock, environment: ProjectEnvironment,
                    settings: Settings, cache: Cache, console: Console, *, exact: bool,
                    package: str | None, extras: Sequence[str] = (),
                    groups: Sequence[str] = (), dev: bool = False, no_dev: bool = False,
                    active: bool | None = None, no_install_project: bool = False,
                    no_install_workspace: bool = False, no_install_local: bool = False,
                    no_install_package: Sequence[str] = ()) -> None:
    """The sync that ends `add` (`exact=False`: nothing is removed) and `remove`
    (`exact=True`)."""
    from packaging.utils import canonicalize_name

    from puv.commands.project.sync import Selection, sync_project
    from puv.lock.select import InstallFilter

    del active  # the environment is already chosen
    selection = Selection(extras=tuple(extras), groups=tuple(groups), dev=dev, no_dev=no_dev,
                          package=package)
    install = InstallFilter(
        no_install_project=no_install_project, no_install_workspace=no_install_workspace,
        no_install_local=no_install_local,
        no_install_packages=frozenset(str(canonicalize_name(n)) for n in no_install_package))
    sync_project(workspace, lock, environment, settings, cache, console, selection=selection,
                 exact=exact, install=install)


def lock_and_sync_after_edit(project_dir: str, settings: Settings, cache: Cache,
                             console: Console, *, locked: bool, no_sync: bool,
                             active: bool | None, package: str | None, exact: bool,
                             lock_must_exist: bool = False) -> None:
    """What `remove` and `version` do once `pyproject.toml` is written: lock the workspace
    (`locked`: refuse a stale lock; `lock_must_exist`: and a missing one, before locking),
    then, unless `no_sync`, sync its environment (see `sync_after_edit`)."""
    from puv.commands.project.lock import LockMode, lock_project
    from puv.workspace.project import discover_workspace

    workspace = discover_workspace(project_dir)
    environment = None
    if not no_sync:
        from puv.commands.project.environment import project_environment

        environment = project_environment(workspace, settings, cache, console, active=active)
    if lock_must_exist and locked and not os.path.exists(workspace.lock_path):
        from puv.commands.project.lock import missing_lock

        raise missing_lock("`--locked`")
    mode = LockMode.LOCKED if locked else LockMode.WRITE
    outcome = lock_project(workspace, settings, cache, console, mode=mode,
                           interpreter=environment.interpreter if environment else None)
    if environment is not None:
        sync_after_edit(workspace, outcome.lock, environment, settings, cache, console,
                        exact=exact, package=package)


class QuietConsole:
    """A console without status lines: the second lock of `add` (after the bounds are
    written) is silent, as uv's."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._console, name)

    def status(self, message: str) -> None:
        return None
