"""`puv init`: the files must be uv 0.13.8's, byte for byte (the expectations below were
produced by running `uv init` with the same flags in an empty directory)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import Runner, assert_clean_error

PY312 = "/root/.pyenv/versions/3.12.1/bin/python3"

GITIGNORE = """\
# Python-generated files
__pycache__/
*.py[oc]
build/
dist/
wheels/
*.egg-info

# Virtual environments
.venv
"""

PACKAGED_APP = """\
[project]
name = "myproj"
version = "0.1.0"
description = "Add your description here"
readme = "README.md"
requires-python = ">=3.12"
dependencies = []

[project.scripts]
myproj = "myproj:main"

[build-system]
requires = ["uv_build>=0.13.8,<0.14.0"]
build-backend = "uv_build"
"""

APP_INIT = 'def main() -> None:\n    print("Hello from myproj!")\n'

FLAT_APP = """\
[project]
name = "np"
version = "0.1.0"
description = "Add your description here"
readme = "README.md"
requires-python = ">=3.12"
dependencies = []
"""

MAIN_PY = """\
def main():
    print("Hello from np!")


if __name__ == "__main__":
    main()
"""

LIB = """\
[project]
name = "lib"
version = "0.1.0"
description = "Add your description here"
readme = "README.md"
requires-python = ">=3.12"
dependencies = []

[build-system]
requires = ["uv_build>=0.13.8,<0.14.0"]
build-backend = "uv_build"
"""

BARE = """\
[project]
name = "bare"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = []
"""

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def run(puv: Runner, tmp_path: Path) -> Runner:
    """`puv init` with a git configuration of our own (no user unless a test writes one)."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.touch()

    def call(*args: str, **kwargs: object) -> object:
        env = {"GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1",
               "UV_PYTHON_DOWNLOADS": "never", **kwargs.pop("env", {})}  # type: ignore[dict-item]
        return puv("init", *args, env=env, **kwargs)  # type: ignore[arg-type]

    return call  # type: ignore[return-value]


def files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@needs_git
def test_init_default_is_the_seeds_flat_application(run: Runner, workdir: Path) -> None:
    """The seed's `init`: an application with `main.py` and no build system, so that `add`,
    `sync` and `run` work without building the project (see docs/projects.md)."""
    result = run("--python", "3.12", "np")
    assert result.returncode == 0, result
    assert files(workdir / "np") == {
        ".gitignore": GITIGNORE,
        ".python-version": "3.12\n",
        "README.md": "",
        "main.py": MAIN_PY,
        "pyproject.toml": FLAT_APP,
    }
    assert not (workdir / "np" / ".venv").exists()  # no environment until add/sync/run


@needs_git
def test_init_package_is_a_packaged_application(run: Runner, workdir: Path) -> None:
    result = run("--package", "--python", PY312, "myproj")
    assert result.returncode == 0, result
    assert result.stderr == f"Initialized project `myproj` at `{workdir / 'myproj'}`\n"
    root = workdir / "myproj"
    assert files(root) == {
        ".gitignore": GITIGNORE,
        ".python-version": "3.12\n",
        "README.md": "",
        "pyproject.toml": PACKAGED_APP,
        "src/myproj/__init__.py": APP_INIT,
    }
    assert (root / ".git").is_dir()
    assert not (root / ".venv").exists()  # no environment until add/sync/run


@needs_git
def test_init_no_package_writes_main_py(run: Runner, workdir: Path) -> None:
    result = run("--no-package", "--python", "3.12", "np")
    assert result.returncode == 0, result
    assert files(workdir / "np") == {
        ".gitignore": GITIGNORE,
        ".python-version": "3.12\n",
        "README.md": "",
        "main.py": MAIN_PY,
        "pyproject.toml": FLAT_APP,
    }


def test_init_lib_uses_src_layout_with_py_typed(run: Runner, workdir: Path) -> None:
    result = run("--lib", "--vcs", "none", "--python", "3.12", "lib")
    assert result.returncode == 0, result
    assert files(workdir / "lib") == {
        ".python-version": "3.12\n",
        "README.md": "",
        "pyproject.toml": LIB,
        "src/lib/__init__.py": 'def hello() -> str:\n    return "Hello from lib!"\n',
        "src/lib/py.typed": "",
    }
    assert not (workdir / "lib" / ".git").exists()


def test_init_bare_writes_only_pyproject(run: Runner, workdir: Path) -> None:
    result = run("--bare", "--python", "3.11", "bare")
    assert result.returncode == 0, result
    assert files(workdir / "bare") == {"pyproject.toml": BARE}
    assert not (workdir / "bare" / ".git").exists()


