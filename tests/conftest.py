"""Shared fixtures: `puv` runs the real command in an isolated home, cache and config."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

pytest_plugins = ["tests.support.fixtures"]


class Result(NamedTuple):
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def puv_command() -> list[str]:
    """The installed `puv` script beside the running interpreter, else `python -m puv`."""
    script = Path(sys.executable).parent / "puv"
    if script.is_file():
        return [str(script)]
    found = shutil.which("puv")
    return [found] if found else [sys.executable, "-m", "puv"]


Runner = Callable[..., Result]


@pytest.fixture(scope="session")
def interpreter_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache shared by the session so interpreters are inspected once, not per test."""
    return tmp_path_factory.mktemp("shared-cache")


@pytest.fixture
def isolated_env(tmp_path: Path, interpreter_cache: Path) -> dict[str, str]:
    """An environment with its own home, config and cache, and no active virtualenv.

    The cache is the test's own (a test index on a port an earlier test used must not meet
    that test's pages and metadata), but its `interpreter-v1` bucket is shared by the session
    through a link, so interpreters are inspected once, not per test."""
    home = tmp_path / "home"
    home.mkdir()
    cache = tmp_path / "puv-test-cache"
    cache.mkdir()
    shared_interpreters = interpreter_cache / "interpreter-v1"
    shared_interpreters.mkdir(exist_ok=True)
    (cache / "interpreter-v1").symlink_to(shared_interpreters, target_is_directory=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("UV_", "PUV_", "VIRTUAL_ENV", "CONDA_", "XDG_", "PYENV_VERSION"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CONFIG_DIRS=str(tmp_path / "etc-xdg"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        UV_CACHE_DIR=str(cache),
        NO_COLOR="1",
        PYENV_ROOT=os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv")),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def puv(isolated_env: dict[str, str], workdir: Path) -> Iterator[Runner]:
    """Run `puv ARGS...` in `workdir` (or `cwd=`), with `env=` overrides; return a Result."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            input: str | None = None) -> Result:
        full_env = {**isolated_env, **(env or {})}
        proc = subprocess.run(
            [*puv_command(), *args],
            cwd=cwd or workdir,
            env=full_env,
            capture_output=True,
            text=True,
            input=input,
            timeout=120,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    yield run


def assert_clean_error(result: Result, *, code: int = 1) -> str:
    """The result is a one-paragraph `error:` (no traceback) with the given exit status."""
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("error: ") or "\nerror: " in result.stderr, result.stderr
    return result.stderr
