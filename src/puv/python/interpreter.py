"""What an interpreter is: its version, markers, paths and platform, learnt by running one
stdlib-only script (`_query.py`) inside it, once, and cached. The cache key is the path, the
interpreter file's mtime, size and inode, the same for a `pyvenv.cfg` beside it (a virtual
environment's interpreter is only a link to its base), the entry format and the script's mtime.

The cache entry is a `marshal`-ed dict (no import, microseconds to read), in a file named after
a hash of the interpreter's path: this module is on the start-up path of `puv venv` and
`puv run` (see docs/startup.md).
"""

from __future__ import annotations

import marshal
import os
import sys

from puv.errors import InterpreterError
from puv.python.request import PythonVersion

TYPE_CHECKING = False  # `typing` costs 2 ms of start-up; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any

    from _typeshed import StrPath

    from puv.core.tags import TargetTags

__all__ = ["Interpreter", "query_interpreter"]

_SCRIPT_PATH = os.path.join(os.path.dirname(__file__), "_query.py")
_TIMEOUT = 30.0
_FORMAT = 1  # bump when the entry layout changes


class Interpreter:
    """One Python interpreter, as it described itself (`info` is the query script's output)."""

    __slots__ = ("_tags", "info", "path", "version")

    def __init__(self, path: str, info: dict[str, Any]) -> None:
        self.path = path  # where it was found (may be a link, e.g. `.venv/bin/python`)
        self.info = info
        major, minor, micro, level, serial = info["version"]
        pre = {"alpha": "a", "beta": "b", "candidate": "rc"}.get(level)
        self.version = PythonVersion((major, minor, micro), f"{pre}{serial}" if pre else None)
        self._tags: TargetTags | None = None

    def __repr__(self) -> str:
        return f"Interpreter({self.path!r}, {self.version})"

    @property
    def executable(self) -> str:
        return str(self.info["executable"] or self.path)

    @property
    def base_executable(self) -> str | None:
        value = self.info.get("base_executable")
        return str(value) if value else None

    @property
    def prefix(self) -> str:
        return str(self.info["prefix"])

    @property
    def base_prefix(self) -> str:
        return str(self.info["base_prefix"])

    @property
    def implementation(self) -> str:
        return str(self.info["implementation"])

    @property
    def markers(self) -> dict[str, str]:
        return dict(self.info["markers"])

    @property
    def gil_disabled(self) -> bool:
        return bool(self.info.get("gil_disabled"))

    @property
    def pointer_size(self) -> int:
        return int(self.info.get("pointer_size") or 64)

    @property
    def venv_scheme(self) -> dict[str, str]:
        """Install paths of a virtual environment, relative to its root."""
        return dict(self.info.get("venv_scheme") or {})

    @property
    def is_virtualenv(self) -> bool:
        return bool(self.info["prefix"] != self.info["base_prefix"])

    @property
    def python_version(self) -> str:
        """`3.12`: the `python_version` marker."""
        return f"{self.version.major}.{self.version.minor}"

    @property
    def pretty_implementation(self) -> str:
        return {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalPy"}.get(
            self.implementation, self.implementation
        )

    @property
    def key(self) -> str:
        """`cpython-3.12.1-linux-x86_64-gnu`: how `puv python list` names it."""
        variant = "+freethreaded" if self.gil_disabled else ""
        markers = self.info["markers"]
        os_name = markers.get("platform_system", "").lower() or sys.platform
        arch = markers.get("platform_machine", "").lower()
        arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(arch, arch)
        libc = "musl" if self.info.get("musl") else "gnu"
        if os_name in ("darwin", "windows"):
            libc = "none"
        os_name = {"darwin": "macos"}.get(os_name, os_name)
        return f"{self.implementation}-{self.version}{variant}-{os_name}-{arch}-{libc}"

    def tags(self) -> TargetTags:
        """The wheel tags this interpreter supports, best first (computed on first use:
        `puv.core.tags` imports `packaging.tags`, which start-up must not pay for)."""
        if self._tags is None:
            from puv.core.tags import TargetTags

            self._tags = TargetTags.from_interpreter_info(self.info)
        return self._tags

    def sys_path_executable(self) -> str:
        """The executable a virtual environment made from this interpreter should point to:
        the base interpreter when this one is itself in a virtual environment."""
        if self.is_virtualenv and self.base_executable is not None:
            return self.base_executable
        return self.executable


def _fingerprint(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _fnv1a(text: str) -> int:
    """The 32-bit FNV-1a hash of `text`'s UTF-8 bytes: a cache file name that needs no import
    (`zlib` or `hashlib` would cost start-up time for a dozen bytes)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8", "surrogateescape"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def query_interpreter(path: StrPath, cache_dir: StrPath | None = None) -> Interpreter:
    """Inspect the interpreter at `path`, from the cache when its file has not changed.

    `cache_dir` is the `interpreter-v1` bucket (or `None` to always run the script).
    """
    path = os.path.abspath(path)
    fingerprint = _fingerprint(path)
    if fingerprint is None:
        raise InterpreterError(f"No interpreter found at path `{path}`")
    # A virtual environment's interpreter is a link to its base, so the link's target alone
    # says nothing about the environment: its pyvenv.cfg is part of the fingerprint.
    cfg = _fingerprint(os.path.join(os.path.dirname(os.path.dirname(path)), "pyvenv.cfg"))
    key = (path, fingerprint, cfg, _FORMAT, os.stat(_SCRIPT_PATH).st_mtime_ns)
    entry = None
    if cache_dir is not None:
        # Two paths with the same hash share a file: the key inside tells them apart.
        entry = os.path.join(cache_dir, f"{_fnv1a(path):08x}.marshal")
        try:
            with open(entry, "rb") as handle:
                cached = marshal.loads(handle.read())
            if cached[0] == key:
                return Interpreter(path, cached[1])
        except (OSError, ValueError, EOFError, TypeError, IndexError):
            pass
    info = _run_query(path)
    if entry is not None:
        from puv.fs import write_atomic

        try:
            write_atomic(entry, marshal.dumps((key, info)))
        except (OSError, ValueError):
            pass  # a read-only cache only costs us speed
    return Interpreter(path, info)


def _run_query(path: str) -> dict[str, Any]:
    import json
    import subprocess

    with open(_SCRIPT_PATH, encoding="utf-8") as handle:
        script = handle.read()
    try:
        proc = subprocess.run(
            [path, "-E", "-s", "-c", script],
            capture_output=True,
            timeout=_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except PermissionError:
        raise InterpreterError(f"Failed to query the interpreter at `{path}`: it is not "
                               "executable") from None
    except OSError as exc:
        raise InterpreterError(
            f"Failed to query the interpreter at `{path}`: {exc.strerror or exc}"
        ) from None
    except subprocess.TimeoutExpired:
        raise InterpreterError(f"Failed to query the interpreter at `{path}`: it did not "
                               f"answer within {_TIMEOUT:g}s") from None
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    try:
        info = json.loads(proc.stdout)
    except ValueError:
        detail = stderr.splitlines()[-1] if stderr else f"exit status {proc.returncode}"
        raise InterpreterError(
            f"Failed to query the interpreter at `{path}`: it is not a working Python "
            f"interpreter ({detail})"
        ) from None
    if not isinstance(info, dict) or not info.get("ok"):
        error = info.get("error") if isinstance(info, dict) else None
        raise InterpreterError(f"Failed to query the interpreter at `{path}`: {error}")
    return info
