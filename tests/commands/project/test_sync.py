"""`puv sync`: the real command against the local test index, checked against what uv 0.13.8
prints and installs for the same projects (the expected lines were taken from uv's output,
with the project paths and timings replaced)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Runner, assert_clean_error

BASE = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
MINOR = f"{sys.version_info.major}.{sys.version_info.minor}"
BACKEND = Path(__file__).parents[2] / "support" / "_backend.py"

UNIVERSE = {
    "alpha": {"1.0.0": {}, "2.0.0": {"requires": ["beta>=1"]}},
    "beta": ["1.0.0"],
    "gamma": ["1.0.0"],
    "delta": {"1.0.0": {"extras": {"x": ["gamma"]}}},
    "epsilon": {"1.0.0": {"sdist": True, "wheel": False}},
    "extra-pkg": ["1.0.0"],
    "onlywin": {"1.0.0": {"wheel_tags": ["py3-none-win_amd64"]}},
    "native": {"1.0.0": {"wheel_tags": ["py3-none-manylinux_2_17_x86_64",
                                        "py3-none-win_amd64"]}},
}


def write_project(root: Path, name: str = "app", *, dependencies: tuple[str, ...] = (),
                  extras: dict[str, list[str]] | None = None,
                  groups: dict[str, list[str]] | None = None, build_system: bool = True,
                  tool_uv: str = "", requires_python: str = ">=3.10") -> Path:
    """A project built by the test suite's in-tree backend (no index needed to build it),
    with the module `<name>/__init__.py` at its root."""
    root.mkdir(parents=True, exist_ok=True)
    module = name.replace("-", "_")
    (root / module).mkdir(exist_ok=True)
    (root / module / "__init__.py").write_text(f"NAME = {name!r}\n")
    lines = ["[project]", f'name = "{name}"', 'version = "0.1.0"',
             f'requires-python = "{requires_python}"',
             f"dependencies = {json.dumps(list(dependencies))}"]
    if extras:
        lines += ["", "[project.optional-dependencies]"]
        lines += [f"{extra} = {json.dumps(reqs)}" for extra, reqs in extras.items()]
    if groups:
        lines += ["", "[dependency-groups]"]
        lines += [f"{group} = {json.dumps(reqs)}" for group, reqs in groups.items()]
    if tool_uv:
        lines += ["", "[tool.uv]", tool_uv]
    if build_system:
        lines += ["", "[build-system]", "requires = []", 'build-backend = "_backend"',
                  'backend-path = ["."]']
        shutil.copyfile(BACKEND, root / "_backend.py")
        requires = [str(r) for r in dependencies]
        config = {"name": name, "version": "0.1.0", "requires": requires,
                  "extras": extras or {}, "files": [f"{module}/__init__.py"]}
        (root / "_backend.json").write_text(json.dumps(config))
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n")
    return root


def site_packages(environment: Path) -> Path:
    found = sorted((environment / "lib").glob("python*/site-packages"))
    assert found, f"no site-packages in {environment}"
    return found[0]


def installed(environment: Path) -> dict[str, str]:
    """`name: version` of every distribution in the environment."""
    found = {}
    for info in site_packages(environment).glob("*.dist-info"):
        name, version = info.name[: -len(".dist-info")].rsplit("-", 1)
        found[name.lower().replace("_", "-")] = version
    return found


def normalized(text: str, root: Path) -> str:
    """Timings and the project's path replaced, as the expectations are written."""
    text = re.sub(r" in [0-9.]+m?s\b", " in Xms", text)
    text = re.sub(r" in \d+m \d+s\b", " in Xms", text)
    return text.replace(root.as_uri(), "file://ROOT").replace(str(root), "ROOT")


@pytest.fixture
def index(package_index):
    return package_index(UNIVERSE)


@pytest.fixture
def env(index) -> dict[str, str]:
    return {"UV_DEFAULT_INDEX": index.url}


def locked(puv: Runner, root: Path, env: dict[str, str]) -> None:
    result = puv("lock", "-p", BASE, cwd=root, env=env)
    assert result.returncode == 0, result


