"""Workspace discovery and the read model of a project's `pyproject.toml` files.

`discover_workspace(start)` finds what uv finds:

1. the nearest `pyproject.toml` at or above `start` (any such file: one without `[project]`
   is a *virtual* root, whose `[tool.uv]` and `[dependency-groups]` still count);
2. when it has a `[project]` table and no `[tool.uv.workspace]`, the nearest workspace root
   above it whose `members` globs include it (and whose `exclude` globs don't); otherwise it
   is its own workspace root;
3. the root's members: the root itself (when it has `[project]`) and every directory matched
   by `tool.uv.workspace.members` that holds a `pyproject.toml`.

Everything is read with `tomllib` (through `settings.files.read_toml`, shared with settings
discovery); requirement strings become `packaging` requirements, names are canonical. Problems
are `SettingsError`s naming the file and the key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from puv.errors import PuvError, SettingsError
from puv.fs import ancestors
from puv.settings.files import read_toml

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from packaging.requirements import Requirement

__all__ = [
    "ConflictItem",
    "Member",
    "ProjectNotFound",
    "Source",
    "Workspace",
    "conflict_sets",
    "conflict_variable",
    "discover_workspace",
    "index_sources",
    "lower_index_sources",
    "read_member",
    "written_specifiers",
]


class ProjectNotFound(PuvError):
    """No `pyproject.toml` at or above the directory."""


SOURCE_KINDS = ("index", "git", "url", "path", "workspace")


@dataclass(frozen=True, slots=True)
class Source:
    """One `[tool.uv.sources]` entry: where a dependency comes from, maybe only under a
    `marker`, or only for one of the project's extras or groups.

    `kind` is one of `SOURCE_KINDS`; `location` the index name, git/URL address or path (empty
    for `workspace`); `options` the rest (`tag`, `branch`, `rev`, `subdirectory`, `editable`,
    `package`, ...)."""

    kind: str
    location: str
    options: Mapping[str, Any] = field(default_factory=dict)
    marker: str | None = None
    extra: str | None = None
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Member:
    """One project of a workspace (see the module docstring)."""

    root: str
    path: str
    name: str
    display_name: str
    version: str | None
    requires_python: str | None
    dependencies: tuple[Requirement, ...]
    optional_dependencies: Mapping[str, tuple[Requirement, ...]]
    dependency_groups: Mapping[str, tuple[Requirement, ...]]
    sources: Mapping[str, tuple[Source, ...]]
    has_build_system: bool
    package: bool | None
    data: Mapping[str, Any]
    dynamic: tuple[str, ...] = ()
    # Another member (or the workspace root) names it as a `{ workspace = true }` source.
    required: bool = False

    @property
    def is_package(self) -> bool:
        """Whether the project is built and installed, as uv decides: `tool.uv.package`, else
        whether it declares a `[build-system]` or another member depends on it through a
        `{ workspace = true }` source (then built with the legacy setuptools fallback)."""
        if self.package is not None:
            return self.package
        return self.has_build_system or self.required


@dataclass(frozen=True, slots=True)
class Workspace:
    """A workspace: its root directory, its members, and the root's `[tool.uv]`."""

    root: str
    members: tuple[Member, ...]
    current: Member | None
    tool_uv: Mapping[str, Any]
    root_data: Mapping[str, Any]
    root_groups: Mapping[str, tuple[Requirement, ...]] = field(default_factory=dict)
    # A PEP 723 script locked on its own (`puv lock --script`): no members, its
    # `dependencies` as the requirements, its lock beside it (`script.py.lock`).
    script: str | None = None
    script_requirements: tuple[Requirement, ...] = ()
    script_requires_python: str | None = None

    @property
    def lock_path(self) -> str:
        if self.script is not None:
            return self.script + ".lock"
        return os.path.join(self.root, "uv.lock")

    @property
    def pyproject_path(self) -> str:
        return os.path.join(self.root, "pyproject.toml")

    @property
    def is_virtual_root(self) -> bool:
        """Whether the root `pyproject.toml` has no `[project]` table."""
        return "project" not in self.root_data

    def member(self, name: str) -> Member | None:
        from packaging.utils import canonicalize_name

        wanted = canonicalize_name(name)
        return next((m for m in self.members if m.name == wanted), None)

    @property
    def requires_python(self) -> str | None:
        """The members' `requires-python`, intersected (specifiers joined, in member order);
        `None` when no member declares one."""
        if self.script is not None:
            return self.script_requires_python
        found = [m.requires_python for m in self.members if m.requires_python]
        if not found:
            return None
        if len(set(found)) == 1:
            return found[0]
        from packaging.specifiers import SpecifierSet

        combined = SpecifierSet()
        for text in found:
            combined &= SpecifierSet(text)
        return str(combined)

    @property
    def default_groups(self) -> tuple[str, ...] | Literal["all"]:
        """`tool.uv.default-groups` (canonical names, or "all"); by default `dev`."""
        value = self.tool_uv.get("default-groups")
        if value == "all":
            return "all"
        if isinstance(value, list):
            from packaging.utils import canonicalize_name

            return tuple(str(canonicalize_name(str(v))) for v in value)
        return ("dev",)


