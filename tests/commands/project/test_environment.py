"""The project environment (`commands/project/environment.py`): where it lives, which
interpreter it gets, when it is replaced, and what is never touched. Messages as uv 0.13.8
prints them for the same situations."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from puv.commands.project.environment import environment_path, python_request
from puv.workspace.project import discover_workspace
from tests.commands.project.test_sync import (
    BASE,
    UNIVERSE,
    installed,
    normalized,
    write_project,
)
from tests.conftest import Runner, assert_clean_error

PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


def _other_python() -> str | None:
    """An installed CPython of another minor version than the tests' own."""
    for version in ("3.12.1", "3.13.0", "3.10.13"):
        candidate = PYENV / version / "bin" / "python3"
        if candidate.is_file() and not version.startswith(
                f"{sys.version_info.major}.{sys.version_info.minor}."):
            return str(candidate)
    return None


OTHER = _other_python()
needs_other = pytest.mark.skipif(OTHER is None, reason="needs a second CPython in pyenv")


@pytest.fixture
def env(package_index) -> dict[str, str]:
    return {"UV_DEFAULT_INDEX": package_index(UNIVERSE).url}


# -- where (pure) ----------------------------------------------------------------------------


def test_default_path_is_dot_venv_in_the_workspace_root() -> None:
    assert environment_path("/ws", environ={}, cwd="/ws/sub") == "/ws/.venv"


def test_uv_project_environment_relative_to_the_root_or_absolute() -> None:
    environ = {"UV_PROJECT_ENVIRONMENT": "envs/a"}
    assert environment_path("/ws", environ=environ, cwd="/elsewhere") == "/ws/envs/a"
    environ = {"UV_PROJECT_ENVIRONMENT": "/abs/env"}
    assert environment_path("/ws", environ=environ, cwd="/ws") == "/abs/env"


def test_virtual_env_warning_and_active() -> None:
    warnings: list[str] = []
    environ = {"VIRTUAL_ENV": "/other/env"}
    assert environment_path("/ws", environ=environ, cwd="/ws", warn=warnings.append) == \
        "/ws/.venv"
    assert warnings == [
        "`VIRTUAL_ENV=/other/env` does not match the project environment path `.venv` and "
        "will be ignored; use `--active` to target the active environment instead"]
    warnings.clear()
    assert environment_path("/ws", active=True, environ=environ, cwd="/ws",
                            warn=warnings.append) == "/other/env"
    assert environment_path("/ws", active=False, environ=environ, cwd="/ws",
                            warn=warnings.append) == "/ws/.venv"
    assert environment_path("/ws", environ={"VIRTUAL_ENV": "/ws/.venv"}, cwd="/ws",
                            warn=warnings.append) == "/ws/.venv"
    # Relative `VIRTUAL_ENV` is relative to the working directory, shown as given there.
    environment_path("/ws", environ={"VIRTUAL_ENV": "other"}, cwd="/ws",
                     warn=warnings.append)
    environment_path("/ws", environ={"VIRTUAL_ENV": "/x", "UV_PROJECT_ENVIRONMENT": "envs/a"},
                     cwd="/tmp", warn=warnings.append)
    assert warnings == [
        "`VIRTUAL_ENV=other` does not match the project environment path `.venv` and will be "
        "ignored; use `--active` to target the active environment instead",
        "`VIRTUAL_ENV=/x` does not match the project environment path `/ws/envs/a` and will "
        "be ignored; use `--active` to target the active environment instead"]


# -- which interpreter (reads the project's files) ------------------------------------------


def test_python_request_order(tmp_path: Path) -> None:
    root = write_project(tmp_path / "app", build_system=False, requires_python=">=3.10")
    workspace = discover_workspace(str(root))
    home = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    found = python_request(workspace, None, environ=home)
    assert (found.source, found.request.version.specifier) == ("requires-python", ">=3.10")
    (root / ".python-version").write_text("3.11\n")
    found = python_request(workspace, None, environ=home)
    assert (found.source, found.request.raw) == ("version-file", "3.11")
    found = python_request(workspace, "3.12", environ=home)
    assert (found.source, found.request.raw) == ("user", "3.12")


def test_global_version_file_only_when_requires_python_allows_it(tmp_path: Path) -> None:
    root = write_project(tmp_path / "app", build_system=False, requires_python=">=3.11")
    workspace = discover_workspace(str(root))
    config = tmp_path / "config" / "uv"
    config.mkdir(parents=True)
    (config / ".python-version").write_text("3.9\n")
    home = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    assert python_request(workspace, None, environ=home).source == "requires-python"
    (config / ".python-version").write_text("3.12\n")
    assert python_request(workspace, None, environ=home).source == "version-file"


# -- the command ----------------------------------------------------------------------------


