"""Files: atomic writes, file locks and removal (see `atomic.py`, `lock.py`)."""

from puv.fs.atomic import remove_tree, temporary_name, write_atomic
from puv.fs.lock import FileLock

__all__ = ["FileLock", "remove_tree", "temporary_name", "write_atomic"]