def script_workspace(path: str, requirements: Sequence[str], requires_python: str | None,
                     tool_uv: Mapping[str, Any]) -> Workspace:
    """The workspace of a PEP 723 script (see `Workspace.script`)."""
    path = os.path.abspath(path)
    return Workspace(root=os.path.dirname(path), members=(), current=None, tool_uv=tool_uv,
                     root_data={}, script=path,
                     script_requirements=tuple(_written_class()(r) for r in requirements),
                     script_requires_python=requires_python)


def discover_workspace(start: str) -> Workspace:
    """The workspace containing `start` (see the module docstring)."""
    start = os.path.abspath(start)
    found = _nearest_pyproject(start)
    if found is None:
        raise ProjectNotFound(
            "No `pyproject.toml` found in current directory or any parent directory")
    data, _text = read_toml(found)
    directory = os.path.dirname(found)
    root_path = found
    if "project" in data and not _workspace_table(data, found):
        above = _enclosing_root(directory)
        if above is not None:
            root_path = above
    root_data, _ = read_toml(root_path)
    root = os.path.dirname(root_path)
    members = _members(root, root_data, root_path)
    current = next((m for m in members if m.root == directory), None)
    tool_uv = _tool_uv(root_data, root_path)
    groups = _dependency_groups(root_data, tool_uv, root_path) if "project" not in root_data \
        else {}
    return Workspace(root=root, members=members, current=current, tool_uv=tool_uv,
                     root_data=root_data, root_groups=groups)


def _nearest_pyproject(start: str) -> str | None:
    for directory in ancestors(start):
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
    return None


def _tool_uv(data: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    if uv is None:
        return {}
    if not isinstance(uv, dict):
        raise SettingsError(f"Invalid `tool.uv` in `{path}`: expected a table")
    return uv


def _workspace_table(data: Mapping[str, Any], path: str) -> Mapping[str, Any] | None:
    workspace = _tool_uv(data, path).get("workspace")
    if workspace is None:
        return None
    if not isinstance(workspace, dict):
        raise SettingsError(f"Invalid `tool.uv.workspace` in `{path}`: expected a table")
    return workspace


def _globs(workspace: Mapping[str, Any], key: str, path: str) -> list[str]:
    value = workspace.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"Invalid `tool.uv.workspace.{key}` in `{path}`: expected a list "
                            "of glob patterns")
    return value


def _enclosing_root(directory: str) -> str | None:
    """The `pyproject.toml` of a workspace above `directory` that has it as a member."""
    parent = os.path.dirname(directory)
    if parent == directory:
        return None
    for above in ancestors(parent):
        candidate = os.path.join(above, "pyproject.toml")
        if not os.path.isfile(candidate):
            continue
        data, _ = read_toml(candidate)
        workspace = _workspace_table(data, candidate)
        if workspace is None:
            continue
        relative = os.path.relpath(directory, above).replace(os.sep, "/")
        if glob_matches(relative, _globs(workspace, "members", candidate)) and not glob_matches(
                relative, _globs(workspace, "exclude", candidate)):
            return candidate
        return None
    return None


