"""Writes that either happen whole or not at all.

`write_atomic` writes to a temporary file beside the target and renames it into place, so a
reader (or a crash) never sees half a file.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from _typeshed import StrPath

__all__ = ["remove_tree", "restore_files", "snapshot_files", "temporary_name", "write_atomic"]


def temporary_name(path: StrPath) -> str:
    """A fresh name beside `path` for staging it (`.name.<random>.tmp`)."""
    directory, name = os.path.split(os.fspath(path))
    return os.path.join(directory, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def write_atomic(path: StrPath, data: bytes | str, *, mode: int | None = None) -> None:
    """Replace `path` with `data` atomically (same-directory temporary file, then rename)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    tmp = temporary_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _make_writable_and_retry(func: object, path: str, _exc: object) -> None:
    os.chmod(path, stat.S_IWRITE | stat.S_IREAD | stat.S_IEXEC)
    func(path)  # type: ignore[operator]


def remove_tree(path: StrPath) -> None:
    """Remove a file, a symlink or a whole directory tree (read-only files included)."""
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        import shutil  # 2.5 ms (it imports bz2 and lzma): only when needed
        import sys

        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=_make_writable_and_retry)
        else:  # pragma: no cover - older Pythons
            shutil.rmtree(path, onerror=_make_writable_and_retry)


def snapshot_files(paths: Iterable[str]) -> dict[str, bytes | None]:
    """The bytes of each file (`None`: it does not exist), for `restore_files`."""
    saved: dict[str, bytes | None] = {}
    for path in paths:
        try:
            with open(path, "rb") as handle:
                saved[path] = handle.read()
        except FileNotFoundError:
            saved[path] = None
    return saved


def restore_files(saved: Mapping[str, bytes | None]) -> None:
    """Put files back as `snapshot_files` found them, each atomically (one that did not
    exist is removed): what `add` and `version` do when locking or syncing fails."""
    for path, content in saved.items():
        if content is None:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
        else:
            write_atomic(path, content)