def test_init_python_patch_version_is_kept(run: Runner, workdir: Path) -> None:
    result = run("--no-package", "--vcs", "none", "--no-readme", "--python", "3.12.1", "b4")
    assert result.returncode == 0, result
    assert files(workdir / "b4") == {
        ".python-version": "3.12.1\n",
        "main.py": MAIN_PY.replace("np", "b4"),
        "pyproject.toml": '[project]\nname = "b4"\nversion = "0.1.0"\n'
        'description = "Add your description here"\nrequires-python = ">=3.12.1"\n'
        "dependencies = []\n",
    }


def test_init_no_description_no_pin(run: Runner, workdir: Path) -> None:
    result = run("--no-package", "--vcs", "none", "--no-description", "--no-pin-python",
                 "--python", "3.13", "b5")
    assert result.returncode == 0, result
    assert files(workdir / "b5") == {
        "README.md": "",
        "main.py": MAIN_PY.replace("np", "b5"),
        "pyproject.toml": '[project]\nname = "b5"\nversion = "0.1.0"\n'
        'readme = "README.md"\nrequires-python = ">=3.13"\ndependencies = []\n',
    }


@pytest.mark.parametrize(("backend", "requires", "build_backend"), [
    ("hatch", "hatchling", "hatchling.build"),
    ("flit", "flit_core>=3.2,<4", "flit_core.buildapi"),
    ("pdm", "pdm-backend", "pdm.backend"),
    ("poetry", "poetry-core>=2,<3", "poetry.core.masonry.api"),
    ("setuptools", "setuptools>=61", "setuptools.build_meta"),
])
def test_init_build_backend(run: Runner, workdir: Path, backend: str, requires: str,
                            build_backend: str) -> None:
    result = run("--build-backend", backend, "--vcs", "none", "--python", "3.12", "myproj")
    assert result.returncode == 0, result
    expected = PACKAGED_APP.replace('"uv_build>=0.13.8,<0.14.0"', f'"{requires}"')
    expected = expected.replace('build-backend = "uv_build"',
                                f'build-backend = "{build_backend}"')
    assert files(workdir / "myproj") == {
        ".python-version": "3.12\n",
        "README.md": "",
        "pyproject.toml": expected,
        "src/myproj/__init__.py": APP_INIT,
    }


def test_init_name_is_normalized(run: Runner, workdir: Path) -> None:
    result = run("--bare", "--python", "3.12", "--name", "Other.Name", "dir")
    assert result.returncode == 0, result
    assert result.stderr == f"Initialized project `other-name` at `{workdir / 'dir'}`\n"
    assert (workdir / "dir" / "pyproject.toml").read_text().startswith(
        '[project]\nname = "other-name"\n')


def test_init_in_current_directory_message(run: Runner, workdir: Path) -> None:
    here = workdir / "here"
    here.mkdir()
    result = run("--bare", "--python", "3.12", cwd=here)
    assert result.returncode == 0, result
    assert result.stderr == "Initialized project `here`\n"


@needs_git
def test_init_authors_from_git(run: Runner, workdir: Path, tmp_path: Path) -> None:
    (tmp_path / "gitconfig").write_text("[user]\n\tname = Jane Doe\n\temail = jane@example.com\n")
    result = run("--package", "--python", "3.12", "--vcs", "none", "myproj")
    assert result.returncode == 0, result
    assert (workdir / "myproj" / "pyproject.toml").read_text() == PACKAGED_APP.replace(
        'readme = "README.md"\n',
        'readme = "README.md"\nauthors = [\n'
        '    { name = "Jane Doe", email = "jane@example.com" }\n]\n')
    result = run("--python", "3.12", "--author-from", "none", "--vcs", "none", "other")
    assert "authors" not in (workdir / "other" / "pyproject.toml").read_text()


@needs_git
def test_init_inside_a_repository_does_not_run_git_init(run: Runner, workdir: Path) -> None:
    assert run("--no-package", "--python", "3.12", "outer").returncode == 0
    result = run("--no-package", "--python", "3.12", "--no-workspace", "outer/inner")
    assert result.returncode == 0, result
    inner = workdir / "outer" / "inner"
    assert not (inner / ".git").exists()
    assert not (inner / ".gitignore").exists()


