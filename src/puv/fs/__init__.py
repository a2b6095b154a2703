"""Files: atomic writes, file locks, removal, digests and path strings (see `atomic.py`,
`lock.py`, `digest.py`, `paths.py`)."""

from puv.fs.atomic import (
    remove_tree,
    restore_files,
    snapshot_files,
    temporary_name,
    write_atomic,
)
from puv.fs.digest import file_sha256
from puv.fs.lock import FileLock
from puv.fs.paths import ancestors

__all__ = ["FileLock", "ancestors", "file_sha256", "remove_tree", "restore_files",
           "snapshot_files", "temporary_name", "write_atomic"]