def glob_matches(relative: str, patterns: Iterable[str]) -> bool:
    """Whether a member path (relative to the workspace root, `/`-separated) matches one of
    the `members` / `exclude` globs (a trailing `/` or leading `./` ignored)."""
    import fnmatch

    return any(fnmatch.fnmatchcase(relative, pattern.rstrip("/").removeprefix("./"))
               for pattern in patterns)


def _members(root: str, data: Mapping[str, Any], path: str) -> tuple[Member, ...]:
    members: list[Member] = []
    if "project" in data:
        members.append(read_member(path))
    workspace = _workspace_table(data, path)
    if workspace is not None:
        import glob

        excluded = _globs(workspace, "exclude", path)
        for pattern in _globs(workspace, "members", path):
            matches = sorted(glob.glob(os.path.join(glob.escape(root), pattern)))
            for directory in matches:
                directory = os.path.abspath(directory)
                relative = os.path.relpath(directory, root).replace(os.sep, "/")
                if directory == root or glob_matches(relative, excluded):
                    continue
                if not os.path.isdir(directory):
                    continue
                member_path = os.path.join(directory, "pyproject.toml")
                if not os.path.isfile(member_path):
                    raise SettingsError(
                        f"Workspace member `{directory}` is missing a `pyproject.toml` "
                        f"(matches: `{pattern}`)")
                if any(m.root == directory for m in members):
                    continue
                members.append(read_member(member_path))
    names: dict[str, str] = {}
    for member in members:
        if member.name in names:
            raise SettingsError(
                f"Two workspace members are both named `{member.name}`: `{names[member.name]}` "
                f"and `{member.root}`")
        names[member.name] = member.root
    required = _required_members(members, _sources(_tool_uv(data, path), path)
                                 if "project" not in data else {})
    return tuple(replace(m, required=True) if m.name in required else m for m in members)


def _required_members(members: Sequence[Member],
                      root_sources: Mapping[str, tuple[Source, ...]]) -> set[str]:
    """The members some other member (or a virtual root) names in a `{ workspace = true }`
    source: uv treats them as packages even without a `[build-system]`."""
    found: set[str] = set()
    for owner, sources in [(None, root_sources), *((m.name, m.sources) for m in members)]:
        found.update(name for name, entries in sources.items()
                     if name != owner and any(e.kind == "workspace" for e in entries))
    return found


def read_member(path: str) -> Member:
    """The read model of one project's `pyproject.toml` (which must have `[project]`)."""
    from packaging.utils import canonicalize_name

    data, _text = read_toml(path)
    project = data.get("project")
    if not isinstance(project, dict):
        raise SettingsError(f"No `project` table found in: `{path}`")
    name = project.get("name")
    if not isinstance(name, str) or not name:
        raise SettingsError(f"Invalid `project.name` in `{path}`: expected a string",
                            hint="every project needs `name = \"...\"` in `[project]`")
    dynamic = project.get("dynamic", [])
    if not isinstance(dynamic, list):
        raise SettingsError(f"Invalid `project.dynamic` in `{path}`: expected a list")
    version = project.get("version")
    if version is not None and not isinstance(version, str):
        raise SettingsError(f"Invalid `project.version` in `{path}`: expected a string")
    requires_python = project.get("requires-python")
    if requires_python is not None:
        if not isinstance(requires_python, str):
            raise SettingsError(f"Invalid `project.requires-python` in `{path}`: expected a "
                                "string such as \">=3.12\"")
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            SpecifierSet(requires_python)
        except InvalidSpecifier:
            raise SettingsError(
                f"Invalid `project.requires-python` in `{path}`: `{requires_python}` is not a "
                "version specifier",
                hint='write a PEP 440 specifier, for example `requires-python = ">=3.12"`',
            ) from None
    tool_uv = _tool_uv(data, path)
    optional = project.get("optional-dependencies", {})
    if not isinstance(optional, dict):
        raise SettingsError(f"Invalid `project.optional-dependencies` in `{path}`: expected a "
                            "table of lists")
    extras: dict[str, tuple[Requirement, ...]] = {}
    for extra, items in optional.items():
        extras[str(canonicalize_name(extra))] = _requirements(
            items, f"project.optional-dependencies.{extra}", path)
    package = tool_uv.get("package")
    if package is not None and not isinstance(package, bool):
        raise SettingsError(f"Invalid `tool.uv.package` in `{path}`: expected `true` or "
                            "`false`")
    return Member(
        root=os.path.dirname(os.path.abspath(path)),
        path=os.path.abspath(path),
        name=str(canonicalize_name(name)),
        display_name=name,
        version=version,
        requires_python=requires_python,
        dependencies=_requirements(project.get("dependencies", []), "project.dependencies",
                                   path),
        optional_dependencies=extras,
        dependency_groups=_dependency_groups(data, tool_uv, path),
        sources=_sources(tool_uv, path),
        has_build_system="build-system" in data,
        package=package,
        data=data,
        dynamic=tuple(str(d) for d in dynamic),
    )