def test_init_refuses_an_existing_project(run: Runner, workdir: Path) -> None:
    (workdir / "p").mkdir()
    (workdir / "p" / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    stderr = assert_clean_error(run("--bare", "--python", "3.12", "p"), code=2)
    assert stderr == (f"error: Cannot initialize a project in `{workdir / 'p'}` because "
                      "`pyproject.toml` already exists\n")


def test_init_rejects_an_invalid_name(run: Runner) -> None:
    stderr = assert_clean_error(run("--bare", "--name", "bad name!", "x"), code=2)
    assert "Not a valid package or extra name" in stderr


def test_init_lib_conflicts_with_no_package(run: Runner) -> None:
    stderr = assert_clean_error(run("--lib", "--no-package", "x"), code=2)
    assert "the argument '--lib' cannot be used with '--no-package'" in stderr


@needs_git
def test_init_inside_a_project_adds_a_workspace_member(run: Runner, workdir: Path) -> None:
    assert run("--package", "--python", "3.12", "ws").returncode == 0
    ws = workdir / "ws"
    result = run("--package", "--python", "3.12", "packages/alpha", cwd=ws)
    assert result.returncode == 0, result
    assert result.stderr == (
        f"Adding `alpha` as member of workspace `{ws}`\n"
        f"Initialized project `alpha` at `{ws / 'packages' / 'alpha'}`\n")
    assert run("--bare", "--python", "3.12", "beta", cwd=ws).returncode == 0
    assert run("--bare", "--python", "3.12", "--no-workspace", "gamma", cwd=ws).returncode == 0
    assert (ws / "pyproject.toml").read_text() == PACKAGED_APP.replace("myproj", "ws") + (
        '\n[tool.uv.workspace]\nmembers = [\n    "packages/alpha",\n    "beta",\n]\n')
    # The workspace's `.python-version` already pins 3.12: the member gets none.
    assert sorted(p.name for p in (ws / "packages" / "alpha").iterdir()) == [
        "README.md", "pyproject.toml", "src"]
    assert run("--python", "3.11", "m3", cwd=ws).returncode == 0
    assert (ws / "m3" / ".python-version").read_text() == "3.11\n"


def test_init_member_already_covered_by_a_glob(run: Runner, workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "root"\nversion = "0.1.0"\n\n'
        '[tool.uv.workspace]\nmembers = ["packages/*"]\n')
    result = run("--bare", "--python", "3.12", "packages/one")
    assert result.returncode == 0, result
    assert result.stderr.startswith(f"Adding `one` as member of workspace `{workdir}`\n")
    assert 'members = ["packages/*"]\n' in (workdir / "pyproject.toml").read_text()


@pytest.mark.parametrize(("backend", "native"), [
    ("maturin", {"Cargo.toml", "src/lib.rs"}),
    ("scikit-build-core", {"CMakeLists.txt", "src/main.cpp"}),
])
def test_init_extension_module_backends(run: Runner, workdir: Path, backend: str,
                                        native: set[str]) -> None:
    """`maturin` and `scikit` (alias `scikit-build-core`) write uv 0.13.8's extension-module
    layout: the native sources, a `_core` stub, and the backend's tables."""
    result = run("--build-backend", backend, "--vcs", "none", "--author-from", "none",
                 "--python", "3.12", "my-pkg")
    assert result.returncode == 0, result
    written = files(workdir / "my-pkg")
    assert set(written) == {".python-version", "README.md", "pyproject.toml",
                            "src/my_pkg/__init__.py", "src/my_pkg/_core.pyi", *native}
    assert written["src/my_pkg/__init__.py"] == (
        "from my_pkg._core import hello_from_bin\n\n\n"
        "def main() -> None:\n    print(hello_from_bin())\n")
    pyproject = written["pyproject.toml"]
    assert '[project.scripts]\nmy-pkg = "my_pkg:main"\n' in pyproject
    if backend == "maturin":
        assert ('[tool.maturin]\nmodule-name = "my_pkg._core"\npython-packages = ["my_pkg"]\n'
                'python-source = "src"\n') in pyproject
        assert pyproject.endswith('requires = ["maturin>=1.0,<2.0"]\n'
                                  'build-backend = "maturin"\n')
        assert 'name = "my_pkg"' in written["Cargo.toml"]
        assert '"Hello from my-pkg!".to_string()' in written["src/lib.rs"]
    else:
        assert pyproject.endswith(
            'requires = ["scikit-build-core>=0.12", "pybind11>=3"]\n'
            'build-backend = "scikit_build_core.build"\n')
        assert 'build-dir = "build/{wheel_tag}"' in pyproject


def test_init_backend_aliases_are_uvs(run: Runner, workdir: Path) -> None:
    for alias, requires in (("hatchling", "hatchling"), ("flit-core", "flit_core>=3.2,<4"),
                            ("pdm-backend", "pdm-backend"), ("uv_build", "uv_build")):
        result = run("--build-backend", alias, "--vcs", "none", "--python", "3.12", alias)
        assert result.returncode == 0, result
        assert f'requires = ["{requires}' in (workdir / alias / "pyproject.toml").read_text()
