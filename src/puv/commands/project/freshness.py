"""The freshness stamp: how `puv run` knows, without locking or syncing, that nothing changed
since the project environment was last synced.

After a successful sync, `record(environment_root, workspace_root, key)` writes a stamp into
the environment (`<env>/.puv-stamp`, a `marshal`led dict): the selection key, and a signature
of everything that sync depended on:

- the `pyproject.toml` of the workspace root and of every member, `uv.lock`;
- `pyproject.toml` in every directory above the root (present or absent: a new workspace
  root above would change discovery), and the directories that `tool.uv.workspace.members`
  globs list (a new member directory changes their modification time);
- `.python-version` / `.python-versions` from each member up to the file system root, and
  the user's `~/.config/uv/.python-version`;
- the environment: `pyvenv.cfg`, the interpreter `bin/python` resolves to, and each
  `site-packages` directory (installing or removing a distribution adds or removes a
  directory there, which changes its modification time).

A file's signature is its size, modification and change times (ns) and inode, or `None` when
it is absent. The change time catches edits that restore the modification time; for a file
modified within two seconds of the recording (where a later edit could keep every one of
those), a CRC-32 of the contents is kept too and compared, as git does for "racy" entries.

`fresh_environment(start, key)` is the other end, on `puv run`'s hot path: from the project
directory it finds the nearest `pyproject.toml`, looks for a stamp in the project environment
of that directory and of those above it, and returns the environment if every signature still
matches. It imports nothing beyond `os` and `marshal` (docs/startup.md). Any doubt (no stamp,
an unreadable one, another key, a version file below the member) means "not fresh": the
caller then locks and syncs as usual, which records a new stamp.

The selection key (`selection_key`) is the text of every input that decides what a sync
installs and that the files above do not show: the selection flags (extras, groups, editable,
package, frozen) and the settings (indexes, resolver and build options, `--python`, the
merged `[tool.uv]` options). `puv sync` and `puv run` compute it the same way, so a run after
a sync with the same selection is fresh.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from puv.settings import Settings

__all__ = [
    "STAMP_NAME",
    "forget",
    "fresh_environment",
    "project_environment_path",
    "record",
    "selection_key",
    "settings_text",
]

STAMP_NAME = ".puv-stamp"
_FORMAT = 1
_RACY_NS = 2_000_000_000  # a file modified this close to the recording gets a CRC too
_VERSION_FILES = (".python-version", ".python-versions")

Signature = tuple[int, int, int, int]


def _canonical(names: Iterable[str]) -> tuple[str, ...]:
    import re

    return tuple(sorted({re.sub(r"[-_.]+", "-", name).lower() for name in names}))


def selection_key(
    settings: Settings,
    *,
    extras: Iterable[str] = (),
    all_extras: bool = False,
    no_extras: Iterable[str] = (),
    groups: Iterable[str] = (),
    no_groups: Iterable[str] = (),
    only_groups: Iterable[str] = (),
    all_groups: bool = False,
    no_default_groups: bool = False,
    dev: bool = False,
    no_dev: bool = False,
    only_dev: bool = False,
    no_editable: bool = False,
    packages: Iterable[str] = (),
    all_packages: bool = False,
    frozen: bool = False,
) -> str:
    """The key a stamp is recorded and checked under (see the module docstring). Pass the
    selection as the command line gave it; names are normalized here."""
    selection = (
        _canonical(extras), all_extras, _canonical(no_extras), _canonical(groups),
        _canonical(no_groups), _canonical(only_groups), all_groups, no_default_groups, no_dev,
        only_dev, no_editable, _canonical(packages) or None, all_packages, frozen,
    ) + ((dev,) if dev else ())
    return repr((_FORMAT, selection, settings_text(settings)))


def settings_text(settings: Settings) -> str:
    """The settings that decide what a resolution or an install gives, as text."""
    s = settings
    return repr((
        s.python, s.python_preference, s.indexes, s.default_index, s.find_links, s.no_index,
        s.index_strategy, s.resolution, s.prerelease, s.exclude_newer, s.no_build,
        s.no_build_package, s.no_binary, s.no_binary_package, s.no_build_isolation,
        s.no_build_isolation_package, s.config_settings, s.constraint_dependencies,
        s.override_dependencies, s.build_constraint_dependencies, s.dependency_metadata,
        s.constraints, s.overrides, s.build_constraints, s.link_mode, s.compile_bytecode,
        s.options,
    ))


def project_environment_path(workspace_root: str, *, active: bool = False,
                             environ: Mapping[str, str] | None = None) -> str:
    """Where the project environment of a workspace lives, as uv decides: the active
    environment with `--active`, else `UV_PROJECT_ENVIRONMENT` (relative to the workspace
    root), else `<root>/.venv`."""
    environ = os.environ if environ is None else environ
    if active and environ.get("VIRTUAL_ENV"):
        return os.path.normpath(os.path.join(os.getcwd(), environ["VIRTUAL_ENV"]))
    configured = environ.get("UV_PROJECT_ENVIRONMENT")
    if configured:
        return os.path.normpath(os.path.join(workspace_root, os.path.expanduser(configured)))
    return os.path.join(workspace_root, ".venv")


# -- signatures --------------------------------------------------------------------------


def _signature(path: str) -> Signature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _crc(path: str) -> int | None:
    import zlib  # only for files modified just before the stamp was written

    try:
        with open(path, "rb") as handle:
            return zlib.crc32(handle.read())
    except OSError:
        return None


def _bin(environment: str) -> str:
    return os.path.join(environment, "Scripts" if os.name == "nt" else "bin")


def _interpreter(environment: str) -> str:
    return os.path.join(_bin(environment), "python.exe" if os.name == "nt" else "python")


def _site_packages(environment: str) -> list[str]:
    if os.name == "nt":  # pragma: no cover - Windows
        return [os.path.join(environment, "Lib", "site-packages")]
    lib = os.path.join(environment, "lib")
    try:
        names = sorted(os.listdir(lib))
    except OSError:
        return []
    return [os.path.join(lib, name, "site-packages") for name in names
            if name.startswith(("python", "pypy"))]


def _user_version_file(environ: Mapping[str, str]) -> str:
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "uv", ".python-version")


def _glob_directories(root: str, patterns: Iterable[str]) -> list[str]:
    """The directories a workspace's member globs list: the part of each pattern before its
    first wildcard."""
    found = []
    for pattern in patterns:
        parts = []
        for part in pattern.replace("\\", "/").split("/"):
            if any(c in part for c in "*?["):
                break
            parts.append(part)
        found.append(os.path.normpath(os.path.join(root, *parts)))
    return found


# -- recording -----------------------------------------------------------------------------


def _watched(environment_root: str, workspace_root: str,
             environ: Mapping[str, str]) -> tuple[list[str], list[str], list[str]]:
    """(files, directories, member roots) a stamp watches."""
    from puv.fs import ancestors
    from puv.workspace.project import discover_workspace

    workspace = discover_workspace(workspace_root)
    members = sorted({m.root for m in workspace.members} | {workspace.root})
    files = [os.path.join(root, "pyproject.toml") for root in members]
    files.append(workspace.lock_path)
    parent = os.path.dirname(workspace.root)
    if parent != workspace.root:
        files += [os.path.join(d, "pyproject.toml") for d in ancestors(parent)]
    for member in members:
        between = True  # a `pyproject.toml` between a member and the root changes discovery
        for directory in ancestors(member):
            files += [os.path.join(directory, name) for name in _VERSION_FILES]
            between = between and directory != workspace.root
            if between:
                files.append(os.path.join(directory, "pyproject.toml"))
    files.append(_user_version_file(environ))
    files += [os.path.join(environment_root, "pyvenv.cfg"), _interpreter(environment_root)]
    globs = workspace.tool_uv.get("workspace", {})
    patterns = globs.get("members", []) if isinstance(globs, dict) else []
    directories = _glob_directories(workspace.root, [p for p in patterns if isinstance(p, str)])
    directories += _site_packages(environment_root)
    return sorted(set(files)), sorted(set(directories)), members


def record(environment_root: str, workspace_root: str, selection_key: str, *,
           exact: bool = False, environ: Mapping[str, str] | None = None,
           summary: tuple[int, int] | None = None) -> None:
    """Write the stamp of a sync that just succeeded (see the module docstring).

    `selection_key` comes from `selection_key(...)`; `exact` says the sync removed
    extraneous packages (`puv sync`), which also satisfies a later inexact `puv run`.
    `summary` (packages in the lock, packages checked) lets a later no-op `puv sync` print
    uv's two lines without reading the lock. A stamp that cannot be written is not an error:
    the next run syncs again."""
    import marshal
    import time

    from puv.errors import PuvError

    environ = os.environ if environ is None else environ
    now = time.time_ns()
    try:
        files, directories, members = _watched(environment_root, workspace_root, environ)
    except (PuvError, OSError):
        forget(environment_root)  # without a stamp, the next run syncs
        return
    signatures: dict[str, Signature | None] = {}
    crcs: dict[str, int | None] = {}
    for path in files:
        signature = _signature(path)
        signatures[path] = signature
        if signature is not None and now - signature[1] < _RACY_NS:
            crcs[path] = _crc(path)
    stamp: dict[str, Any] = {
        "format": _FORMAT,
        "key": selection_key,
        "exact": exact,
        "root": os.path.abspath(workspace_root),
        "members": members,
        "files": signatures,
        "crcs": crcs,
        "directories": {d: _signature(d) for d in directories},
        "summary": summary,
    }
    from puv.fs import write_atomic

    try:
        write_atomic(os.path.join(environment_root, STAMP_NAME), marshal.dumps(stamp))
    except OSError:
        pass


def forget(environment_root: str) -> None:
    """Remove an environment's stamp (before changing the environment another way)."""
    try:
        os.unlink(os.path.join(environment_root, STAMP_NAME))
    except OSError:
        pass