def written_specifiers(req: Requirement) -> str:
    """The version specifiers of a requirement in the order they were written (`>=4.0,<6.2`),
    as uv records them; `packaging` keeps them as a set and prints them sorted."""
    written = getattr(req, "written", None)
    if not written or not req.specifier:
        return str(req.specifier)
    from packaging.specifiers import InvalidSpecifier, Specifier

    text = written.split(";", 1)[0]
    text = text[len(text) - len(text.lstrip()):]
    text = text[len(req.name):] if text.startswith(req.name) else text.lstrip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
    text = text.strip()
    if text.startswith("["):
        text = text[text.find("]") + 1:].strip()
    text = text.strip("()").strip()
    try:
        parts = [str(Specifier(part.strip())) for part in text.split(",") if part.strip()]
    except InvalidSpecifier:
        return str(req.specifier)
    return ",".join(parts) if len(parts) == len(req.specifier) else str(req.specifier)


_WRITTEN: list[type] = []


def _written_class() -> type[Requirement]:
    """`packaging`'s `Requirement` that remembers its text (for `written_specifiers`)."""
    if not _WRITTEN:
        from packaging.requirements import Requirement

        class WrittenRequirement(Requirement):
            def __init__(self, text: str) -> None:
                super().__init__(text)
                self.written = text

        _WRITTEN.append(WrittenRequirement)
    return _WRITTEN[0]


def _requirements(items: object, key: str, path: str) -> tuple[Requirement, ...]:
    from packaging.requirements import InvalidRequirement

    if not isinstance(items, list):
        raise SettingsError(f"Invalid `{key}` in `{path}`: expected a list of requirements")
    parsed = []
    for item in items:
        if not isinstance(item, str):
            raise SettingsError(f"Invalid `{key}` in `{path}`: expected a requirement string, "
                                f"found `{item!r}`")
        try:
            parsed.append(_written_class()(item))
        except InvalidRequirement as exc:
            raise SettingsError(
                f"Failed to parse `{item}` in `{key}` of `{path}`: {exc}") from None
    return tuple(parsed)


