"""The `uv.lock` file: its model, its reader and its writer (see docs/lock.md).

`read_lock(text) -> Lock` validates with key-path errors (`LockError`); `write_lock(lock) -> str`
writes the bytes uv 0.13.8 writes for the same content.
"""

from puv.lock.model import Lock, LockDependency, LockPackage
from puv.lock.reader import LockError, read_lock
from puv.lock.writer import write_lock

__all__ = ["Lock", "LockDependency", "LockError", "LockPackage", "read_lock", "write_lock"]