# -- checking (the hot path) ---------------------------------------------------------------


def _load(environment: str) -> dict[str, Any] | None:
    import marshal

    try:
        with open(os.path.join(environment, STAMP_NAME), "rb") as handle:
            stamp = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(stamp, dict) or stamp.get("format") != _FORMAT:
        return None
    return stamp


def _unchanged(stamp: dict[str, Any]) -> bool:
    crcs = stamp.get("crcs", {})
    for path, expected in stamp["files"].items():
        if _signature(path) != expected:
            return False
        if path in crcs and _crc(path) != crcs[path]:
            return False
    return all(_signature(d) == expected for d, expected in stamp["directories"].items())


def _settle(environment: str, stamp: dict[str, Any]) -> None:
    """Drop the CRCs of files that are no longer "racy" (their contents just matched, and a
    later edit would now change their modification time), so later runs read no file."""
    import time

    crcs = stamp.get("crcs")
    if not crcs:
        return
    now = time.time_ns()
    settled = {path: crc for path, crc in crcs.items()
               if now - stamp["files"][path][1] < _RACY_NS}
    if settled != crcs:
        import marshal

        from puv.fs import write_atomic

        try:
            write_atomic(os.path.join(environment, STAMP_NAME),
                         marshal.dumps({**stamp, "crcs": settled}))
        except OSError:
            pass