def _dependency_groups(data: Mapping[str, Any], tool_uv: Mapping[str, Any], path: str
                       ) -> dict[str, tuple[Requirement, ...]]:
    """`[dependency-groups]` (PEP 735) with `include-group` expanded, plus the legacy
    `tool.uv.dev-dependencies` merged into `dev`."""
    from packaging.utils import canonicalize_name

    raw = data.get("dependency-groups", {})
    if not isinstance(raw, dict):
        raise SettingsError(f"Invalid `dependency-groups` in `{path}`: expected a table")
    declared: dict[str, tuple[str, list[object]]] = {}
    for group, items in raw.items():
        canonical = str(canonicalize_name(group))
        if canonical in declared:
            raise SettingsError(f"Duplicate dependency group `{group}` in `{path}`")
        if not isinstance(items, list):
            raise SettingsError(f"Invalid `dependency-groups.{group}` in `{path}`: expected a "
                                "list")
        declared[canonical] = (group, items)

    resolved: dict[str, tuple[Requirement, ...]] = {}

    def expand(canonical: str, stack: tuple[str, ...]) -> tuple[Requirement, ...]:
        known = resolved.get(canonical)
        if known is not None:
            return known
        if canonical in stack:
            cycle = " -> ".join((*stack, canonical))
            raise SettingsError(f"Detected a cycle in `dependency-groups` of `{path}`: {cycle}")
        written, items = declared[canonical]
        result: list[Requirement] = []
        for item in items:
            if isinstance(item, dict):
                included = item.get("include-group")
                if not isinstance(included, str) or len(item) != 1:
                    raise SettingsError(
                        f"Invalid entry in `dependency-groups.{written}` of `{path}`: expected "
                        "a requirement string or `{ include-group = \"...\" }`")
                target = str(canonicalize_name(included))
                if target not in declared:
                    raise SettingsError(
                        f"Failed to find group `{included}` included by `{written}` in "
                        f"`{path}`")
                result.extend(expand(target, (*stack, canonical)))
            else:
                result.extend(_requirements([item], f"dependency-groups.{written}", path))
        resolved[canonical] = tuple(result)
        return resolved[canonical]

    groups = {canonical: expand(canonical, ()) for canonical in declared}
    legacy = tool_uv.get("dev-dependencies")
    if legacy is not None:
        reqs = _requirements(legacy, "tool.uv.dev-dependencies", path)
        groups["dev"] = (*groups.get("dev", ()), *reqs)
    return groups


def _sources(tool_uv: Mapping[str, Any], path: str) -> dict[str, tuple[Source, ...]]:
    from packaging.utils import canonicalize_name

    raw = tool_uv.get("sources", {})
    if not isinstance(raw, dict):
        raise SettingsError(f"Invalid `tool.uv.sources` in `{path}`: expected a table")
    sources: dict[str, tuple[Source, ...]] = {}
    for name, value in raw.items():
        entries = value if isinstance(value, list) else [value]
        parsed = []
        for entry in entries:
            if not isinstance(entry, dict):
                raise SettingsError(f"Invalid `tool.uv.sources.{name}` in `{path}`: expected a "
                                    "table or a list of tables")
            parsed.append(_source(entry, f"tool.uv.sources.{name}", path))
        _check_disjoint(parsed, path)
        sources[str(canonicalize_name(name))] = tuple(parsed)
    return sources


def _check_disjoint(entries: list[Source], path: str) -> None:
    """A package's source entries must not overlap (uv's rule): markers disjoint, unless
    the entries are scoped to different extras or groups."""
    from puv.core.marker_algebra import MarkerTree

    for i, first in enumerate(entries):
        for second in entries[i + 1:]:
            if (first.extra, first.group) != (second.extra, second.group):
                continue
            one = MarkerTree(first.marker) if first.marker else MarkerTree()
            two = MarkerTree(second.marker) if second.marker else MarkerTree()
            if one.is_disjoint(two):
                continue
            fixed = (two & ~one).contents() or "python_version < '0'"
            error = SettingsError(
                f"Failed to parse `tool.uv.sources` in `{path}`: Source markers must be "
                f"disjoint, but the following markers overlap: `{one.contents() or 'true'}` "
                f"and `{two.contents() or 'true'}`.",
                hint=f"replace `{two.contents() or 'true'}` with `{fixed}`")
            error.exit_code = 2
            raise error