def test_uv_project_environment_relative(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    result = puv("sync", "-p", BASE, cwd=root, env={**env, "UV_PROJECT_ENVIRONMENT": "envs/a"})
    assert result.returncode == 0, result
    assert "Creating virtual environment at: envs/a\n" in result.stderr
    assert installed(root / "envs" / "a") == {"gamma": "1.0.0"}
    assert not (root / ".venv").exists()


def test_uv_project_environment_absolute(puv: Runner, workdir: Path, env,
                                         tmp_path: Path) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    target = tmp_path / "elsewhere" / "env"
    result = puv("sync", "-p", BASE, cwd=root,
                 env={**env, "UV_PROJECT_ENVIRONMENT": str(target)})
    assert result.returncode == 0, result
    assert f"Creating virtual environment at: {target}\n" in result.stderr
    assert installed(target) == {"gamma": "1.0.0"}


def test_virtual_env_is_ignored_with_a_warning_unless_active(puv: Runner, workdir: Path,
                                                              env, tmp_path: Path) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    other = tmp_path / "other-env"
    assert puv("venv", str(other), "-p", BASE).returncode == 0
    result = puv("sync", "-p", BASE, cwd=root, env={**env, "VIRTUAL_ENV": str(other)})
    assert result.returncode == 0, result
    assert result.stderr.startswith(
        f"warning: `VIRTUAL_ENV={other}` does not match the project environment path `.venv` "
        "and will be ignored; use `--active` to target the active environment instead\n")
    assert installed(root / ".venv") == {"gamma": "1.0.0"}
    assert installed(other) == {}
    active = puv("sync", "--active", cwd=root, env={**env, "VIRTUAL_ENV": str(other)})
    assert active.returncode == 0, active
    assert "warning" not in active.stderr
    assert installed(other) == {"gamma": "1.0.0"}
    quiet = puv("sync", "--no-active", cwd=root, env={**env, "VIRTUAL_ENV": str(other)})
    assert "warning" not in quiet.stderr


def test_directory_that_is_not_an_environment_is_refused(puv: Runner, workdir: Path,
                                                         env) -> None:
    root = write_project(workdir / "app", build_system=False)
    (root / ".venv").mkdir()
    (root / ".venv" / "notes.txt").write_text("mine")
    result = puv("sync", "-p", BASE, cwd=root, env=env)
    assert assert_clean_error(result, code=2) == (
        f"error: Project virtual environment directory `{root / '.venv'}` cannot be used "
        "because it is not a valid Python environment (no Python executable was found)\n")
    assert (root / ".venv" / "notes.txt").read_text() == "mine"
    (root / "afile").write_text("x")
    result = puv("sync", "-p", BASE, cwd=root, env={**env, "UV_PROJECT_ENVIRONMENT": "afile"})
    assert assert_clean_error(result, code=2) == (
        f"error: Project virtual environment directory `{root / 'afile'}` cannot be used "
        "because expected directory but found a file\n")


def test_an_empty_directory_is_used(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    (root / ".venv").mkdir()
    result = puv("sync", "-p", BASE, cwd=root, env=env)
    assert result.returncode == 0, result
    assert "Removed" not in result.stderr
    assert installed(root / ".venv") == {"gamma": "1.0.0"}


@needs_other
def test_an_incompatible_environment_is_replaced(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    result = puv("sync", "-p", OTHER, cwd=root, env=env)
    assert result.returncode == 0, result
    out = normalized(result.stderr, root)
    assert "Removed virtual environment at: .venv\nCreating virtual environment at: .venv\n" \
        in out
    cfg = (root / ".venv" / "pyvenv.cfg").read_text()
    version = os.path.basename(os.path.dirname(os.path.dirname(OTHER)))
    assert f"version_info = {version}" in cfg
    assert installed(root / ".venv") == {"gamma": "1.0.0"}
    kept = puv("sync", cwd=root, env=env)
    assert "Creating" not in kept.stderr  # no request now: the environment is kept


@needs_other
def test_python_version_file_is_the_request(puv: Runner, workdir: Path, env) -> None:
    assert OTHER is not None
    version = os.path.basename(os.path.dirname(os.path.dirname(OTHER)))
    root = write_project(workdir / "app", build_system=False)
    (root / ".python-version").write_text(".".join(version.split(".")[:2]) + "\n")
    result = puv("sync", cwd=root, env={**env, "PATH": f"{os.path.dirname(OTHER)}:"
                                        f"{os.environ.get('PATH', '')}"})
    assert result.returncode == 0, result
    assert f"version_info = {version}" in (root / ".venv" / "pyvenv.cfg").read_text()


def test_requested_python_outside_requires_python(puv: Runner, workdir: Path, env) -> None:
    minor = sys.version_info.minor
    root = write_project(workdir / "app", build_system=False,
                         requires_python=f">=3.{minor + 1}")
    result = puv("sync", "-p", BASE, cwd=root, env=env)
    assert assert_clean_error(result, code=2).endswith(
        f"error: The requested interpreter resolved to Python "
        f"{'.'.join(map(str, sys.version_info[:3]))}, which is incompatible with the "
        f"project's Python requirement: `>=3.{minor + 1}` (from `project.requires-python`)\n")
    assert not (root / ".venv").exists()


def test_dry_run_creates_no_environment(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", build_system=False)
    result = puv("sync", "--dry-run", "-p", BASE, cwd=root, env=env)
    assert result.returncode == 0, result
    assert "Would create project environment at: .venv\n" in result.stderr
    assert not (root / ".venv").exists()
