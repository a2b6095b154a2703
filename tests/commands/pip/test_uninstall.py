"""`puv pip uninstall`: what is removed (RECORD-driven, with scripts, bytecode and the
directories left empty), what is kept, and uv's report lines.

The expected outputs were taken from uv 0.13.8 running the same commands (durations masked).
One deliberate difference: a file that another installed distribution also lists is kept
(uv removes it, breaking the other distribution).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.commands.pip.test_sync import (
    MINOR,
    PACKAGES,
    installed,
    make_venv,
    masked,
    ok,
    site_packages,
    sync,
    write,
)
from tests.conftest import Result, Runner, assert_clean_error
from tests.support.fixtures import PackageIndexFactory
from tests.support.index import PackageIndex
from tests.support.wheels import WheelSpec, build_wheel


@pytest.fixture
def run(puv: Runner, tmp_path: Path) -> Runner:
    def call(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> Result:
        return puv(*args, env={"UV_CACHE_DIR": str(tmp_path / "cache"), **(env or {})},
                   **kwargs)

    return call


@pytest.fixture
def index(package_index: PackageIndexFactory) -> PackageIndex:
    return package_index(PACKAGES)


@pytest.fixture
def venv(run: Runner, index: PackageIndex, workdir: Path) -> Path:
    """`.venv` in the working directory, holding a 1.0 (with its `a-cli`), b 1.0 and c 1.0."""
    venv = make_venv(run, workdir / ".venv")
    write(workdir / "all.txt", "a==1.0\nb==1.0\nc==1.0\n")
    ok(sync(run, index, "all.txt"))
    assert installed(venv) == ["a-1.0.dist-info", "b-1.0.dist-info", "c-1.0.dist-info"]
    return venv


def snapshot(venv: Path) -> set[str]:
    """Every path in the environment, relative to it."""
    return {str(p.relative_to(venv)) for p in venv.rglob("*")}


def test_uninstall_several_packages_by_name(run: Runner, venv: Path) -> None:
    assert ok(run("pip", "uninstall", "a", "B")) == (
        "Uninstalled 2 packages in [TIME]\n"
        " - a==1.0\n"
        " - b==1.0\n"
    )
    assert installed(venv) == ["c-1.0.dist-info"]
    site = site_packages(venv)
    assert not (site / "a").exists() and not (site / "b").exists()
    assert (site / "c" / "__init__.py").is_file()


def test_uninstall_packages_listed_in_a_requirements_file(run: Runner, venv: Path,
                                                          workdir: Path) -> None:
    write(workdir / "remove.txt", "# what goes\nc>=1  # any version\n-r more.txt\n")
    write(workdir / "more.txt", "A==1.0 ; python_version >= '3'\n")
    assert ok(run("pip", "uninstall", "-r", "remove.txt")) == (
        "Uninstalled 2 packages in [TIME]\n"
        " - a==1.0\n"
        " - c==1.0\n"
    )
    assert installed(venv) == ["b-1.0.dist-info"]


def test_uninstall_warns_about_packages_not_installed(run: Runner, venv: Path) -> None:
    assert ok(run("pip", "uninstall", "a", "not-there")) == (
        "warning: Skipping not-there as it is not installed\n"
        "Uninstalled 1 package in [TIME]\n"
        " - a==1.0\n"
    )
    assert ok(run("pip", "uninstall", "a")) == (
        "warning: Skipping a as it is not installed\n"
        "warning: No packages to uninstall\n"
    )
    assert installed(venv) == ["b-1.0.dist-info", "c-1.0.dist-info"]


def test_uninstall_with_an_empty_requirements_file(run: Runner, venv: Path,
                                                   workdir: Path) -> None:
    write(workdir / "empty.txt", "# nothing\n")
    assert ok(run("pip", "uninstall", "-r", "empty.txt")) == (
        "warning: Requirements file `empty.txt` does not contain any dependencies\n"
        "warning: No packages to uninstall\n"
    )
    assert len(installed(venv)) == 3


def test_uninstall_removes_files_scripts_bytecode_and_empty_directories(
        run: Runner, index: PackageIndex, workdir: Path) -> None:
    venv = make_venv(run, workdir / ".venv")
    before = snapshot(venv)
    write(workdir / "requirements.txt", "a==2.0\n")
    ok(sync(run, index, "requirements.txt", "--compile-bytecode"))
    site = site_packages(venv)
    tag = sys.implementation.cache_tag
    assert (site / "a" / "__pycache__" / f"__init__.{tag}.pyc").is_file()
    assert (venv / "bin" / "a-cli").is_file()
    assert ok(run("pip", "uninstall", "a")) == "Uninstalled 1 package in [TIME]\n - a==2.0\n"
    assert not (venv / "bin" / "a-cli").exists()
    assert not (site / "a").exists()  # __pycache__ and the emptied package directory too
    assert not (site / "a-2.0.dist-info").exists()
    assert snapshot(venv) - before == {".lock"}


def test_uninstall_removes_data_scripts_and_headers(run: Runner, workdir: Path,
                                                   tmp_path: Path) -> None:
    venv = make_venv(run, workdir / ".venv")
    before = snapshot(venv)
    wheel = build_wheel(WheelSpec("tool", "1.0", files={
        "tool-1.0.data/scripts/tool-run": "#!python\nprint('run')\n",
        "tool-1.0.data/data/share/tool/deep/data.txt": "data\n",
        "tool-1.0.data/headers/tool.h": "int tool;\n",
        "tool/sub/mod.py": "Y = 2\n",
    }, entry_points={"console_scripts": {"tool": "tool:main"}}), tmp_path / "wheels")
    write(workdir / "requirements.txt", f"{wheel}\n")
    ok(run("pip", "sync", "requirements.txt"))
    # Import it so that the interpreter writes bytecode beside the sources.
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([str(venv / "bin" / "python"), "-c", "import tool.sub.mod"], check=True,
                   env=environ)
    assert (site_packages(venv) / "tool" / "sub" / "__pycache__").is_dir()
    assert ok(run("pip", "uninstall", "tool")) == (
        "Uninstalled 1 package in [TIME]\n"
        f" - tool==1.0 (from {wheel.as_uri()})\n"
    )
    # What is left is the scheme's own (empty) headers directory, which uv leaves too.
    assert snapshot(venv) - before <= {".lock", "include", "include/site",
                                       f"include/site/python{MINOR}"}
    assert not (venv / "share").exists()
    assert not (venv / "include" / "site" / f"python{MINOR}" / "tool").exists()


def test_uninstall_keeps_files_another_package_lists(run: Runner, workdir: Path,
                                                     tmp_path: Path) -> None:
    venv = make_venv(run, workdir / ".venv")
    shared = {"shared/__init__.py": "", "shared/data.txt": "both\n"}
    one = build_wheel(WheelSpec("one", "1.0", files=shared), tmp_path / "wheels")
    two = build_wheel(WheelSpec("two", "1.0", files=shared), tmp_path / "wheels")
    write(workdir / "requirements.txt", f"{one}\n{two}\n")
    ok(run("pip", "sync", "requirements.txt"))
    ok(run("pip", "uninstall", "one"))
    site = site_packages(venv)
    assert not (site / "one").exists()
    assert (site / "shared" / "data.txt").read_text() == "both\n"
    assert (site / "shared" / "__init__.py").is_file()
    ok(run("pip", "uninstall", "two"))
    assert not (site / "shared").exists()


def test_uninstall_dry_run_changes_nothing(run: Runner, venv: Path) -> None:
    before = snapshot(venv)
    assert ok(run("pip", "uninstall", "c", "a", "not-there", "--dry-run")) == (
        "Would uninstall 2 packages\n"
        " - a==1.0\n"
        " - c==1.0\n"
    )
    assert ok(run("pip", "uninstall", "not-there", "--dry-run")) == "Would make no changes\n"
    assert snapshot(venv) == before


def test_uninstall_from_a_target_directory(run: Runner, index: PackageIndex,
                                           workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\nb==1.0\n")
    target = ["--target", "target", "--python", sys.executable]
    ok(sync(run, index, "requirements.txt", *target))
    result = run("pip", "uninstall", "a", *target)
    assert masked(result.stderr).endswith("Uninstalled 1 package in [TIME]\n - a==1.0\n")
    assert sorted(p.name for p in (workdir / "target").iterdir()
                  if not p.name.startswith(".") and p.name != "bin") == ["b", "b-1.0.dist-info"]


def test_uninstall_without_an_environment(run: Runner, workdir: Path) -> None:
    result = run("pip", "uninstall", "a")
    assert_clean_error(result, code=2)
    assert result.stderr == (
        "error: No virtual environment found; run `puv venv` to create an environment, or "
        "pass `--system` to install into a non-virtual environment\n"
    )
