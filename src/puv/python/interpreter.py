"""What an interpreter is: its version, markers, paths and platform, learnt by running one
stdlib-only script (`_query.py`) inside it, once, and cached by path, size and mtime.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import Version

from puv.errors import InterpreterError

__all__ = ["Interpreter", "query_interpreter"]

_SCRIPT = (Path(__file__).parent / "_query.py").read_text(encoding="utf-8")
_SCRIPT_HASH = hashlib.sha256(_SCRIPT.encode()).hexdigest()[:16]
_TIMEOUT = 30.0


@dataclass(frozen=True)
class Interpreter:
    """One Python interpreter, as it described itself."""

    path: Path  # the path it was found at (may be a symlink, e.g. `.venv/bin/python`)
    executable: Path  # `sys.executable`
    base_executable: Path | None
    prefix: Path
    base_prefix: Path
    implementation: str  # `cpython`, `pypy`, ...
    version: Version
    markers: dict[str, str] = field(hash=False, compare=False)
    platform: str = ""  # sysconfig.get_platform()
    abiflags: str = ""
    soabi: str | None = None
    gil_disabled: bool = False
    pointer_size: int = 64
    glibc: str | None = None
    musl: str | None = None
    paths: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    venv_scheme: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    externally_managed: bool = False

    @classmethod
    def from_json(cls, path: Path, data: dict[str, Any]) -> Interpreter:
        major, minor, micro, level, serial = data["version"]
        pre = {"alpha": "a", "beta": "b", "candidate": "rc"}.get(level)
        text = f"{major}.{minor}.{micro}" + (f"{pre}{serial}" if pre else "")
        base_exe = data.get("base_executable")
        return cls(
            path=path,
            executable=Path(data["executable"] or path),
            base_executable=Path(base_exe) if base_exe else None,
            prefix=Path(data["prefix"]),
            base_prefix=Path(data["base_prefix"]),
            implementation=data["implementation"],
            version=Version(text),
            markers=dict(data["markers"]),
            platform=data.get("platform") or "",
            abiflags=data.get("abiflags") or "",
            soabi=data.get("soabi"),
            gil_disabled=bool(data.get("gil_disabled")),
            pointer_size=int(data.get("pointer_size") or 64),
            glibc=data.get("glibc"),
            musl=data.get("musl"),
            paths=dict(data.get("paths") or {}),
            venv_scheme=dict(data.get("venv_scheme") or {}),
            externally_managed=bool(data.get("externally_managed")),
        )

    @property
    def is_virtualenv(self) -> bool:
        return self.prefix != self.base_prefix

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
        os_name = self.markers.get("platform_system", "").lower() or sys.platform
        arch = self.markers.get("platform_machine", "").lower()
        arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(arch, arch)
        libc = "musl" if self.musl else "gnu"
        if os_name in ("darwin", "windows"):
            libc = "none"
        os_name = {"darwin": "macos"}.get(os_name, os_name)
        return f"{self.implementation}-{self.version}{variant}-{os_name}-{arch}-{libc}"

    def sys_path_executable(self) -> Path:
        """The executable a virtual environment made from this interpreter should point to:
        the base interpreter when this one is itself in a virtual environment."""
        if self.is_virtualenv and self.base_executable is not None:
            return self.base_executable
        return self.executable


def _cache_file(cache_dir: Path, path: Path) -> Path:
    digest = hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()[:24]
    return cache_dir / f"{digest}.json"


def _fingerprint(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def query_interpreter(path: Path, cache_dir: Path | None = None) -> Interpreter:
    """Inspect the interpreter at `path`, from the cache when its file has not changed.

    `cache_dir` is the `interpreter-v1` bucket (or `None` to always run the script).
    """
    path = Path(os.path.abspath(path))
    fingerprint = _fingerprint(path)
    if fingerprint is None:
        raise InterpreterError(f"No interpreter found at path `{path}`")
    # A virtual environment's interpreter is a link to its base, so the link's target alone
    # says nothing about the environment: its pyvenv.cfg is part of the fingerprint.
    cfg = _fingerprint(path.parent.parent / "pyvenv.cfg")
    entry = _cache_file(cache_dir, path) if cache_dir is not None else None
    if entry is not None:
        try:
            cached = json.loads(entry.read_bytes())
            if (cached["script"] == _SCRIPT_HASH and cached["fingerprint"] == fingerprint
                    and cached.get("cfg") == cfg):
                return Interpreter.from_json(path, cached["info"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    info = _run_query(path)
    if entry is not None:
        from puv.fs import write_atomic

        payload = {"script": _SCRIPT_HASH, "fingerprint": fingerprint, "cfg": cfg, "info": info}
        try:
            write_atomic(entry, json.dumps(payload))
        except OSError:
            pass  # a read-only cache only costs us speed
    return Interpreter.from_json(path, info)


def _run_query(path: Path) -> dict[str, Any]:
    try:
        proc = subprocess.run(
            [str(path), "-E", "-s", "-c", _SCRIPT],
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
