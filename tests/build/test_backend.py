"""Reading a source tree's build system (`puv.build.backend`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from puv.build import LEGACY_BACKEND, BuildError, read_build_system


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_build_system_is_read_from_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[build-system]\nrequires = ["flit_core >=3.2,<4"]\n'
          'build-backend = "flit_core.buildapi"\nbackend-path = ["backend"]\n')
    system = read_build_system(str(tmp_path))
    assert system.backend == "flit_core.buildapi"
    assert system.requires == ("flit_core >=3.2,<4",)
    assert system.backend_path == ("backend",)
    assert not system.legacy


def test_missing_build_system_falls_back_to_legacy_setuptools(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "a"\nversion = "1.0"\n')
    system = read_build_system(str(tmp_path))
    assert system.backend == LEGACY_BACKEND == "setuptools.build_meta:__legacy__"
    assert system.requires == ("setuptools>=40.8.0",)
    assert system.legacy and system.is_setuptools
    assert system.project == {"name": "a", "version": "1.0"}


def test_setup_py_alone_falls_back_to_legacy_setuptools(tmp_path: Path) -> None:
    write(tmp_path / "setup.py", "from setuptools import setup\nsetup()\n")
    system = read_build_system(str(tmp_path))
    assert (system.backend, system.requires, system.legacy) == (
        "setuptools.build_meta:__legacy__", ("setuptools>=40.8.0",), True)


def test_build_system_without_backend_keeps_its_requires(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[build-system]\nrequires = ["setuptools>=64", "wheel"]\n')
    system = read_build_system(str(tmp_path))
    assert system.backend == "setuptools.build_meta:__legacy__"
    assert system.requires == ("setuptools>=64", "wheel")


def test_bare_dot_backend_path_is_accepted(tmp_path: Path) -> None:
    # flit_core 2.3 writes `backend-path = "."`; uv accepts exactly that string.
    write(tmp_path / "pyproject.toml", '[build-system]\nrequires = []\n'
          'build-backend = "b"\nbackend-path = "."\n')
    assert read_build_system(str(tmp_path)).backend_path == (".",)


def test_a_tree_without_pyproject_or_setup_py_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as info:
        read_build_system(str(tmp_path))
    assert str(info.value) == (f"`{tmp_path}` does not appear to be a Python project, as "
                               "neither `pyproject.toml` nor `setup.py` are present in the "
                               "directory")


@pytest.mark.parametrize(("text", "words"), [
    ('[build-system]\nbuild-backend = "x"\n', "`build-system.requires` must be a list of "
     "requirement strings (it is missing)"),
    ('[build-system]\nrequires = "setuptools"\n', "`build-system.requires` must be a list"),
    ('[build-system]\nrequires = ["setuptools >= "]\n', "has an invalid requirement "
     "`setuptools >= `"),
    ('[build-system]\nrequires = []\nbuild-backend = 3\n', "`build-system.build-backend` must "
     "be a string"),
    ('[build-system]\nrequires = []\nbackend-path = "src"\n', "`build-system.backend-path` "
     "must be a list of directories"),
])
def test_invalid_build_system_is_an_error_naming_the_file(tmp_path: Path, text: str,
                                                          words: str) -> None:
    write(tmp_path / "pyproject.toml", text)
    with pytest.raises(BuildError) as info:
        read_build_system(str(tmp_path))
    assert f"Invalid `pyproject.toml` at `{tmp_path / 'pyproject.toml'}`" in str(info.value)
    assert words in str(info.value)


def test_broken_toml_names_the_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[build-system\nrequires = []\n")
    with pytest.raises(BuildError) as info:
        read_build_system(str(tmp_path))
    assert str(tmp_path / "pyproject.toml") in str(info.value)
    assert "line 1" in str(info.value)
