"""`puv version`: read or update the project's version, as uv 0.13.8 does.

Two steps, so that reading costs neither settings nor an interpreter:

1. `prepare` finds the project (`--package` picks a workspace member), reads `project.version`
   (uv's errors for a dynamic, missing or invalid version) and works out the new version: the
   value given (normalized: `v2.0` is `2.0`), or the old one with the `--bump`s applied
   (`bump_version`), which must be higher;
2. `update` writes the new version into `pyproject.toml` (the key's spacing and comment kept,
   atomically), then, unless `--frozen`, locks (`--locked`: the lock must not change) and,
   unless `--no-sync`, syncs the target's environment as `add` does (default groups, nothing
   removed). If locking or syncing fails, `pyproject.toml` and `uv.lock` are put back byte
   for byte, as uv does.

`--dry-run` stops after step 1. The CLI prints the outcome (`VersionPlan`).

Bumps (`Bump`, `--bump KIND[=N]`) are applied in uv's fixed order, largest first: `major`,
`minor`, `patch` set one release number (to N, else one more) and zero the ones after it,
dropping the pre-release, post and dev parts; `stable` drops those three; `alpha`, `beta`,
`rc` count up the pre-release of that kind, or start it at 1 (dropping post and dev); `post`
counts up the post-release (dropping dev); `dev` counts up the dev part. The epoch and the
local part are kept. uv refuses `stable` or `post` with any other bump, and more than one
release or pre-release (`dev` included) component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from puv.errors import PuvError

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Sequence

    from packaging.version import Version

    from puv.cache import Cache
    from puv.settings import Settings
    from puv.types import Console
    from puv.workspace.project import Member, Workspace

__all__ = [
    "BUMP_KINDS",
    "Bump",
    "VersionError",
    "VersionPlan",
    "VersionRequest",
    "bump_version",
    "parse_bump",
    "parse_version",
    "prepare",
    "update",
]

BUMP_KINDS = ("major", "minor", "patch", "stable", "alpha", "beta", "rc", "post", "dev")
_RELEASE = ("major", "minor", "patch")
_PRE = {"alpha": "a", "beta": "b", "rc": "rc"}
_U64_MAX = 2**64 - 1
_NUMBER_MAX = 2**64 - 2  # the largest number uv's version parser takes


class VersionError(PuvError):
    """What uv refuses before it changes anything (uv ends these with status 2)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Bump:
    """One `--bump KIND[=VALUE]`."""

    kind: str
    value: int | None = None

    def __str__(self) -> str:
        return self.kind if self.value is None else f"{self.kind}={self.value}"


def parse_bump(text: str) -> Bump:
    """`major`, `dev=3`... as `Bump`; a `ValueError` with uv's words otherwise."""
    kind, eq, value = text.partition("=")
    if kind not in BUMP_KINDS:
        raise ValueError(f"invalid bump component `{kind}`")
    if not eq:
        return Bump(kind)
    if kind == "stable":
        raise ValueError("`--bump stable` does not accept a value")
    if not value:
        raise ValueError("`--bump` values cannot be empty")
    if not re.fullmatch(r"\+?[0-9]+", value) or int(value) > _U64_MAX:
        raise ValueError(f"invalid numeric value `{value}` for `--bump {kind}`")
    return Bump(kind, int(value))


def _check_bumps(bumps: Sequence[Bump]) -> None:
    """uv's rules for combining `--bump`s (in uv's order of checks)."""
    given = ", ".join(map(str, bumps))
    for alone in ("stable", "post"):
        if len(bumps) > 1 and any(b.kind == alone for b in bumps):
            raise VersionError(f"`--bump {alone}` cannot be used with another `--bump` value, "
                               f"got: {given}")
    release = [b for b in bumps if b.kind in _RELEASE]
    if len(release) > 1:
        raise VersionError("Only one release version component can be provided to `--bump`, "
                           f"got: {', '.join(map(str, release))}")
    pre = [b for b in bumps if b.kind in _PRE or b.kind == "dev"]
    if len(pre) > 1:
        raise VersionError("Only one pre-release version component can be provided to "
                           f"`--bump`, got: {', '.join(map(str, pre))}")


def _apply(version: Version, bumps: Sequence[Bump]) -> Version:
    """The bumps applied in uv's order (see the module docstring)."""
    from packaging.version import Version

    release = list(version.release)
    pre: tuple[str, int] | None = version.pre
    post = version.post
    dev = version.dev
    for bump in sorted(bumps, key=lambda b: BUMP_KINDS.index(b.kind)):
        if bump.kind in _RELEASE:
            index = _RELEASE.index(bump.kind)
            release += [0] * (index + 1 - len(release))
            release[index] = bump.value if bump.value is not None else release[index] + 1
            release[index + 1:] = [0] * (len(release) - index - 1)
            pre = post = dev = None
        elif bump.kind == "stable":
            pre = post = dev = None
        elif bump.kind in _PRE:
            letter = _PRE[bump.kind]
            if bump.value is not None:
                number = bump.value
            else:
                number = pre[1] + 1 if pre is not None and pre[0] == letter else 1
            pre, post, dev = (letter, number), None, None
        elif bump.kind == "post":
            post = bump.value if bump.value is not None else (post + 1 if post is not None
                                                              else 1)
            dev = None
        else:
            dev = bump.value if bump.value is not None else (dev + 1 if dev is not None else 1)
    text = f"{version.epoch}!" if version.epoch else ""
    text += ".".join(map(str, release))
    if pre is not None:
        text += f"{pre[0]}{pre[1]}"
    if post is not None:
        text += f".post{post}"
    if dev is not None:
        text += f".dev{dev}"
    if version.local is not None:
        text += f"+{version.local}"
    return Version(text)


