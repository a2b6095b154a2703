"""Environments are shared with other installers: what puv installs, pip and uv can list,
uninstall and upgrade; what pip and uv install (and legacy `.egg-info` and `.egg-link`
installs), puv syncs and uninstalls completely.

pip runs as `python -m pip --python <venv>` (pip >= 22.3) and uv is found beside the test
interpreter, on `PATH` or at /tmp/scratch/bin/uv; a test needing one that is missing is
skipped. Every index is the local one: nothing touches the network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
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
from tests.conftest import Result, Runner
from tests.support.fixtures import PackageIndexFactory
from tests.support.index import PackageIndex


def _find_uv() -> str | None:
    beside = Path(sys.executable).parent / "uv"
    if beside.is_file():
        return str(beside)
    found = shutil.which("uv")
    if found:
        return found
    scratch = Path("/tmp/scratch/bin/uv")
    return str(scratch) if scratch.is_file() else None


def _pip_version() -> tuple[int, ...] | None:
    proc = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True,
                          text=True, check=False)
    match = re.match(r"pip (\d+)\.(\d+)", proc.stdout)
    return (int(match[1]), int(match[2])) if proc.returncode == 0 and match else None


UV = _find_uv()
PIP = _pip_version()
needs_uv = pytest.mark.skipif(UV is None, reason="no uv binary")
needs_pip = pytest.mark.skipif(PIP is None or PIP < (22, 3),
                               reason="pip >= 22.3 (for `--python`) is not available")


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
def venv(run: Runner, workdir: Path) -> Path:
    return make_venv(run, workdir / ".venv")


@pytest.fixture
def other_env(isolated_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The environment pip and uv run in: isolated, offline for pip, uv's own cache."""
    return {**isolated_env, "UV_CACHE_DIR": str(tmp_path / "uv-cache"), "UV_NO_CONFIG": "1",
            "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1",
            "PIP_CONFIG_FILE": os.devnull}