def _source(entry: Mapping[str, Any], key: str, path: str) -> Source:
    kinds = [kind for kind in SOURCE_KINDS if kind in entry]
    if len(kinds) != 1:
        raise SettingsError(
            f"Invalid `{key}` in `{path}`: expected exactly one of `index`, `git`, `url`, "
            "`path` or `workspace`")
    kind = kinds[0]
    location = entry[kind]
    if kind == "workspace":
        if location is not True:
            raise SettingsError(f"Invalid `{key}` in `{path}`: `workspace` must be `true`")
        location = ""
    elif not isinstance(location, str):
        raise SettingsError(f"Invalid `{key}.{kind}` in `{path}`: expected a string")
    marker = entry.get("marker")
    if marker is not None:
        from packaging.markers import InvalidMarker, Marker

        try:
            Marker(str(marker))
        except InvalidMarker as exc:
            raise SettingsError(f"Invalid marker `{marker}` in `{key}` of `{path}`: {exc}"
                                ) from None
    extra, group = entry.get("extra"), entry.get("group")
    options = {k: v for k, v in entry.items()
               if k not in (kind, "marker", "extra", "group")}
    from packaging.utils import canonicalize_name

    return Source(kind=kind, location=str(location), options=options,
                  marker=str(marker) if marker is not None else None,
                  extra=str(canonicalize_name(extra)) if isinstance(extra, str) else None,
                  group=str(canonicalize_name(group)) if isinstance(group, str) else None)


@dataclass(frozen=True, slots=True)
class ConflictItem:
    """One member of a `[tool.uv] conflicts` set: a project's extra or group, or (neither
    given) a workspace member as a whole."""

    package: str
    extra: str | None = None
    group: str | None = None

    @property
    def variable(self) -> str:
        return conflict_variable(self.package, extra=self.extra, group=self.group)


def conflict_variable(package: str, *, extra: str | None = None, group: str | None = None
                      ) -> str:
    """uv's encoding of a conflict item as an extra name in lock markers:
    `extra-7-project-cpu`, `group-2-p3-dev`, and `project-1-a` for a whole member."""
    if extra is None and group is None:
        return f"project-{len(package)}-{package}"
    kind, name = ("extra", extra) if extra is not None else ("group", group)
    return f"{kind}-{len(package)}-{package}-{name}"


def conflict_sets(workspace: Workspace) -> list[tuple[ConflictItem, ...]]:
    """`[tool.uv] conflicts` of the workspace (the root's, and the members'), checked: an
    item names an extra or group of a member that declares it, or (`{ package = "..." }`
    alone, uv's preview "package conflicts") a workspace member."""
    from packaging.utils import canonicalize_name

    sets: list[tuple[ConflictItem, ...]] = []
    sources = [(workspace.pyproject_path, workspace.tool_uv, workspace.current or (
        workspace.members[0] if workspace.members else None))]
    sources += [(m.path, _tool_uv(m.data, m.path), m) for m in workspace.members
                if m.path != workspace.pyproject_path]
    for path, tool_uv, owner in sources:
        raw = tool_uv.get("conflicts", [])
        if not isinstance(raw, list):
            raise SettingsError(f"Invalid `tool.uv.conflicts` in `{path}`: expected a list of "
                                "lists of `{ extra = \"...\" }` or `{ group = \"...\" }`")
        for i, entries in enumerate(raw):
            if not isinstance(entries, list) or len(entries) < 2:
                raise SettingsError(f"Invalid `tool.uv.conflicts[{i}]` in `{path}`: a "
                                    "conflict set needs at least two items")
            items = []
            for entry in entries:
                if not isinstance(entry, dict) or len(
                        {"extra", "group"} & set(entry)) > 1 or not set(entry) & {
                        "extra", "group", "package"} or set(entry) - {
                        "extra", "group", "package"} or not all(
                        isinstance(entry[k], str) for k in ("extra", "group", "package")
                        if k in entry):
                    raise SettingsError(
                        f"Invalid item in `tool.uv.conflicts[{i}]` of `{path}`: expected "
                        "`{ package = \"...\" }`, or one of `extra` or `group` (and "
                        "optionally `package`)")
                package = entry.get("package") or (owner.name if owner else None)
                if not isinstance(package, str):
                    raise SettingsError(f"Invalid item in `tool.uv.conflicts[{i}]` of "
                                        f"`{path}`: name the `package`")
                package = str(canonicalize_name(package))
                member = workspace.member(package)
                extra = entry.get("extra")
                group = entry.get("group")
                if extra is None and group is None and member is None:
                    raise SettingsError(
                        f"The conflict `{{ package = \"{entry['package']}\" }}` in "
                        f"`{path}` names a package that is not a member of the workspace")
                if member is not None and extra is not None and str(
                        canonicalize_name(extra)) not in member.optional_dependencies:
                    raise SettingsError(
                        f"The conflict `{{ extra = \"{extra}\" }}` in `{path}` names an extra "
                        f"that `{package}` does not define in `optional-dependencies`")
                if member is not None and group is not None and str(
                        canonicalize_name(group)) not in member.dependency_groups:
                    raise SettingsError(
                        f"The conflict `{{ group = \"{group}\" }}` in `{path}` names a group "
                        f"that `{package}` does not define in `dependency-groups`")
                items.append(ConflictItem(
                    package,
                    extra=str(canonicalize_name(extra)) if extra is not None else None,
                    group=str(canonicalize_name(group)) if group is not None else None))
            sets.append(tuple(items))
    return sets


