"""Placing a cached file into an environment: hard link, reflink clone, copy or symlink.

`Linker.link(src, dst)` places one file by the chosen `--link-mode` (`UV_LINK_MODE`). A hard
link or a clone that the file system refuses (another device, no reflink support, too many
links) falls back to a copy, once per run with one warning through `on_fallback`, so that an
install never fails for want of a faster way to place a file.

- `hardlink` (the default on Linux): the environment's file *is* the cache's file; nothing is
  read or written, which is why a warm install is fast. Editing an installed file in place
  edits the cache too, as with uv.
- `clone`: a copy-on-write copy (`FICLONE`, Linux btrfs/XFS); a plain copy elsewhere.
- `copy`: an independent copy.
- `symlink`: a symbolic link to the cache file (the environment breaks if the cache is
  cleaned; uv documents the same).
"""

from __future__ import annotations

import errno
import os

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["LINK_MODES", "Linker", "default_link_mode"]

LINK_MODES = ("clone", "copy", "hardlink", "symlink")

# A hard link or clone fails with one of these when the file system cannot do it at all; any
# other error (a missing source, a full disk) is a real failure.
_UNSUPPORTED = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP,
                errno.EINVAL, errno.ENOSYS, errno.EACCES}
_FICLONE = 0x40049409  # _IOW(0x94, 9, int), Linux


def default_link_mode() -> str:
    """uv's default: `clone` on macOS (APFS), `hardlink` elsewhere."""
    import sys

    return "clone" if sys.platform == "darwin" else "hardlink"


class Linker:
    """Places files by one link mode, falling back to copies where the mode is impossible."""

    def __init__(self, mode: str | None = None,
                 on_fallback: Callable[[str], None] | None = None) -> None:
        self.mode = mode or default_link_mode()
        if self.mode not in LINK_MODES:
            raise ValueError(f"unknown link mode {self.mode!r}")
        self.on_fallback = on_fallback
        self._copying = self.mode == "copy"
        self._warned = False

    def link(self, src: str, dst: str) -> None:
        """Place the file `src` at `dst` (which must not exist)."""
        if self._copying:
            copy_file(src, dst)
            return
        try:
            if self.mode == "hardlink":
                os.link(src, dst)
            elif self.mode == "symlink":
                os.symlink(src, dst)
            else:
                _clone(src, dst)
        except OSError as exc:
            if exc.errno not in _UNSUPPORTED:
                raise
            self._fall_back(src, dst, exc)
            copy_file(src, dst)

    def _fall_back(self, src: str, dst: str, exc: OSError) -> None:
        # One failure means every later file would fail the same way (same two directories):
        # copy from now on, and say so once.
        self._copying = True
        if not self._warned and self.on_fallback is not None and self.mode != "clone":
            self._warned = True
            self.on_fallback(
                f"Failed to {self.mode} files; falling back to full copy. This may lead to "
                f"degraded performance.\n         If the cache and target directories are on "
                f"different filesystems, {self.mode}ing may not be supported.\n         If "
                f"this is intentional, set `export UV_LINK_MODE=copy` or use `--link-mode=copy` "
                f"to suppress this warning. ({exc.strerror or exc})"
            )


def copy_file(src: str, dst: str) -> None:
    """Copy `src` to `dst` with its permission bits (`shutil` copies kernel-side on Linux)."""
    import shutil

    shutil.copyfile(src, dst)
    shutil.copymode(src, dst)


def _clone(src: str, dst: str) -> None:
    import fcntl

    mode = os.stat(src).st_mode & 0o777
    with open(src, "rb") as fin:
        fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            fcntl.ioctl(fd, _FICLONE, fin.fileno())
        except OSError:
            os.close(fd)
            os.unlink(dst)
            raise
        os.close(fd)