def pip(other_env: dict[str, str], venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    own = venv / "bin" / "pip"
    command = [str(own)] if own.is_file() else [sys.executable, "-m", "pip", "--python",
                                                str(venv / "bin" / "python")]
    proc = subprocess.run([*command, *args], capture_output=True, text=True, env=other_env,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc
    return proc


def uv(other_env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert UV is not None
    proc = subprocess.run([UV, *args], capture_output=True, text=True, env=other_env,
                          check=False, timeout=120, cwd=cwd)
    assert proc.returncode == 0, proc
    return proc


def snapshot(venv: Path) -> set[str]:
    """Every path in the environment but site-packages' own `__pycache__` (the bytecode of
    the `_virtualenv` start-up hook, written whenever the interpreter starts)."""
    hook_cache = site_packages(venv) / "__pycache__"
    return {str(p.relative_to(venv)) for p in venv.rglob("*")
            if p != hook_cache and hook_cache not in p.parents}


def _puv_environment(run: Runner, index: PackageIndex, workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\nb==1.0\n")
    ok(sync(run, index, "requirements.txt"))


# -- puv's environments, used by pip and uv ----------------------------------------------------


@needs_pip
def test_pip_lists_and_uninstalls_what_puv_installed(run: Runner, index: PackageIndex,
                                                      venv: Path, workdir: Path,
                                                      other_env: dict[str, str]) -> None:
    before = snapshot(venv)
    _puv_environment(run, index, workdir)
    listed = json.loads(pip(other_env, venv, "list", "--format=json").stdout)
    assert {"name": "a", "version": "1.0"} in listed
    assert {"name": "b", "version": "1.0"} in listed
    shown = pip(other_env, venv, "show", "-f", "a").stdout
    assert "Version: 1.0" in shown and "../../../bin/a-cli" in shown
    pip(other_env, venv, "uninstall", "-y", "a", "b")
    assert installed(venv) == []
    assert not (venv / "bin" / "a-cli").exists()
    assert snapshot(venv) - before == {".lock"}
    # And puv sees them gone.
    assert ok(sync(run, index, "requirements.txt")).endswith(" + a==1.0\n + b==1.0\n")


@needs_uv
def test_uv_lists_uninstalls_and_upgrades_what_puv_installed(
        run: Runner, index: PackageIndex, venv: Path, workdir: Path,
        other_env: dict[str, str]) -> None:
    _puv_environment(run, index, workdir)
    listed = uv(other_env, "pip", "list", "--python", str(venv), "--format=json",
                cwd=workdir).stdout
    assert {(p["name"], p["version"]) for p in json.loads(listed)} == {("a", "1.0"),
                                                                      ("b", "1.0")}
    result = uv(other_env, "pip", "uninstall", "--python", str(venv), "b", cwd=workdir)
    assert masked(result.stderr).endswith("Uninstalled 1 package in [TIME]\n - b==1.0\n")
    assert not (site_packages(venv) / "b").exists()
    result = uv(other_env, "pip", "install", "--python", str(venv), "--index-url", index.url,
                "a==2.0", cwd=workdir)
    assert masked(result.stderr).endswith(" - a==1.0\n + a==2.0\n")
    assert installed(venv) == ["a-2.0.dist-info"]
    assert subprocess.run([str(venv / "bin" / "a-cli")], capture_output=True, text=True,
                          check=True).stdout == "a 2.0\n"
    # puv reads uv's install back: a no-op sync.
    write(workdir / "requirements.txt", "a==2.0\n")
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 1 package in [TIME]\nChecked 1 package in [TIME]\n")


# -- other installers' environments, used by puv -----------------------------------------------


@needs_pip
def test_puv_syncs_and_uninstalls_what_pip_installed(run: Runner, index: PackageIndex,
                                                     venv: Path, workdir: Path,
                                                     other_env: dict[str, str]) -> None:
    before = snapshot(venv)
    pip(other_env, venv, "install", "--no-index", "--find-links", str(index.find_links_dir),
        "a==1.0", "b==1.0")
    site = site_packages(venv)
    assert (site / "a-1.0.dist-info" / "INSTALLER").read_text() == "pip\n"
    write(workdir / "requirements.txt", "a==1.0\nb==1.0\n")
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 2 packages in [TIME]\nChecked 2 packages in [TIME]\n")
    write(workdir / "requirements.txt", "a==2.0\n")
    assert ok(sync(run, index, "requirements.txt")).endswith(
        "Uninstalled 2 packages in [TIME]\nInstalled 1 package in [TIME]\n"
        " - a==1.0\n + a==2.0\n - b==1.0\n")
    assert installed(venv) == ["a-2.0.dist-info"]
    assert not (site / "b").exists()
    # pip's bytecode (listed in its RECORD) went with the files.
    assert not list(site.glob("b*"))
    pip(other_env, venv, "install", "--no-index", "--find-links", str(index.find_links_dir),
        "b==2.0")
    assert (venv / "bin" / "a-cli").is_file()
    assert ok(run("pip", "uninstall", "a", "b")) == (
        "Uninstalled 2 packages in [TIME]\n - a==2.0\n - b==2.0\n")
    assert installed(venv) == []
    assert snapshot(venv) - before == {".lock"}


@needs_uv
def test_puv_syncs_and_uninstalls_what_uv_installed(run: Runner, index: PackageIndex,
                                                    venv: Path, workdir: Path,
                                                    other_env: dict[str, str]) -> None:
    before = snapshot(venv)
    uv(other_env, "pip", "install", "--python", str(venv), "--index-url", index.url,
       "a==1.0", "b==2.0", cwd=workdir)
    site = site_packages(venv)
    assert (site / "a-1.0.dist-info" / "INSTALLER").read_text().strip() == "uv"
    write(workdir / "requirements.txt", "a==1.0\nb==2.0\n")
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 2 packages in [TIME]\nChecked 2 packages in [TIME]\n")
    write(workdir / "requirements.txt", "a==1.0\nb==1.0\n")
    assert ok(sync(run, index, "requirements.txt")).endswith(" - b==2.0\n + b==1.0\n")
    uv(other_env, "pip", "install", "--python", str(venv), "--index-url", index.url,
       "c==1.0", cwd=workdir)
    assert ok(run("pip", "uninstall", "a", "c")) == (
        "Uninstalled 2 packages in [TIME]\n - a==1.0\n - c==1.0\n")
    assert not (venv / "bin" / "a-cli").exists()
    assert installed(venv) == ["b-1.0.dist-info"]
    ok(run("pip", "uninstall", "b"))
    assert snapshot(venv) - before == {".lock"}


# -- legacy installs -----------------------------------------------------------------------------


def _legacy_egg_info(site: Path) -> None:
    """What `setup.py install` (or an old pip) leaves: a module and an `.egg-info` whose
    `installed-files.txt` lists the files, relative to the `.egg-info` directory."""
    info = site / f"legacy-1.0-py{MINOR}.egg-info"
    info.mkdir()
    (site / "legacy.py").write_text("X = 1\n")
    (site / "legacy_data").mkdir()
    (site / "legacy_data" / "table.txt").write_text("1 2 3\n")
    (info / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: legacy\nVersion: 1.0\n")
    (info / "top_level.txt").write_text("legacy\n")
    (info / "installed-files.txt").write_text(
        "../legacy.py\n../legacy_data/table.txt\nPKG-INFO\ntop_level.txt\ninstalled-files.txt\n")


def test_uninstall_a_legacy_egg_info_install(run: Runner, venv: Path) -> None:
    before = snapshot(venv)
    site = site_packages(venv)
    _legacy_egg_info(site)
    assert ok(run("pip", "uninstall", "legacy")) == (
        "Uninstalled 1 package in [TIME]\n - legacy==1.0\n")
    assert not (site / "legacy.py").exists()
    assert not (site / "legacy_data").exists()
    assert not (site / f"legacy-1.0-py{MINOR}.egg-info").exists()
    assert snapshot(venv) - before == {".lock"}


def test_sync_replaces_a_legacy_egg_info_install(run: Runner, index: PackageIndex,
                                                 venv: Path, workdir: Path) -> None:
    site = site_packages(venv)
    _legacy_egg_info(site)
    write(workdir / "requirements.txt", "b==1.0\n")
    assert ok(sync(run, index, "requirements.txt")).endswith(
        "Uninstalled 1 package in [TIME]\nInstalled 1 package in [TIME]\n"
        " + b==1.0\n - legacy==1.0\n")
    assert not (site / "legacy.py").exists()
    assert installed(venv) == ["b-1.0.dist-info"]


def test_uninstall_an_egg_link(run: Runner, venv: Path, workdir: Path) -> None:
    site = site_packages(venv)
    project = workdir / "project"
    (project / "devpkg.egg-info").mkdir(parents=True)
    (project / "devpkg.egg-info" / "PKG-INFO").write_text(
        "Metadata-Version: 1.1\nName: devpkg\nVersion: 0.5\n")
    (project / "devpkg").mkdir()
    (project / "devpkg" / "__init__.py").write_text("")
    (site / "devpkg.egg-link").write_text(f"{project}\n.")
    (site / "easy-install.pth").write_text(f"/elsewhere/other\n{project}\n")
    assert ok(run("pip", "uninstall", "devpkg")) == (
        "Uninstalled 1 package in [TIME]\n - devpkg==0.5\n")
    assert not (site / "devpkg.egg-link").exists()
    assert (site / "easy-install.pth").read_text() == "/elsewhere/other\n"
    # The project itself is the user's: untouched.
    assert (project / "devpkg" / "__init__.py").is_file()
    assert (project / "devpkg.egg-info" / "PKG-INFO").is_file()
