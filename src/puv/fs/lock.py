"""Advisory file locks, so that two puv processes sharing a cache or an environment wait for
each other instead of corrupting it.

A `FileLock` holds an exclusive `flock` on a lock file for the duration of a `with` block. If
another process holds it, we tell the user once that we are waiting, and give up with a clear
error after `timeout` seconds (`UV_LOCK_TIMEOUT`, default 300).
"""

from __future__ import annotations

import os
import sys
import time

from puv.errors import FileLockTimeout

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from _typeshed import StrPath

__all__ = ["FileLock"]


class FileLock:
    """An exclusive lock on `path` (created if missing), usable as a context manager."""

    def __init__(
        self,
        path: StrPath,
        *,
        resource: str | None = None,
        timeout: float = 300.0,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.path = os.fspath(path)
        self.resource = resource or os.path.dirname(self.path) or "."
        self.timeout = timeout
        self.on_wait = on_wait
        self._fd: int | None = None

    def acquire(self) -> None:
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        told = False
        delay = 0.005
        while True:
            if _try_lock(fd):
                self._fd = fd
                return
            if not told and self.on_wait is not None:
                self.on_wait(f"Waiting to acquire lock for `{self.resource}` "
                             f"(lockfile: `{self.path}`)")
                told = True
            if time.monotonic() >= deadline:
                os.close(fd)
                raise FileLockTimeout(
                    f"Timed out after {self.timeout:g}s waiting for the lock on "
                    f"`{self.resource}`: another puv process is holding `{self.path}`",
                    hint="wait for the other process to finish, or raise `UV_LOCK_TIMEOUT`",
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