# -- a first sync, and the next ---------------------------------------------------------


def test_sync_creates_the_environment_and_installs_the_lock(puv: Runner, workdir: Path,
                                                            env) -> None:
    root = write_project(workdir / "app", dependencies=("alpha>=2", "delta[x]"))
    result = puv("sync", "-p", BASE, cwd=root, env=env)
    assert result.returncode == 0, result
    assert (root / "uv.lock").is_file()
    out = normalized(result.stderr, root)
    assert out.startswith(f"Using CPython {'.'.join(map(str, sys.version_info[:3]))} "
                          f"interpreter at: {BASE}\nCreating virtual environment at: .venv\n")
    assert out.endswith(
        "   Building app @ file://ROOT\n"
        "      Built app @ file://ROOT\n"
        "Prepared 5 packages in Xms\n"
        "Installed 5 packages in Xms\n"
        " + alpha==2.0.0\n"
        " + app==0.1.0 (from file://ROOT)\n"
        " + beta==1.0.0\n"
        " + delta==1.0.0\n"
        " + gamma==1.0.0\n"), out
    assert installed(root / ".venv") == {"alpha": "2.0.0", "app": "0.1.0", "beta": "1.0.0",
                                         "delta": "1.0.0", "gamma": "1.0.0"}
    again = puv("sync", cwd=root, env=env)
    assert again.returncode == 0, again
    assert normalized(again.stderr, root) == ("Resolved 5 packages in Xms\n"
                                              "Checked 5 packages in Xms\n")


