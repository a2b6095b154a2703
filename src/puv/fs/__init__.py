"""Files: atomic writes, file locks, removal and path strings (see `atomic.py`, `lock.py`,
`paths.py`)."""

from puv.fs.atomic import remove_tree, temporary_name, write_atomic
from puv.fs.lock import FileLock
from puv.fs.paths import ancestors

__all__ = ["FileLock", "ancestors", "remove_tree", "temporary_name", "write_atomic"]
