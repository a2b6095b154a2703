"""The seed's first note, followed line by line with `uv` replaced by `puv` (its commands:
init, venv, add, pip install, remove, sync, run), against a local index standing in for PyPI.

Where the note and uv 0.13.8 differ (`reference/features.md`), the note's command still works:
`puv init` writes uv 0.13.8's files, which include every file the note lists, and the note's
`venv --name` (not a uv flag) names the environment's directory.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

PYTHON = Path("/root/.pyenv/versions/3.12.1/bin/python3")
INTERPRETER = str(PYTHON) if PYTHON.is_file() else sys.executable
MINOR = ".".join(map(str, sys.version_info[:2])) if not PYTHON.is_file() else "3.12"

PACKAGES = {
    "requests": {"2.32.3": {"requires": ["idna>=2"],
                            "files": {"requests/__init__.py": "__version__ = '2.32.3'\n"}}},
    "idna": {"3.7": {"files": {"idna/__init__.py": ""}}},
    "numpy": {"1.20.0": {}, "1.26.4": {"files": {"numpy/__init__.py":
                                                 "__version__ = '1.26.4'\n"}}},
    "pytest": {"8.0.0": {"entry_points": {"console_scripts": {"pytest": "pytest:main"}},
                         "files": {"pytest/__init__.py":
                                   "def main():\n    print('fake pytest ran')\n"}}},
    "colorama": {"0.4.6": {}},
}


def _installed(project: Path) -> set[str]:
    site = next((project / ".venv" / "lib").glob("python3*/site-packages"))
    return {p.name.split("-")[0].lower() for p in site.glob("*.dist-info")}


def test_seed_walkthrough(package_index, puv, workdir: Path) -> None:
    index = package_index(PACKAGES)
    # No UV_PYTHON: `pip install` must find the project's `.venv` by itself, as in the note.
    env = {"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"}

    # uv init [프로젝트명]: pyproject.toml, .gitignore, README.md, .python-version; no venv.
    result = puv("init", "myproject", "--python", MINOR, env=env)
    assert result.returncode == 0, result.stderr
    project = workdir / "myproject"
    expected = {"pyproject.toml", "README.md", ".python-version"}
    if shutil.which("git"):
        expected.add(".gitignore")
    assert expected <= {p.name for p in project.iterdir()}
    assert not (project / ".venv").exists()
    text = (project / "pyproject.toml").read_text()
    assert 'name = "myproject"' in text and 'version = "0.1.0"' in text
    assert "dependencies = []" in text
    assert f'requires-python = ">={MINOR}"' in text
    assert (project / ".python-version").read_text().strip() == MINOR

    # uv venv --name uv_venv: an environment in `uv_venv`, no project files.
    result = puv("venv", "--name", "uv_venv", "--python", INTERPRETER, env=env, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert (workdir / "uv_venv" / "pyvenv.cfg").is_file()

    # uv add requests; uv add "numpy>=1.21.0": pyproject, uv.lock and .venv at once.
    result = puv("add", "requests", env=env, cwd=project)
    assert result.returncode == 0, result.stderr
    result = puv("add", "numpy>=1.21.0", env=env, cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "pyproject.toml").read_text()
    assert '"requests>=2.32.3"' in text and '"numpy>=1.21.0"' in text
    lock = (project / "uv.lock").read_text()
    assert 'name = "numpy"\nversion = "1.26.4"' in lock
    assert {"requests", "idna", "numpy"} <= _installed(project)

    # uv pip install: the environment only, never pyproject.toml or uv.lock.
    before = ((project / "pyproject.toml").read_text(), (project / "uv.lock").read_text())
    result = puv("pip", "install", "colorama", env=env, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "colorama" in _installed(project)
    assert ((project / "pyproject.toml").read_text(), (project / "uv.lock").read_text()) \
        == before

    # uv remove requests: out of pyproject.toml and of the environment.
    result = puv("remove", "requests", env=env, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "requests" not in (project / "pyproject.toml").read_text()
    assert "requests" not in _installed(project)

    # uv sync: the environment made equal to the lock (colorama goes).
    result = puv("sync", env=env, cwd=project)
    assert result.returncode == 0, result.stderr
    installed = _installed(project)
    assert "colorama" not in installed and "numpy" in installed

    # uv run python script.py; uv run pytest.
    (project / "script.py").write_text("import numpy\nprint('numpy', numpy.__version__)\n")
    result = puv("run", "python", "script.py", env=env, cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "numpy 1.26.4"
    result = puv("add", "--dev", "pytest", env=env, cwd=project)
    assert result.returncode == 0, result.stderr
    result = puv("run", "pytest", env=env, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "fake pytest ran" in result.stdout


@pytest.mark.parametrize("flag", ["--name"])
def test_seed_venv_name_flag_is_accepted(flag: str, puv, workdir: Path) -> None:
    result = puv("venv", flag, "custom_env", env={"UV_PYTHON_DOWNLOADS": "never"})
    assert result.returncode == 0, result.stderr
    assert (workdir / "custom_env" / "pyvenv.cfg").is_file()
