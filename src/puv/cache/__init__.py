"""The global cache: one root with versioned buckets.

Layout (see docs/cache.md): `simple-v1/` index pages, `wheels-v1/` downloaded wheels,
`archive-v1/` unpacked wheels (the sources of hard links), `built-wheels-v1/` wheels built
from source, `builds-v1/` build environments, `interpreter-v1/` interpreter introspection,
`environments-v1/` ephemeral environments, `git-v1/` checkouts. A bucket's version is bumped
when its format changes. Entries are written to a temporary name and renamed into place.

Entries that belong to a package are named after its normalized name (a directory `name/` or
a file `name.<ext>`) somewhere in the first levels of a bucket; that is what
`puv cache clean NAME` removes.
"""

from __future__ import annotations

import os
from enum import Enum

from puv.errors import CacheError
from puv.fs import FileLock, remove_tree, write_atomic

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from _typeshed import StrPath

__all__ = ["Bucket", "Cache", "CleanStats", "human_size"]

_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by puv.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


class Bucket(Enum):
    SIMPLE = "simple-v1"
    WHEELS = "wheels-v1"
    ARCHIVE = "archive-v1"
    BUILT_WHEELS = "built-wheels-v1"
    BUILDS = "builds-v1"
    INTERPRETER = "interpreter-v1"
    ENVIRONMENTS = "environments-v1"
    GIT = "git-v1"


def _disk_usage(path: str) -> int:
    """Bytes `path` occupies on disk (allocated blocks, as uv and `du` count)."""
    info = os.lstat(path)
    blocks = getattr(info, "st_blocks", None)
    return blocks * 512 if blocks is not None else info.st_size


class CleanStats:
    """What a clean (or prune) removed: files and the disk space they occupied."""

    def __init__(self) -> None:
        self.files = 0
        self.bytes = 0

    def add(self, path: str) -> None:
        """Count what removing `path` will free."""
        if os.path.islink(path) or os.path.isfile(path):
            self.files += 1
            self.bytes += _disk_usage(path)
            return
        for root, _dirs, names in os.walk(path):
            for name in names:
                self.files += 1
                try:
                    self.bytes += _disk_usage(os.path.join(root, name))
                except OSError:
                    pass

    def describe(self) -> str:
        return f"Removed {self.files} file{'s' if self.files != 1 else ''} ({human_size(self.bytes)})"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f}{unit}" if unit == "B" else f"{value:.1f}{unit}"
        value /= 1024
    return f"{value:.1f}GiB"  # pragma: no cover