def test_the_project_is_editable_and_importable(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app")
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    python = root / ".venv" / "bin" / "python"
    direct = json.loads((site_packages(root / ".venv") / "app-0.1.0.dist-info" /
                         "direct_url.json").read_text())
    assert direct == {"url": root.as_uri(), "dir_info": {"editable": True}}
    (root / "app" / "__init__.py").write_text("NAME = 'changed in place'\n")
    result = subprocess.run([str(python), "-c", "import app; print(app.NAME, app.__file__)"],
                            cwd=workdir, capture_output=True, text=True, check=True)
    assert result.stdout == f"changed in place {root / 'app' / '__init__.py'}\n"


def test_no_editable_installs_a_regular_wheel_and_back(puv: Runner, workdir: Path,
                                                       env) -> None:
    root = write_project(workdir / "app")
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    result = puv("sync", "--no-editable", cwd=root, env=env)
    assert result.returncode == 0, result
    assert " ~ app==0.1.0 (from file://ROOT)\n" in normalized(result.stderr, root)
    site = site_packages(root / ".venv")
    assert (site / "app" / "__init__.py").is_file()  # a copy, not a path entry
    direct = json.loads((site / "app-0.1.0.dist-info" / "direct_url.json").read_text())
    assert direct["dir_info"] == {}
    back = puv("sync", cwd=root, env=env)
    assert " ~ app==0.1.0 (from file://ROOT)\n" in normalized(back.stderr, root)
    assert not (site / "app").exists()


def test_a_changed_pyproject_reinstalls_the_project(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app")
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    info = site_packages(root / ".venv") / "app-0.1.0.dist-info"
    past = info.stat().st_mtime - 10
    os.utime(info, (past, past))
    result = puv("sync", cwd=root, env=env)
    assert " ~ app==0.1.0 (from file://ROOT)\n" in normalized(result.stderr, root), result


# -- exactness --------------------------------------------------------------------------


def test_sync_removes_extraneous_packages_unless_inexact(puv: Runner, workdir: Path,
                                                          env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",))
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    assert puv("pip", "install", "extra-pkg", "--python", str(root / ".venv"), cwd=root,
               env={**env, "UV_INDEX_URL": env["UV_DEFAULT_INDEX"]}).returncode == 0
    kept = puv("sync", "--inexact", cwd=root, env=env)
    assert normalized(kept.stderr, root) == ("Resolved 2 packages in Xms\n"
                                             "Checked 2 packages in Xms\n")
    assert "extra-pkg" in installed(root / ".venv")
    removed = puv("sync", cwd=root, env=env)
    assert normalized(removed.stderr, root) == ("Resolved 2 packages in Xms\n"
                                                "Uninstalled 1 package in Xms\n"
                                                " - extra-pkg==1.0.0\n")
    assert "extra-pkg" not in installed(root / ".venv")


def test_seed_packages_stay_in_an_environment_made_elsewhere(puv: Runner, workdir: Path,
                                                              env) -> None:
    root = write_project(workdir / "app", build_system=False)
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    site = site_packages(root / ".venv")
    (site / "pip-1.0.dist-info").mkdir()
    (site / "pip-1.0.dist-info" / "METADATA").write_text("Name: pip\nVersion: 1.0\n")
    (site / "pip-1.0.dist-info" / "RECORD").write_text("")
    cfg = root / ".venv" / "pyvenv.cfg"
    assert puv("sync", cwd=root, env=env).returncode == 0
    assert "pip" not in installed(root / ".venv")  # ours, made without `--seed`: removed
    (site / "pip-1.0.dist-info").mkdir()
    (site / "pip-1.0.dist-info" / "RECORD").write_text("")
    cfg.write_text("\n".join(line for line in cfg.read_text().splitlines()
                             if not line.startswith("puv")) + "\n")
    assert puv("sync", cwd=root, env=env).returncode == 0
    assert "pip" in installed(root / ".venv")  # someone else's environment: kept


# -- extras and groups ----------------------------------------------------------------------


@pytest.fixture
def grouped(workdir: Path, puv: Runner, env) -> Path:
    root = write_project(workdir / "app", dependencies=("gamma",),
                         extras={"fast": ["delta"], "slow": ["epsilon"]},
                         groups={"dev": ["beta"], "lint": ["extra-pkg"]})
    locked(puv, root, env)
    return root


@pytest.mark.parametrize(("flags", "expected"), [
    ((), {"app", "gamma", "beta"}),
    (("--no-dev",), {"app", "gamma"}),
    (("--extra", "fast"), {"app", "gamma", "beta", "delta"}),
    (("--extra", "FAST,slow"), {"app", "gamma", "beta", "delta", "epsilon"}),
    (("--all-extras", "--no-extra", "slow"), {"app", "gamma", "beta", "delta"}),
    (("--group", "lint"), {"app", "gamma", "beta", "extra-pkg"}),
    (("--all-groups", "--no-group", "dev"), {"app", "gamma", "extra-pkg"}),
    (("--only-group", "lint"), {"extra-pkg"}),
    (("--only-dev",), {"beta"}),
    (("--no-default-groups",), {"app", "gamma"}),
    (("--no-install-project",), {"gamma", "beta"}),
    (("--no-install-package", "gamma"), {"app", "beta"}),
])
def test_extras_and_groups_select_what_is_installed(puv: Runner, grouped: Path, env, flags,
                                                    expected) -> None:
    result = puv("sync", "-p", BASE, *flags, cwd=grouped, env=env)
    assert result.returncode == 0, result
    assert set(installed(grouped / ".venv")) == expected


@pytest.mark.parametrize("flags", [("--no-install-package", "gamma"),
                                   ("--no-install-project",)])
def test_a_partial_sync_is_not_taken_for_a_full_one(puv: Runner, grouped: Path, env,
                                                    flags) -> None:
    # A sync that left packages out must not leave a stamp a plain sync would trust.
    assert puv("sync", "-p", BASE, *flags, cwd=grouped, env=env).returncode == 0
    result = puv("sync", "-p", BASE, cwd=grouped, env=env)
    assert result.returncode == 0, result
    assert set(installed(grouped / ".venv")) == {"app", "gamma", "beta"}


def test_default_groups_and_uv_no_dev(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", groups={"dev": ["beta"], "lint": ["extra-pkg"]},
                         tool_uv='default-groups = ["lint"]')
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    assert set(installed(root / ".venv")) == {"app", "extra-pkg"}
    root2 = write_project(workdir / "app2", "app2", groups={"dev": ["beta"]})
    assert puv("sync", "-p", BASE, cwd=root2, env={**env, "UV_NO_DEV": "1"}).returncode == 0
    assert set(installed(root2 / ".venv")) == {"app2"}


def test_unknown_extra_or_group_is_uvs_error_and_changes_nothing(puv: Runner, grouped: Path,
                                                                 env) -> None:
    before = {p: (grouped / p).read_bytes() for p in ("pyproject.toml", "uv.lock")}
    result = puv("sync", "-p", BASE, "--extra", "nope", cwd=grouped, env=env)
    assert assert_clean_error(result, code=2).endswith(
        "error: Extra `nope` is not defined in the `optional-dependencies` table for `app`\n")
    result = puv("sync", "-p", BASE, "--group", "nope", cwd=grouped, env=env)
    assert assert_clean_error(result, code=2).endswith(
        "error: Group `nope` is not defined in the project's `dependency-groups` table\n")
    result = puv("sync", "-p", BASE, "--all-extras", "--no-extra", "nope", cwd=grouped,
                 env=env)
    assert "Extra `nope` is not defined" in assert_clean_error(result, code=2)
    assert {p: (grouped / p).read_bytes() for p in before} == before
    assert not (grouped / ".venv" / "lib").exists() or "gamma" not in installed(
        grouped / ".venv")


def test_default_group_that_does_not_exist(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", tool_uv='default-groups = ["docs"]')
    result = puv("sync", "-p", BASE, cwd=root, env=env)
    assert assert_clean_error(result).endswith(
        "error: Default group `docs` (from `tool.uv.default-groups`) is not defined in the "
        "project's `dependency-groups` table\n")


@pytest.mark.parametrize(("args", "message"), [
    (("--extra", "a", "--all-extras"), "'--extra <EXTRA>' cannot be used with '--all-extras'"),
    (("--all-extras", "--extra", "a"), "'--all-extras' cannot be used with '--extra <EXTRA>'"),
    (("--no-dev", "--only-dev"), "'--no-dev' cannot be used with '--only-dev'"),
    (("--only-group", "a", "--group", "b"),
     "'--only-group <ONLY_GROUP>' cannot be used with '--group <GROUP>'"),
    (("--locked", "--frozen"), "'--locked' cannot be used with '--frozen'"),
    (("--all-packages", "--package", "a"),
     "'--all-packages' cannot be used with '--package <PACKAGE>'"),
])
def test_conflicting_options_are_usage_errors(puv: Runner, args, message) -> None:
    result = puv("sync", *args)
    assert assert_clean_error(result, code=2) == f"error: the argument {message}\n"


# -- packages that are not installed ------------------------------------------------------


def test_unpackaged_project_is_not_installed(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), tool_uv="package = false")
    result = puv("sync", "-p", BASE, cwd=root, env=env)
    assert result.returncode == 0, result
    assert set(installed(root / ".venv")) == {"gamma"}
    plain = write_project(workdir / "plain", dependencies=("gamma",), build_system=False)
    assert puv("sync", "-p", BASE, cwd=plain, env=env).returncode == 0
    assert set(installed(plain / ".venv")) == {"gamma"}


def test_unpackaged_scripts_warning(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", build_system=False)
    text = (root / "pyproject.toml").read_text().replace(
        "dependencies = []", 'dependencies = []\nscripts = { app = "app:main" }')
    (root / "pyproject.toml").write_text(text)
    result = puv("sync", "-p", BASE, cwd=root, env=env)
    assert ("warning: Skipping installation of entry points (`project.scripts`) for package "
            "`app` because this project is not packaged; to install entry points, set "
            "`tool.uv.package = true` or define a `build-system`\n") in result.stderr


def test_sdist_only_dependency_is_built(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", dependencies=("epsilon",), build_system=False)
    result = puv("sync", "-p", BASE, cwd=root, env=env)
    assert result.returncode == 0, result
    assert "   Building epsilon==1.0.0\n      Built epsilon==1.0.0\n" in result.stderr
    assert installed(root / ".venv") == {"epsilon": "1.0.0"}


def test_no_wheel_for_the_platform(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", dependencies=("onlywin",), build_system=False)
    result = puv("sync", "-p", BASE, cwd=root, env=env)
    text = assert_clean_error(result, code=2)
    assert re.search(r"error: Distribution `onlywin==1.0.0 @ registry\+http://127.0.0.1:\d+"
                     r"/simple/` can't be installed because it doesn't have a source "
                     r"distribution or wheel for the current platform\n\nhint: You're on "
                     r"Linux \(`manylinux_2_\d+_x86_64`\), but `onlywin` \(v1.0.0\) only has "
                     r"wheels for the following platform: `win_amd64`; ", text), text


# -- the lock step --------------------------------------------------------------------------


def test_frozen_without_a_lock_is_uvs_error(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app")
    result = puv("sync", "--frozen", "-p", BASE, cwd=root, env=env)
    assert assert_clean_error(result) == (
        "error: Unable to find lockfile at `uv.lock`, but `--frozen` was provided. To create a "
        "lockfile, run `puv lock` or `puv sync` without the flag.\n")
    assert not (root / ".venv").exists()
    result = puv("sync", "-p", BASE, cwd=root, env={**env, "UV_FROZEN": "1"})
    assert "but `UV_FROZEN=1` was provided" in assert_clean_error(result)


def test_locked_without_a_lock_is_uvs_error(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app")
    result = puv("sync", "--locked", "-p", BASE, cwd=root, env=env)
    assert assert_clean_error(result).endswith(
        "error: Unable to find lockfile at `uv.lock`, but `--locked` was provided. To create a "
        "lockfile, run `puv lock` or `puv sync` without the flag.\n")
    assert not (root / "uv.lock").exists()


def test_frozen_installs_the_lock_as_it_is(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    locked(puv, root, env)
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text().replace('["gamma"]', '["beta"]'))
    result = puv("sync", "--frozen", "-p", BASE, cwd=root, env=env)
    assert result.returncode == 0, result
    assert "Resolved" not in result.stderr
    assert set(installed(root / ".venv")) == {"gamma"}


# -- dry runs, checks, reinstalls ----------------------------------------------------------


def test_dry_run_says_what_would_happen_and_changes_nothing(puv: Runner, workdir: Path,
                                                           env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    locked(puv, root, env)
    result = puv("sync", "--dry-run", "-p", BASE, cwd=root, env=env)
    assert result.returncode == 0, result
    assert normalized(result.stderr, root).endswith(
        "Would create project environment at: .venv\n"
        "Resolved 2 packages in Xms\n"
        "Found up-to-date lockfile at: uv.lock\n"
        "Would download 1 package\n"
        "Would install 1 package\n"
        " + gamma==1.0.0\n")
    assert not (root / ".venv").exists()
    assert puv("sync", cwd=root, env=env).returncode == 0
    again = puv("sync", "--dry-run", cwd=root, env=env)
    assert normalized(again.stderr, root) == ("Would use project environment at: .venv\n"
                                              "Resolved 2 packages in Xms\n"
                                              "Found up-to-date lockfile at: uv.lock\n"
                                              "Checked 1 package in Xms\n"
                                              "Would make no changes\n")


def test_check_fails_when_the_environment_is_outdated(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    assert puv("sync", "--check", cwd=root, env=env).returncode == 0
    shutil.rmtree(next(site_packages(root / ".venv").glob("gamma-*.dist-info")))
    result = puv("sync", "--check", cwd=root, env=env)
    assert assert_clean_error(result).endswith(
        "Would install 1 package\n + gamma==1.0.0\n"
        "error: The environment is outdated; run `puv sync` to update the environment\n")


def test_check_and_locked_dry_run_with_a_stale_lock(puv: Runner, workdir: Path,
                                                     env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text().replace('["gamma"]', '["gamma", "beta"]'))
    lock = (root / "uv.lock").read_text()
    result = puv("sync", "--check", cwd=root, env=env)
    text = assert_clean_error(result)
    assert "Would update lockfile at: uv.lock\n" in text
    assert text.endswith(" + beta==1.0.0\nerror: The environment is outdated; run `puv sync` "
                         "to update the environment\n")
    result = puv("sync", "--locked", "--dry-run", cwd=root, env=env)
    text = assert_clean_error(result)
    assert "Would update lockfile" not in text
    assert text.endswith(" + beta==1.0.0\nerror: The lockfile at `uv.lock` needs to be "
                         "updated, but `--locked` was provided.\n\nhint: To update the "
                         "lockfile, run `puv lock`.\n")
    assert (root / "uv.lock").read_text() == lock
    assert set(installed(root / ".venv")) == {"gamma"}


def test_reinstall_package(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma", "beta"), build_system=False)
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    result = puv("sync", "--reinstall-package", "gamma", cwd=root, env=env)
    assert normalized(result.stderr, root).endswith(
        "Prepared 1 package in Xms\nUninstalled 1 package in Xms\n"
        "Installed 1 package in Xms\n ~ gamma==1.0.0\n"), result


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.uname().machine != "x86_64",
                    reason="the wheels are for Linux x86-64 and Windows")
def test_python_platform_installs_that_platforms_wheels(puv: Runner, workdir: Path,
                                                         env) -> None:
    root = write_project(workdir / "app", dependencies=("native",), build_system=False)
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    wheel = next(site_packages(root / ".venv").glob("native-*.dist-info")) / "WHEEL"
    assert "Tag: py3-none-manylinux_2_17_x86_64" in wheel.read_text()
    result = puv("sync", "--python-platform", "windows", cwd=root, env=env)
    assert normalized(result.stderr, root).endswith(" ~ native==1.0.0\n"), result
    wheel = next(site_packages(root / ".venv").glob("native-*.dist-info")) / "WHEEL"
    assert "Tag: py3-none-win_amd64" in wheel.read_text()
    again = puv("sync", "--python-platform", "windows", cwd=root, env=env)
    assert "Checked 1 package" in again.stderr


def test_compile_bytecode(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    result = puv("sync", "-p", BASE, "--compile-bytecode", cwd=root, env=env)
    assert result.returncode == 0, result
    assert list((site_packages(root / ".venv") / "gamma").glob("__pycache__/*.pyc"))


def test_hash_in_the_lock_is_checked(puv: Runner, workdir: Path, env, index) -> None:
    root = write_project(workdir / "app", dependencies=("gamma",), build_system=False)
    locked(puv, root, env)
    lock = (root / "uv.lock").read_text()
    digest = re.search(r"gamma-1.0.0-py3-none-any.whl\", hash = \"sha256:([0-9a-f]+)",
                       lock).group(1)
    (root / "uv.lock").write_text(lock.replace(digest, "0" * 64))
    result = puv("sync", "--frozen", "-p", BASE, cwd=root, env=env)
    assert "Hash mismatch" in assert_clean_error(result), result.stderr
    assert not (root / ".venv" / "lib").exists() or "gamma" not in installed(root / ".venv")


def test_freshness_stamp_is_recorded(puv: Runner, workdir: Path, env) -> None:
    root = write_project(workdir / "app", build_system=False)
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    assert (root / ".venv" / ".puv-stamp").is_file()
    assert puv("sync", "--dry-run", cwd=root, env=env).returncode == 0


# -- sources: a hand-written lock, read as it is -----------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_source_from_a_hand_written_lock(puv: Runner, workdir: Path, tmp_path: Path,
                                             env) -> None:
    from tests.support.builds import git_repository

    origin = git_repository(tmp_path / "origin")
    write_project(origin.path, "gitlib")
    commit = origin.commit("gitlib 0.1.0")
    origin.tag("v1")
    root = write_project(workdir / "app", dependencies=("gitlib",), build_system=False)
    (root / "uv.lock").write_text(f"""\
version = 1
revision = 5
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = {{ virtual = "." }}
dependencies = [
    {{ name = "gitlib" }},
]

[package.metadata]
requires-dist = [{{ name = "gitlib", git = "{origin.url}?tag=v1" }}]

[[package]]
name = "gitlib"
version = "0.1.0"
source = {{ git = "{origin.url}?tag=v1#{commit}" }}
""")
    result = puv("sync", "--frozen", "-p", BASE, cwd=root, env=env)
    assert result.returncode == 0, result
    assert normalized(result.stderr, root).endswith(
        f"   Building gitlib @ git+{origin.url}@{commit}\n"
        f"      Built gitlib @ git+{origin.url}@{commit}\n"
        "Prepared 1 package in Xms\n"
        "Installed 1 package in Xms\n"
        f" + gitlib==0.1.0 (from git+{origin.url}@{commit})\n"), result.stderr
    direct = json.loads((site_packages(root / ".venv") / "gitlib-0.1.0.dist-info" /
                         "direct_url.json").read_text())
    assert direct == {"url": origin.url, "vcs_info": {
        "vcs": "git", "commit_id": commit, "requested_revision": "v1"}}
    again = puv("sync", "--frozen", cwd=root, env=env)
    assert normalized(again.stderr, root) == "Checked 1 package in Xms\n"


# -- workspaces ------------------------------------------------------------------------------


@pytest.fixture
def workspace(workdir: Path) -> Path:
    root = write_project(workdir / "ws", "root-app", dependencies=("member-a", "alpha"),
                         build_system=False,
                         tool_uv='sources = { member-a = { workspace = true } }\n'
                                 'workspace = { members = ["packages/*"] }')
    write_project(root / "packages" / "member-a", "member-a", dependencies=("beta",),
                  extras={"x": ["gamma"]})
    write_project(root / "packages" / "member-b", "member-b", dependencies=("delta[x]",),
                  build_system=False)
    return root


def test_workspace_root_installs_its_members(puv: Runner, workspace: Path, env) -> None:
    result = puv("sync", "-p", BASE, cwd=workspace, env=env)
    assert result.returncode == 0, result
    assert installed(workspace / ".venv") == {"alpha": "2.0.0", "beta": "1.0.0",
                                              "member-a": "0.1.0"}
    result = puv("sync", "--all-packages", cwd=workspace, env=env)
    assert set(installed(workspace / ".venv")) == {"alpha", "beta", "member-a", "delta",
                                                   "gamma"}
    result = puv("sync", "--package", "member-a", "--extra", "x", cwd=workspace, env=env)
    assert set(installed(workspace / ".venv")) == {"beta", "member-a", "gamma"}
    member = puv("sync", "--no-install-workspace", cwd=workspace / "packages" / "member-b",
                 env=env)
    assert member.returncode == 0, member
    assert set(installed(workspace / ".venv")) == {"delta", "gamma"}


def test_unknown_package_in_the_workspace(puv: Runner, workspace: Path, env) -> None:
    result = puv("sync", "-p", BASE, "--package", "nope", cwd=workspace, env=env)
    assert assert_clean_error(result, code=2) == (
        f"error: The workspace does not have a member nope: {workspace}\n")
    result = puv("sync", "-p", BASE, "--package", "member-a", "--package", "nope",
                 cwd=workspace, env=env)
    assert assert_clean_error(result, code=2) == (
        "error: Package `nope` not found in workspace\n")


def test_unchanged_sync_answers_from_the_stamp(puv: Runner, workdir: Path, env,
                                               isolated_env) -> None:
    """A second `puv sync` with nothing changed prints uv's two lines without reading the
    lock or the environment (no lock, installer or resolver import); a change syncs again."""
    import subprocess

    root = write_project(workdir / "app", dependencies=("alpha>=2",), build_system=False)
    assert puv("sync", "-p", BASE, cwd=root, env=env).returncode == 0
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "puv", "sync", "-p", BASE],
                          cwd=root, env={**isolated_env, **env}, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if not line.startswith("import time:")]
    assert [line.split(" in ")[0] for line in lines] == ["Resolved 3 packages",
                                                         "Checked 2 packages"]
    modules = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()
               if line.startswith("import time:")}
    assert not [m for m in modules if m.startswith(("puv.lock", "puv.resolver",
                                                    "puv.installer", "puv.net"))]
    assert puv("pip", "uninstall", "--python", str(root / ".venv" / "bin" / "python"),
               "beta", env=env).returncode == 0
    again = puv("sync", cwd=root, env=env)
    assert again.returncode == 0, again
    assert " + beta==1.0.0" in again.stderr
