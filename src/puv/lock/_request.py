"""The request side of a sync from `uv.lock`: extras, groups, install filters, and uv's checks
of them against the lock (unknown names, declared conflicts). Re-exported by `select.py`."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from packaging.utils import canonicalize_name

from puv.errors import PuvError
from puv.lock.model import ConflictItem, Lock, LockPackage

__all__ = [
    "BuildPolicy",
    "DevMode",
    "ExtrasRequest",
    "Groups",
    "GroupsRequest",
    "InstallFilter",
    "SelectionError",
    "check_conflicts",
    "normalized_names",
    "root_packages",
    "validate_request",
]

DevMode = Literal["include", "exclude", "only"]


class SelectionError(PuvError):
    """The request does not fit the lock (an unknown extra or group, conflicting extras), or a
    package cannot be installed in the environment. uv ends with status 2 for these."""

    exit_code = 2


# -- what is asked for ------------------------------------------------------------------------


def normalized_names(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(canonicalize_name(v)) for v in values))


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtrasRequest:
    """`--extra`, `--all-extras`, `--no-extra` (names are normalized on the way in)."""

    extras: tuple[str, ...] = ()
    all_extras: bool = False
    no_extras: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "extras", normalized_names(self.extras))
        object.__setattr__(self, "no_extras", normalized_names(self.no_extras))

    def includes(self, extra: str) -> bool:
        if extra in self.no_extras:
            return False
        return self.all_extras or extra in self.extras

    def selected(self, available: Iterable[str]) -> list[str]:
        """The extras of `available` (a package's tables) that are active."""
        return [extra for extra in available if self.includes(extra)]

    @property
    def explicit(self) -> tuple[str, ...]:
        """The names the user wrote, which must exist (uv checks `--no-extra` too)."""
        return self.extras + self.no_extras


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupsRequest:
    """The group flags as given: `--dev` / `--no-dev` / `--only-dev` (`dev`), `--group`,
    `--only-group`, `--no-group`, `--all-groups`, `--no-default-groups`."""

    dev: DevMode | None = None
    groups: tuple[str, ...] = ()
    only_groups: tuple[str, ...] = ()
    no_groups: tuple[str, ...] = ()
    all_groups: bool = False
    no_default_groups: bool = False

    def __post_init__(self) -> None:
        for name in ("groups", "only_groups", "no_groups"):
            object.__setattr__(self, name, normalized_names(getattr(self, name)))

    @property
    def explicit(self) -> tuple[str, ...]:
        """The group names the user wrote, which must exist (`dev` from the `--dev` flags is
        not checked: it may be absent, as in uv)."""
        return self.groups + self.no_groups + self.only_groups

    def resolve(self, defaults: Sequence[str] | Literal["all"] = ("dev",)) -> Groups:
        """The groups selected, with the project's default groups (`tool.uv.default-groups`)
        applied as uv applies them: `--only-*` and `--no-default-groups` drop the defaults,
        `--no-group` wins over everything."""
        include = list(self.groups)
        only = list(self.only_groups)
        exclude = list(self.no_groups)
        if self.dev == "include":
            include.append("dev")
        elif self.dev == "only":
            only.append("dev")
        elif self.dev == "exclude":
            exclude.append("dev")
        only_groups = bool(only)
        use_defaults = not self.no_default_groups and not only_groups
        explicit: frozenset[str] | None
        if self.all_groups:
            explicit = None
            chosen: frozenset[str] | None = None
        else:
            explicit = frozenset(include + only)
            if use_defaults and defaults == "all":
                chosen = None
            elif use_defaults:
                chosen = explicit | frozenset(normalized_names(defaults))
            else:
                chosen = explicit
        return Groups(include=chosen, exclude=frozenset(exclude), prod=not only_groups,
                      explicit_include=explicit)


@dataclass(frozen=True, slots=True, kw_only=True)
class Groups:
    """The dependency groups selected (`include` None: every group) and whether production
    dependencies are (`prod`: false with `--only-group` / `--only-dev`)."""

    include: frozenset[str] | None = frozenset()
    exclude: frozenset[str] = frozenset()
    prod: bool = True
    explicit_include: frozenset[str] | None = frozenset()  # without the default groups

    def contains(self, group: str) -> bool:
        if group in self.exclude:
            return False
        return self.include is None or group in self.include

    def by_default(self, group: str) -> bool:
        """Selected only because it is a default group (uv says `(enabled by default)`)."""
        return self.contains(group) and not (
            self.explicit_include is None or group in self.explicit_include)


@dataclass(frozen=True, slots=True, kw_only=True)
class InstallFilter:
    """`--no-install-project`, `--no-install-workspace`, `--no-install-local`,
    `--no-install-package`: packages that stay in the selection (their dependencies are
    installed) but are not installed themselves."""

    no_install_project: bool = False
    no_install_workspace: bool = False
    no_install_local: bool = False
    no_install_packages: frozenset[str] = frozenset()

    def includes(self, name: str, *, is_local: bool, project: str | None,
                 members: frozenset[str]) -> bool:
        if self.no_install_project and name == project:
            return False
        if self.no_install_workspace and (name == project or name in members):
            return False
        if self.no_install_local and is_local:
            return False
        return name not in self.no_install_packages


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildPolicy:
    """`--no-binary` / `--no-build` (everything, or the named packages)."""

    no_binary: bool = False
    no_binary_packages: frozenset[str] = frozenset()
    no_build: bool = False
    no_build_packages: frozenset[str] = frozenset()

    def binary_disabled(self, name: str) -> bool:
        return self.no_binary or name in self.no_binary_packages

    def build_disabled(self, name: str) -> bool:
        return self.no_build or name in self.no_build_packages


# -- validation -----------------------------------------------------------------------------


def root_packages(lock: Lock, roots: Iterable[str]) -> list[LockPackage]:
    found: list[LockPackage] = []
    for name in roots:
        matches = lock.find(str(canonicalize_name(name)))
        if not matches:
            raise SelectionError(f"Could not find root package `{name}`")
        if len(matches) > 1:
            raise SelectionError(f"Found multiple packages matching `{name}`")
        found.append(matches[0])
    return found


def validate_request(lock: Lock, *, roots: Sequence[str], project: str | None,
                     extras: ExtrasRequest, groups: GroupsRequest) -> None:
    """The extras and groups the user named must exist on the roots (uv's checks and words).

    `project` names the single target project (its name appears in the extra error), `None`
    for `--all-packages` and virtual workspaces. Groups of a virtual root live in the lock's
    `[manifest]`."""
    packages = root_packages(lock, roots)
    if extras.explicit and (lock.version, lock.revision) >= (1, 1):
        known = {extra for package in packages
                 for extra in (*package.metadata.provides_extras,
                               *package.optional_dependencies)}
        for extra in extras.explicit:
            if extra not in known:
                if project is not None:
                    raise SelectionError(f"Extra `{extra}` is not defined in the "
                                         f"`optional-dependencies` table for `{project}`")
                raise SelectionError(f"Extra `{extra}` is not defined in any project's "
                                     "`optional-dependencies` table")
    if groups.explicit:
        known = {group for package in packages
                 for group in (*package.dev_dependencies, *package.metadata.requires_dev)}
        known.update(lock.manifest.dependency_groups)
        for group in groups.explicit:
            if group not in known:
                if project is not None:
                    raise SelectionError(f"Group `{group}` is not defined in the project's "
                                         "`dependency-groups` table")
                raise SelectionError(f"Group `{group}` is not defined in any project's "
                                     "`dependency-groups` table")


def _conjunction(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _conflict_item_text(item: ConflictItem) -> str:
    if item.extra is not None:
        return f"`{item.package}[{item.extra}]`"
    if item.group is not None:
        return f"`{item.package}:{item.group}`"
    return item.package


def check_conflicts(lock: Lock, *, roots: Sequence[str], extras: ExtrasRequest,
                    groups: Groups) -> None:
    """Extras and groups declared conflicting (`tool.uv.conflicts`) cannot be installed
    together: uv's error when the request enables two of one set."""
    if not lock.conflicts:
        return
    members = _reachable_members(lock, roots, extras, groups)
    for conflict_set in lock.conflicts:
        enabled = []
        for item in conflict_set:
            if item.package not in members:
                continue
            if item.extra is not None:
                on = extras.includes(item.extra)
            elif item.group is not None:
                on = groups.contains(item.group)
            else:
                on = groups.prod
            if on:
                enabled.append(item)
        if len(enabled) < 2:
            continue
        shown = ", ".join(_conflict_item_text(item) for item in conflict_set)
        if all(item.extra is not None for item in enabled):
            names = [f"`{item.extra}`" for item in enabled]
            raise SelectionError(f"Extras {_conjunction(names)} are incompatible with the "
                                 f"declared conflicts: {{{shown}}}")
        if all(item.group is not None for item in enabled):
            names = [f"`{item.group}`" + (" (enabled by default)"
                                          if groups.by_default(str(item.group)) else "")
                     for item in enabled]
            raise SelectionError(f"Groups {_conjunction(names)} are incompatible with the "
                                 f"conflicts: {{{shown}}}")
        words = []
        for item in enabled:
            if item.extra is not None:
                words.append(f"extra `{item.extra}`")
            elif item.group is not None:
                default = " (enabled by default)" if groups.by_default(item.group) else ""
                words.append(f"group `{item.group}`{default}")
            else:
                words.append(f"package `{item.package}`")
        words[0] = words[0][0].upper() + words[0][1:]
        raise SelectionError(f"{_conjunction(words)} are incompatible with the declared "
                             f"conflicts: {{{shown}}}")


def _reachable_members(lock: Lock, roots: Sequence[str], extras: ExtrasRequest,
                       groups: Groups) -> set[str]:
    """The roots and every workspace member their dependencies reach (markers ignored): the
    packages whose conflicts a request can trigger."""
    members = set(lock.manifest.members)
    found = {str(canonicalize_name(r)) for r in roots}
    queue: deque[tuple[str, str | None]] = deque()
    seen: set[tuple[str, str | None]] = set()

    def push(name: str, extra: str | None) -> None:
        if (name, extra) not in seen:
            seen.add((name, extra))
            queue.append((name, extra))

    for package in root_packages(lock, roots):
        if groups.prod:
            push(package.name, None)
            for extra in extras.selected(package.optional_dependencies):
                push(package.name, extra)
        for group, edges in package.dev_dependencies.items():
            if groups.contains(group):
                for edge in edges:
                    push(edge.name, None)
                    for extra in edge.extra:
                        push(edge.name, extra)
    while queue:
        name, wanted = queue.popleft()
        if name in members:
            found.add(name)
        for package in lock.find(name):
            edges = package.optional_dependencies.get(wanted, ()) if wanted is not None else \
                package.dependencies
            for edge in edges:
                push(edge.name, None)
                for edge_extra in edge.extra:
                    push(edge.name, edge_extra)
    return found
