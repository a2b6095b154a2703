"""Changing an environment all at once, or not at all: stage, then commit or roll back.

An install (or uninstall, or both, as `pip sync` does) happens in three steps:

1. **Stage.** New files are linked or written under a hidden directory inside site-packages
   (`.puv-tx-<id>/`), one sub-directory per destination (site-packages, scripts, data...),
   mirroring where they will go. Nothing the environment uses has changed yet; a failure here
   just removes the staging directory.
2. **Commit.** The operations are computed and written to a journal first: each staged
   top-level entry is renamed into place (a package directory is *one* rename when it is
   new; a directory that exists already, such as `bin/` or a namespace package, is merged
   entry by entry), a file in the way is first renamed into a backup, and each file to remove
   is renamed into a trash directory; a missing destination directory is made by a journaled
   `mkdir`. `.dist-info` directories go last, so a package is never visible as installed
   before its files are.
3. **Done.** Deleting the journal is the commit point; the trash and backups are deleted
   after it.

If an operation fails, the journal is replayed backwards at once; if the process dies (a
crash, `SIGKILL`, power), the next puv that takes the environment's lock finds the journal
(`recover`) and replays it backwards. Either way the environment is as it was. Every step is a
`rename` within one file system, which is atomic, so replaying is exact: a staged path that
is gone was moved into place; a backup or trash entry that exists holds what was there.

For tests, `PUV_TEST_FAIL_AFTER_OPS=N` makes the commit fail after N operations and
`PUV_TEST_KILL_AFTER_OPS=N` kills the process there (see docs/testing.md).
"""

from __future__ import annotations

import errno
import json
import os

from puv.errors import InstallError
from puv.fs import remove_tree, write_atomic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.installer.layout import Layout

__all__ = ["Transaction", "recover"]

_PREFIX = ".puv-tx-"
_JOURNAL = "journal.json"


class Transaction:
    """Staged changes to one environment (see the module docstring)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.root = os.path.join(layout.purelib, f"{_PREFIX}{os.getpid()}-{os.urandom(4).hex()}")
        self._stages: dict[str, str] = {}  # destination directory -> its staging directory
        self._removals: list[str] = []
        import threading

        self._lock = threading.Lock()  # wheels are staged from several threads
        os.makedirs(self.root)

    def stage_for(self, destination: str) -> str:
        """The staging directory whose contents will go into `destination`."""
        destination = os.path.abspath(destination)
        stage = self._stages.get(destination)
        if stage is None:
            with self._lock:
                stage = self._stages.get(destination)
                if stage is None:
                    stage = os.path.join(self.root, str(len(self._stages)))
                    os.mkdir(stage)
                    self._stages[destination] = stage
        return stage

    def remove(self, path: str) -> None:
        """Remove the file `path` at commit."""
        self._removals.append(path)

    def discard(self) -> None:
        """Forget everything staged (nothing was changed)."""
        if os.path.lexists(self.root):
            remove_tree(self.root)

    def commit(self) -> None:
        """Apply every change, or none (see the module docstring)."""
        ops = self._plan()
        journal = os.path.join(self.root, _JOURNAL)
        write_atomic(journal, json.dumps(ops))
        fail_after = _test_counter("PUV_TEST_FAIL_AFTER_OPS")
        kill_after = _test_counter("PUV_TEST_KILL_AFTER_OPS")
        done = 0
        try:
            for op in ops:
                if done == kill_after:
                    import signal

                    os.kill(os.getpid(), signal.SIGKILL)
                if done == fail_after:
                    raise OSError(errno.EIO, "simulated failure (PUV_TEST_FAIL_AFTER_OPS)")
                _apply(op)
                done += 1
        except BaseException as exc:
            _rollback(ops)
            self.discard()
            if isinstance(exc, OSError):
                where = f" at `{exc.filename}`" if exc.filename else ""
                raise InstallError(
                    f"Failed to change the environment at `{self.layout.root}`: "
                    f"{exc.strerror or exc}{where}; it was left as it was") from exc
            raise
        os.unlink(journal)  # the commit point
        self.discard()
        self._prune_empty_directories()

    # -- planning --------------------------------------------------------------------------

    def _plan(self) -> list[list[str | None]]:
        ops: list[list[str | None]] = []
        removed: set[str] = set()
        trash = os.path.join(self.root, "trash")
        for index, path in enumerate(self._removals):
            if path in removed or not os.path.lexists(path):
                continue
            ops.append(["rm", path, os.path.join(trash, str(index))])
            removed.add(path)
        moves: list[list[str | None]] = []
        counter = [0]
        made: set[str] = set()
        for destination, stage in self._stages.items():
            if not os.path.lexists(destination) and os.listdir(stage):
                # A directory the commit makes (`include/site/...` for headers) is journaled
                # too, so that a rollback removes it.
                missing: list[str] = []
                parent = destination
                while parent not in made and not os.path.lexists(parent):
                    missing.append(parent)
                    parent = os.path.dirname(parent)
                for directory in reversed(missing):
                    moves.append(["mkdir", directory, None])
                    made.add(directory)
            self._plan_moves(stage, destination, removed, moves, counter)
        # `.dist-info` last: a package is never visible before its files are. A `.dist-info`
        # that exists (the same version again) is merged file by file: those go last too.
        moves.sort(key=lambda op: str(op[2]).endswith(".dist-info")
                   or f".dist-info{os.sep}" in str(op[2]))
        return ops + moves

    def _plan_moves(self, stage: str, destination: str, removed: set[str],
                    moves: list[list[str | None]], counter: list[int]) -> None:
        for name in sorted(os.listdir(stage)):
            source = os.path.join(stage, name)
            target = os.path.join(destination, name)
            present = target not in removed and os.path.lexists(target)
            if not present:
                moves.append(["mv", source, target, None])
            elif os.path.isdir(target) and not os.path.islink(target) \
                    and os.path.isdir(source) and not os.path.islink(source):
                self._plan_moves(source, target, removed, moves, counter)
            else:
                counter[0] += 1
                backup = os.path.join(self.root, "backup", str(counter[0]))
                moves.append(["mv", source, target, backup])

    def _prune_empty_directories(self) -> None:
        """Remove directories that the removals left empty (up to, not including, the
        environment's own directories)."""
        keep = {os.path.abspath(p) for p in (
            self.layout.root, self.layout.purelib, self.layout.platlib, self.layout.scripts,
            self.layout.data, self.layout.include)}
        parents = sorted({os.path.dirname(p) for p in self._removals}, key=len, reverse=True)
        for directory in parents:
            while directory not in keep and directory.startswith(self.layout.root + os.sep):
                try:
                    os.rmdir(directory)
                except OSError:
                    break
                directory = os.path.dirname(directory)


def _test_counter(name: str) -> int:
    from puv.settings import env

    value = env.integer(name)
    return -1 if value is None else value


def _apply(op: list[str | None]) -> None:
    kind, first, second = op[0], str(op[1]), str(op[2])
    if kind == "mkdir":
        try:
            os.mkdir(first)
        except FileExistsError:
            pass
        return
    if kind == "rm":
        os.makedirs(os.path.dirname(second), exist_ok=True)
        os.rename(first, second)
        return
    backup = op[3]
    if backup is not None:
        os.makedirs(os.path.dirname(backup), exist_ok=True)
        os.rename(second, backup)
    parent = os.path.dirname(second)
    if not os.path.isdir(parent):
        os.makedirs(parent, exist_ok=True)
    try:
        os.rename(first, second)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        _move_across_devices(first, second)


def _move_across_devices(source: str, target: str) -> None:
    """The destination is on another file system (scripts elsewhere than site-packages):
    copy, then remove the staged copy (which marks the move as done)."""
    import shutil

    if os.path.isdir(source) and not os.path.islink(source):
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target, follow_symlinks=False)
    remove_tree(source)


