"""Atomic writes and file locks."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from puv.errors import FileLockTimeout
from puv.fs import FileLock, ancestors, write_atomic


def test_write_atomic_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.txt"
    write_atomic(target, "one")
    write_atomic(target, b"two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["file.txt"]


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    write_atomic(target, "old")

    with pytest.raises(TypeError):
        write_atomic(target, 123)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


@pytest.mark.parametrize("path", ["/a/b/c", "/", "a/b", "a", "."])
def test_ancestors_are_the_path_then_its_parents_as_pathlib_gives_them(path: str) -> None:
    assert list(ancestors(path)) == [str(p) for p in (Path(path), *Path(path).parents)]


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from puv.fs import FileLock
        with FileLock(Path({str(path)!r})):
            print("held", flush=True)
            time.sleep({seconds})
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_holder_waits_for_the_first(tmp_path: Path) -> None:
    lock_path = tmp_path / ".lock"
    holder = _hold_lock(lock_path, 0.5)
    messages: list[str] = []
    start = time.monotonic()
    with FileLock(lock_path, resource="the cache", on_wait=messages.append):
        waited = time.monotonic() - start
    holder.wait()
    assert waited >= 0.3
    assert messages == [f"Waiting to acquire lock for `the cache` (lockfile: `{lock_path}`)"]


def test_lock_times_out_with_a_clear_error(tmp_path: Path) -> None:
    lock_path = tmp_path / ".lock"
    holder = _hold_lock(lock_path, 3)
    try:
        with pytest.raises(FileLockTimeout, match=r"Timed out after 0\.2s waiting for the lock"), \
                FileLock(lock_path, resource="env", timeout=0.2):
            pass
    finally:
        holder.kill()
        holder.wait()