def bump_version(old: Version, bumps: Sequence[Bump]) -> Version:
    """`old` with `bumps` applied; uv's `VersionError` when they cannot be combined or the
    result is not higher than `old`."""
    _check_bumps(bumps)
    new = _apply(old, bumps)
    if new > old:
        return new
    if new.dev is not None and old.dev is None:
        why = ("when bumping to a dev version you also need to increase another version "
               "component, e.g., with `--bump <major|minor|patch|alpha|beta|rc>`")
    elif new.pre is not None and old.pre is None and old.dev is None:
        why = ("when bumping to a pre-release version you also need to increase a release "
               "version component, e.g., with `--bump <major|minor|patch>`")
    else:
        why = "provide the exact version to force an update"
    raise VersionError(f"{old} => {new} didn't increase the version; {why}")


def parse_version(text: str) -> Version:
    """A PEP 440 version; a `ValueError` with uv's words when `text` is not one."""
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(text)
    except InvalidVersion:
        raise ValueError(_invalid(text)) from None
    for digits in re.findall(r"[0-9]+", text.split("+", 1)[0]):
        if int(digits) > _NUMBER_MAX:
            raise ValueError(f"expected number less than or equal to {_NUMBER_MAX}, but "
                             f"number found in \"{digits}\" exceeds it")
    return parsed


def _invalid(text: str) -> str:
    """Why `text` is not a version, in the words of uv's parser: what it could read, and
    what it could not."""
    from packaging.version import VERSION_PATTERN

    text = text.lstrip()
    if re.match(r"v?[0-9]+!(?![0-9])", text, re.IGNORECASE):
        return ("expected version to have a non-empty release component after an epoch, but "
                "no ASCII digits after the epoch were found")
    found = re.match(VERSION_PATTERN, text, re.VERBOSE | re.IGNORECASE)
    if found is None:
        return "expected version to start with a number, but no leading ASCII digits were found"
    end = found.end()
    while end < len(text) and text[end].isspace():
        end += 1
    rest = text[end:]
    if rest.startswith("+"):
        return ("found a `+` indicating the start of a local component in a version, but did "
                "not find any alphanumeric ASCII segment following the `+`")
    if rest.rstrip() == ".*":
        return "wildcards are not allowed in a version"
    return f"after parsing `{text[:end]}`, found `{rest}`, which is not part of a valid version"


# -- the command ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionRequest:
    """What `puv version` was asked to do (the command line, resolved)."""

    value: str | None = None
    bumps: tuple[Bump, ...] = ()
    dry_run: bool = False
    package: str | None = None
    frozen: bool = False
    locked: bool = False
    no_sync: bool = False
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class VersionPlan:
    """The project's version and, when one was asked for, the new one (both normalized)."""

    project_dir: str
    pyproject: str
    name: str
    old: str
    new: str | None


def prepare(request: VersionRequest, *, project_dir: str) -> VersionPlan:
    """Step 1 (see the module docstring): read the version, work out the new one."""
    from puv.workspace.project import ProjectNotFound, discover_workspace

    try:
        workspace = discover_workspace(project_dir)
    except ProjectNotFound as exc:
        raise VersionError(exc.message, hint="If you meant to view puv's version, use "
                           "`puv --version` instead") from None
    except PuvError as exc:
        exc.exit_code = max(exc.exit_code, 2)
        raise
    member = _target(workspace, request.package)
    current = _current_version(member)
    if request.frozen and request.value is None and not request.bumps:
        # uv answers `--frozen` from the lock, even for a dynamic version.
        return VersionPlan(project_dir, member.path, member.name,
                           _locked_version(workspace, member), None)
    if current is None:
        from puv.commands.project.environment import display_path

        raise VersionError("We cannot get or set dynamic project versions in: "
                           f"{display_path(member.path)}")
    new: Version | None = None
    if request.value is not None:
        try:
            new = parse_version(request.value)
        except ValueError as exc:
            raise VersionError(str(exc)) from None
    elif request.bumps:
        new = bump_version(current, request.bumps)
    return VersionPlan(project_dir, member.path, member.name, str(current),
                       None if new is None else str(new))


def _target(workspace: Workspace, package: str | None) -> Member:
    if package is not None:
        member = workspace.member(package)
        if member is None:
            raise VersionError(f"The workspace does not have a member {package}: "
                               f"{workspace.root}")
        return member
    if workspace.current is None:
        raise VersionError(f"No `project` table found in: {workspace.pyproject_path}")
    return workspace.current