class Cache:
    """A cache root. `Cache.temporary()` makes one that is deleted when closed (`--no-cache`)."""

    def __init__(self, root: StrPath, *, temporary: bool = False, lock_timeout: float = 300,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.root = os.fspath(root)
        self.is_temporary = temporary
        self.lock_timeout = lock_timeout
        self.on_wait = on_wait  # told once when we wait for another process's lock
        self._initialized = False

    @classmethod
    def temporary(cls, *, lock_timeout: float = 300) -> Cache:
        import tempfile

        return cls(tempfile.mkdtemp(prefix="puv-cache-"), temporary=True,
                   lock_timeout=lock_timeout)

    def close(self) -> None:
        if self.is_temporary:
            import shutil

            shutil.rmtree(self.root, ignore_errors=True)

    def init(self) -> str:
        """Create the root (with its CACHEDIR.TAG and .gitignore) if needed; return it."""
        if not self._initialized:
            try:
                os.makedirs(self.root, exist_ok=True)
                tag = os.path.join(self.root, "CACHEDIR.TAG")
                if not os.path.exists(tag):
                    write_atomic(tag, _TAG)
                    write_atomic(os.path.join(self.root, ".gitignore"), "*\n")
            except NotADirectoryError:
                raise CacheError(f"The cache directory `{self.root}` is not a directory: a file "
                                 "is in the way", hint="use `--cache-dir` to choose another "
                                 "directory") from None
            except OSError as exc:
                raise CacheError(f"Failed to initialize the cache at `{self.root}`: "
                                 f"{exc.strerror}") from None
            self._initialized = True
        return self.root

    def bucket(self, bucket: Bucket) -> str:
        return os.path.join(self.init(), bucket.value)

    def lock(self, on_wait: Callable[[str], None] | None = None) -> FileLock:
        """The lock held while the cache is cleaned."""
        return FileLock(os.path.join(self.root, ".lock"), resource=f"cache at {self.root}",
                        timeout=self.lock_timeout, on_wait=on_wait)

    def _clean_lock(self, force: bool) -> AbstractContextManager[object]:
        import contextlib  # 0.5 ms, and only `cache clean` needs it

        return contextlib.nullcontext() if force else self.lock(self.on_wait)

    def clean(self, packages: list[str] | None = None, *, force: bool = False) -> CleanStats:
        """Remove everything, or only the entries of `packages` (normalized names).

        Waits for other puv processes using the cache unless `force` is given.
        """
        stats = CleanStats()
        if not os.path.exists(self.root):
            return stats
        if not packages:
            with self._clean_lock(force):
                for name in sorted(os.listdir(self.root)):
                    if name == ".lock":
                        continue
                    child = os.path.join(self.root, name)
                    stats.add(child)
                    remove_tree(child)
            remove_tree(self.root)
            return stats
        names = set(packages)
        with self._clean_lock(force):
            for bucket in Bucket:
                base = os.path.join(self.root, bucket.value)
                if os.path.isdir(base):
                    self._clean_package(base, names, stats, depth=3)
        return stats

    def size(self) -> int:
        """Disk space used by the cache, in bytes (0 when it does not exist)."""
        stats = CleanStats()
        if os.path.isdir(self.root):
            stats.add(self.root)  # what removing it would free is what it uses
        return stats.bytes

    def prune(self, *, ci: bool = False, force: bool = False,
              stale_after: float = 3600.0) -> CleanStats:
        """Remove what no run will use again.

        - top-level entries that are not a current bucket (old bucket versions such as
          `simple-v0/`, leftovers of other tools, temporary directories);
        - temporary files and directories (`.*.tmp`, from writes that were interrupted) older
          than `stale_after` seconds, so that a write in progress is left alone;
        - ephemeral environments (`environments-v1/`: `run --with`, `tool run`);
        - with `ci`: also downloaded and unpacked wheels (`wheels-v1/`, `archive-v1/`), which
          are cheap to fetch again, keeping wheels built from source.
        """
        stats = CleanStats()
        if not os.path.isdir(self.root):
            return stats
        keep = {b.value for b in Bucket} | {"CACHEDIR.TAG", ".gitignore", ".lock"}
        doomed = {Bucket.ENVIRONMENTS.value}
        if ci:
            doomed |= {Bucket.WHEELS.value, Bucket.ARCHIVE.value}
        import time

        cutoff = time.time() - stale_after
        with self._clean_lock(force):
            for name in sorted(os.listdir(self.root)):
                path = os.path.join(self.root, name)
                if name not in keep or name in doomed:
                    stats.add(path)
                    remove_tree(path)
                    continue
                if os.path.isdir(path) and not os.path.islink(path):
                    self._prune_temporary(path, cutoff, stats)
        return stats

    def _prune_temporary(self, directory: str, cutoff: float, stats: CleanStats) -> None:
        for root, dirs, names in os.walk(directory):
            for name in [*names, *dirs]:
                if not (name.startswith(".") and name.endswith(".tmp")):
                    continue
                path = os.path.join(root, name)
                try:
                    if os.lstat(path).st_mtime > cutoff:
                        continue
                except OSError:
                    continue
                stats.add(path)
                remove_tree(path)
                if name in dirs:
                    dirs.remove(name)

    def _clean_package(self, directory: str, names: set[str], stats: CleanStats,
                       depth: int) -> None:
        for name in os.listdir(directory):
            child = os.path.join(directory, name)
            stem = name.split(".", 1)[0] if os.path.isfile(child) else name
            if stem in names:
                stats.add(child)
                remove_tree(child)
            elif depth > 1 and os.path.isdir(child) and not os.path.islink(child):
                self._clean_package(child, names, stats, depth - 1)
