"""`puv remove`: take requirements out of the project's `pyproject.toml`, then lock and sync.

Each package is removed from the table the flags name (`project.dependencies` by default;
`--dev` removes from both `dependency-groups.dev` and the legacy `tool.uv.dev-dependencies`),
every entry with that name whatever its marker; its `[tool.uv.sources]` entry goes too when
nothing else requires it. A package that is not there is uv's error, with a hint naming each
table it *is* in; nothing is written then. Unless `--frozen`, the project is locked again and
(unless `--no-sync`) the environment synced exactly: what the lock no longer lists is
uninstalled. As in uv, a failure to lock or sync leaves the edited `pyproject.toml` in place
(`add` restores it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from puv.errors import PuvError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Sequence

    from puv.cache import Cache
    from puv.settings import Settings
    from puv.types import Console
    from puv.workspace.edit import DependencyTarget, PyProjectEditor

__all__ = ["DependencyNotFound", "RemoveRequest", "remove"]


class DependencyNotFound(PuvError):
    """`puv remove` of a package that is not in the table asked for (uv: status 2)."""

    exit_code = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoveRequest:
    """What `puv remove` was asked to do (the command line, resolved)."""

    packages: tuple[str, ...]
    dev: bool = False
    group: str | None = None
    optional: str | None = None
    package: str | None = None
    frozen: bool = False
    locked: bool = False
    no_sync: bool = False
    active: bool | None = None


def _hint(name: str, target: DependencyTarget) -> str:
    """uv's hint for a table the package is in."""
    if target.kind == "project":
        return f"`{name}` is a production dependency"
    if target.kind == "dev":
        return f"`{name}` is a development dependency (try: `puv remove {name} --dev`)"
    if target.kind == "optional":
        return (f"`{name}` is an optional dependency (try: `puv remove {name} --optional "
                f"{target.name}`)")
    return f"`{name}` is in the `{target.name}` group (try: `puv remove {name} --group " \
        f"{target.name}`)"


def _not_found(editor: PyProjectEditor, name: str, where: str) -> DependencyNotFound:
    hints = [_hint(name, target) for target in editor.find_requirement(name)]
    return DependencyNotFound(f"The dependency `{name}` could not be found in {where}",
                              hint="\n\nhint: ".join(hints) or None)


def remove_requirements(editor: PyProjectEditor, packages: Sequence[str], *, dev: bool,
                        group: str | None, optional: str | None) -> None:
    """Remove `packages` from the table the flags name (see the module docstring); the
    first one that is not there raises `DependencyNotFound`."""
    from packaging.utils import canonicalize_name

    from puv.workspace.edit import DEV, PROJECT
    from puv.workspace.edit import group as group_target
    from puv.workspace.edit import optional as optional_target

    for package in packages:
        name = str(canonicalize_name(package))
        if dev or (group is not None and group_target(group).name == "dev"):
            removed = editor.remove_requirement(name, DEV)
            removed += editor.remove_requirement(name, group_target("dev"))
            where = ("`tool.uv.dev-dependencies` or `tool.uv.dependency-groups.dev`"
                     if dev else "`dependency-groups.dev`")
        elif group is not None:
            target = group_target(group)
            removed = editor.remove_requirement(name, target)
            where = f"`{target.describe()}`"
        elif optional is not None:
            target = optional_target(optional)
            removed = editor.remove_requirement(name, target)
            where = f"`{target.describe()}`"
        else:
            removed = editor.remove_requirement(name, PROJECT)
            where = "`project.dependencies`"
        if not removed:
            raise _not_found(editor, name, where)


def remove(request: RemoveRequest, *, project_dir: str, settings: Settings, cache: Cache,
           console: Console) -> int:
    """Run `puv remove` (see the module docstring); the exit status."""
    from puv.commands.project.add import AddError
    from puv.workspace.edit import PyProjectEditor
    from puv.workspace.project import discover_workspace

    try:
        workspace = discover_workspace(project_dir)
    except PuvError as exc:
        exc.exit_code = 2
        raise
    member = workspace.current
    if request.package is not None:
        member = workspace.member(request.package)
        if member is None:
            raise AddError(f"The workspace does not have a member {request.package}: "
                           f"{workspace.root}")
    pyproject = member.path if member is not None else os.path.join(workspace.root,
                                                                     "pyproject.toml")
    editor = PyProjectEditor.load(pyproject)
    original = editor.text()
    remove_requirements(editor, request.packages, dev=request.dev, group=request.group,
                        optional=request.optional)
    if editor.text() != original:
        editor.write()
    if request.frozen:
        return 0
    # Unlike `add`, uv leaves the edited file in place when locking or syncing fails.
    _lock_and_sync(pyproject, request, settings, cache, console)
    return 0


def _lock_and_sync(pyproject: str, request: RemoveRequest, settings: Settings, cache: Cache,
                   console: Console) -> None:
    from puv.commands.project.add import lock_and_sync_after_edit

    lock_and_sync_after_edit(os.path.dirname(pyproject), settings, cache, console,
                             locked=request.locked, no_sync=request.no_sync,
                             active=request.active, package=request.package, exact=True)