def _rollback(ops: list[list[str | None]]) -> None:
    """Undo the operations that happened, newest first (see the module docstring)."""
    for op in reversed(ops):
        kind, first, second = op[0], str(op[1]), str(op[2])
        try:
            if kind == "mkdir":
                os.rmdir(first)  # empty again once what was moved into it is back
                continue
            if kind == "rm":
                if os.path.lexists(second):
                    os.makedirs(os.path.dirname(first), exist_ok=True)
                    os.rename(second, first)
                continue
            backup = op[3]
            if not os.path.lexists(first) and os.path.lexists(second):
                os.makedirs(os.path.dirname(first), exist_ok=True)
                os.rename(second, first)
            if backup is not None and os.path.lexists(backup):
                os.rename(backup, second)
        except OSError:
            continue  # do as much as can be done; the rest stays in the staging directory


def recover(layout: Layout) -> list[str]:
    """Roll back the transactions an interrupted puv left in this environment (the caller
    holds the environment's lock); the staging directories that were cleaned up."""
    cleaned: list[str] = []
    for directory in dict.fromkeys(layout.site_packages):
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            if not name.startswith(_PREFIX):
                continue
            root = os.path.join(directory, name)
            journal = os.path.join(root, _JOURNAL)
            try:
                with open(journal, encoding="utf-8") as handle:
                    ops = json.load(handle)
            except (OSError, ValueError):
                ops = None  # interrupted while staging: nothing was changed
            if _is_ours(ops, root, layout):
                _rollback(ops)
            remove_tree(root)
            cleaned.append(root)
    return cleaned


def _is_ours(ops: object, root: str, layout: Layout) -> bool:
    """Whether `ops` is a journal a commit into `layout` could have written. Anything could
    be under a `.puv-tx-` name (a wheel can ship one): replaying it must never move a file
    from or to outside the environment and that transaction's own directory."""
    if not isinstance(ops, list):
        return False
    environment = {os.path.realpath(p) for p in (layout.root, layout.purelib, layout.platlib,
                                                 layout.scripts, layout.data, layout.include)}
    own = {os.path.realpath(root)}

    def inside(path: object, bases: set[str], itself: bool = False) -> bool:
        if not isinstance(path, str) or not os.path.isabs(path):
            return False
        head, tail = os.path.split(path)
        if tail in ("", ".", ".."):
            return False
        real = os.path.join(os.path.realpath(head), tail)  # as the rename will resolve it
        return any(real.startswith(base + os.sep) or (itself and real == base)
                   for base in bases)

    for op in ops:
        if not isinstance(op, list) or not op:
            return False
        if op[0] == "rm" and len(op) == 3:
            ok = inside(op[1], environment) and inside(op[2], own)
        elif op[0] == "mv" and len(op) == 4:
            ok = inside(op[1], own) and inside(op[2], environment) and (
                op[3] is None or inside(op[3], own))
        elif op[0] == "mkdir" and len(op) == 3:
            ok = inside(op[1], environment, itself=True)
        else:
            ok = False
        if not ok:
            return False
    return True