def fresh_environment(start: str, key: str, *, exact: bool = False, active: bool = False,
                      environ: Mapping[str, str] | None = None) -> str | None:
    """The project environment for a run from `start`, if its stamp says nothing changed
    since a sync with `key`; else `None` (see the module docstring)."""
    environ = os.environ if environ is None else environ
    directory = os.path.abspath(start)
    below: list[str] = []
    while not os.path.isfile(os.path.join(directory, "pyproject.toml")):
        below.append(directory)
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
    nearest = directory
    # A version file between `start` and the member is not in any stamp.
    for path in below:
        if any(os.path.exists(os.path.join(path, name)) for name in _VERSION_FILES):
            return None
    candidate = nearest
    while True:
        if os.path.isfile(os.path.join(candidate, "pyproject.toml")):
            environment = project_environment_path(candidate, active=active, environ=environ)
            virtual_env = environ.get("VIRTUAL_ENV")
            if virtual_env and not active and environment != os.path.normpath(
                    os.path.join(os.getcwd(), virtual_env)):
                return None  # another environment is active: the sync path warns about it
            stamp = _load(environment)
            if stamp is not None and stamp["root"] == candidate:
                if stamp["key"] != key or (exact and not stamp["exact"]):
                    return None
                if nearest not in stamp["members"]:
                    return None
                if not _unchanged(stamp):
                    return None
                _settle(environment, stamp)
                return environment
        parent = os.path.dirname(candidate)
        if parent == candidate:
            return None
        candidate = parent


def recorded_summary(environment: str) -> tuple[int, int] | None:
    """The (locked, checked) package counts the last sync recorded in the stamp."""
    stamp = _load(environment)
    summary = stamp.get("summary") if stamp is not None else None
    if isinstance(summary, tuple) and len(summary) == 2:
        return int(summary[0]), int(summary[1])
    return None