def _current_version(member: Member) -> Version | None:
    """`project.version`, parsed (`None` when it is dynamic); uv's errors when it is missing
    or invalid."""
    from puv.commands.project.environment import display_path

    if member.version is None:
        if "version" in member.dynamic:
            return None
        raise _parse_error(member.path, display_path(member.path), None,
                           "`pyproject.toml` is using the `[project]` table, but the required "
                           "`project.version` field is neither set nor present in the "
                           "`project.dynamic` list")
    try:
        return parse_version(member.version)
    except ValueError as exc:
        raise _parse_error(member.path, display_path(member.path), "version",
                           str(exc)) from None


def _locked_version(workspace: Workspace, member: Member) -> str:
    """The version `uv.lock` records for `member` (`--frozen`)."""
    from puv.commands.project.lock import read_existing_lock
    from puv.lock.model import DirectorySource, EditableSource, PathSource, VirtualSource

    lock = read_existing_lock(workspace)
    if lock is None:
        from puv.commands.project.lock import missing_lock

        raise missing_lock("`--frozen`")
    local = (DirectorySource, EditableSource, PathSource, VirtualSource)
    found = next((p for p in lock.packages
                  if p.name == member.name and isinstance(p.source, local)), None)
    if found is None:
        raise PuvError("The lockfile at `uv.lock` needs to be updated, but `--frozen` was "
                       f"provided: Missing workspace member `{member.name}`.",
                       hint="To update the lockfile, run `puv lock`.")
    if found.version is None:
        raise VersionError(f"Failed to find the {member.name}'s version in the frozen lockfile")
    return found.version


def _parse_error(path: str, display: str, key: str | None, detail: str) -> VersionError:
    """uv's error for a `pyproject.toml` it cannot read: the line of `project.<key>` (or the
    `[project]` header when `key` is `None`) shown with a caret under the value."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        text = ""
    found = _locate(text, key)
    if found is None:
        return VersionError(f"Failed to parse: {display}\n  cause: {detail}")
    number, column, width = found
    line = text.splitlines()[number - 1]
    pad = " " * len(str(number))
    snippet = (f"TOML parse error at line {number}, column {column}\n"
               f"{pad} |\n{number} | {line}\n{pad} | {' ' * (column - 1)}{'^' * width}\n"
               f"{detail}")
    return VersionError(f"Failed to parse: {display}\n  cause: "
                        + snippet.replace("\n", "\n" + " " * 9))


_HEADER = re.compile(r"\s*\[\s*([A-Za-z0-9_.\s\"'-]+?)\s*\]")
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^\s#]+")


def _locate(text: str, key: str | None) -> tuple[int, int, int] | None:
    """(line, column, width) of the value of `project.<key>` in `text`, or of the `[project]`
    header when `key` is `None` (1-based; a plain scan of the lines: enough for a key uv
    read)."""
    table: str | None = ""
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("[["):
            table = None
            continue
        header = _HEADER.match(line)
        if header is not None:
            table = re.sub(r"[\s\"']", "", header.group(1))
            if key is None and table == "project":
                start = len(line) - len(line.lstrip())
                return number, start + 1, header.end() - start
            continue
        if key is None:
            continue
        name = re.escape(key)
        pattern = {"project": rf"\s*{name}\s*=\s*", "": rf"\s*project\s*\.\s*{name}\s*=\s*"}
        wanted = pattern.get(table) if table is not None else None
        found = re.match(wanted, line) if wanted is not None else None
        if found is not None:
            value = _STRING.match(line, found.end())
            if value is not None:
                return number, found.end() + 1, value.end() - found.end()
    return None


def update(plan: VersionPlan, request: VersionRequest, *, settings: Settings, cache: Cache,
           console: Console) -> None:
    """Step 2 (see the module docstring): write the new version, lock and sync."""
    from puv.commands.project.environment import display_path
    from puv.fs import restore_files, snapshot_files
    from puv.workspace.edit import PyProjectEditor
    from puv.workspace.project import discover_workspace

    assert plan.new is not None
    editor = PyProjectEditor.load(plan.pyproject)
    if not editor.set_version(plan.new):
        raise VersionError(f"There is no 'project.version' field in: "
                           f"{display_path(plan.pyproject)}")
    workspace = discover_workspace(plan.project_dir)
    saved = snapshot_files((plan.pyproject, workspace.lock_path))
    editor.write()  # even unchanged, as uv: the project is then rebuilt by the sync
    if request.frozen:
        return
    try:
        _lock_and_sync(plan, request, settings, cache, console)
    except BaseException:
        restore_files(saved)
        raise


def _lock_and_sync(plan: VersionPlan, request: VersionRequest, settings: Settings,
                   cache: Cache, console: Console) -> None:
    from puv.commands.project.add import lock_and_sync_after_edit

    lock_and_sync_after_edit(plan.project_dir, settings, cache, console,
                             locked=request.locked, no_sync=request.no_sync,
                             active=request.active, package=request.package, exact=False,
                             lock_must_exist=True)