def index_sources(member: Member) -> dict[str, list[tuple[str | None, str | None]]]:
    """The member's `{ index = ... }` sources, by package: (marker text or `None`, index
    name) pairs, entries scoped to an extra or group holding where uv's conflict item for it
    may be active, then `(rest, None)` for where no entry's marker holds (the configured
    indexes), when the markers do not cover everything."""
    found: dict[str, list[tuple[str | None, str | None]]] = {}
    for name, entries in member.sources.items():
        pinned = [e for e in entries if e.kind == "index"]
        if pinned:
            found[name] = _index_entries(member, pinned)
    return found


def _index_entries(member: Member, entries: Iterable[Source]
                   ) -> list[tuple[str | None, str | None]]:
    from puv.core.marker_algebra import FALSE, MarkerTree

    covered = FALSE
    listed: list[tuple[str | None, str | None]] = []
    for entry in entries:
        where = MarkerTree(entry.marker) if entry.marker else MarkerTree()
        if entry.extra is not None or entry.group is not None:
            variable = conflict_variable(member.name, extra=entry.extra, group=entry.group)
            where = where & MarkerTree(f"extra == '{variable}'")
        covered = covered | where
        listed.append((where.contents(), entry.location))
    if not covered.is_true():
        listed.append(((~covered).contents(), None))
    return listed


def lower_index_sources(member: Member, req: Requirement, *, extra: str | None = None,
                        group: str | None = None) -> list[tuple[Requirement, str | None]]:
    """`req` as the resolver and the lock see it: one requirement per `index` source of its
    package, each with the source's marker joined to its own and the index name it comes
    from (`None`: the configured indexes); `[(req, None)]` without such sources."""
    from packaging.utils import canonicalize_name

    name = str(canonicalize_name(req.name))
    scoped = [e for e in member.sources.get(name, ()) if e.kind == "index"
              and (e.extra is not None or e.group is not None)]
    if scoped:
        # Within an extra or group, its own entry applies (else the unscoped ones).
        own = next((e for e in scoped if (e.extra, e.group) == (extra, group)), None)
        if own is not None:
            return [(req, own.location)]
    unscoped = [e for e in member.sources.get(name, ()) if e.kind == "index"
                and e.extra is None and e.group is None]
    if not unscoped:
        return [(req, None)]
    entries = _index_entries(member, unscoped)
    if len(entries) == 1 and entries[0][0] is None:
        return [(req, entries[0][1])]
    from puv.core.marker_algebra import MarkerTree

    lowered = []
    for marker, index in entries:
        where = MarkerTree(req.marker) if req.marker is not None else MarkerTree()
        if marker is not None:
            where = where & MarkerTree(marker)
        if where.is_false():
            continue
        text = where.contents()
        base = str(req).split(";", 1)[0].strip()
        copy = _written_class()(f"{base} ; {text}" if text else base)
        copy.written = (getattr(req, "written", None) or base).split(";", 1)[0]  # type: ignore[attr-defined]
        lowered.append((copy, index))
    return lowered
