"""`puv lock`: the lock file uv 0.13.8 writes, byte for byte, and the lock modes.

The projects and the index are those of `tests/lock/projects.py`; their `uv.lock` fixtures
were written by uv 0.13.8 against the same (deterministically built) packages.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import assert_clean_error
from tests.lock.projects import (
    DESCRIPTION,
    FIXTURES,
    GIT_PLACEHOLDER,
    PYTHON,
    copy_files,
    find_uv,
    make_git_origin,
    normalize,
    write_project,
)

# The fixture projects whose lock puv writes exactly as uv does.
IDENTICAL = ["plain", "markers", "strings", "workspace", "nonproject", "files", "conflicts",
             "packages",
             "git", "sources", "indexes", "relative", "fewest"]


@pytest.fixture
def index(package_index):
    return package_index(DESCRIPTION)


def _lock(puv, workdir: Path, index, *args: str):
    return puv("lock", "--python", PYTHON, *args,
               env={"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"},
               cwd=workdir)


@pytest.mark.parametrize("name", IDENTICAL)
def test_lock_is_byte_identical_to_uv(name: str, index, puv, workdir: Path,
                                      tmp_path: Path) -> None:
    git_url = make_git_origin(tmp_path / "origin") if name == "git" else GIT_PLACEHOLDER
    write_project(name, workdir, index.url, git_url)
    copy_files(name, workdir, index.find_links_dir)
    result = _lock(puv, workdir, index)
    assert result.returncode == 0, result.stderr
    got = normalize((workdir / "uv.lock").read_text(), index.url).replace(git_url,
                                                                            GIT_PLACEHOLDER)
    assert got == (FIXTURES / name / "uv.lock").read_text()


def test_second_lock_changes_nothing(index, puv, workdir: Path) -> None:
    write_project("plain", workdir, index.url)
    assert _lock(puv, workdir, index).returncode == 0
    before = (workdir / "uv.lock").stat().st_mtime_ns
    result = _lock(puv, workdir, index)
    assert result.returncode == 0, result.stderr
    assert "Resolved 7 packages in" in result.stderr
    assert (workdir / "uv.lock").stat().st_mtime_ns == before
    assert _lock(puv, workdir, index, "--locked").returncode == 0
    assert _lock(puv, workdir, index, "--check").returncode == 0


def test_locked_fails_on_a_stale_lock_and_leaves_it(index, puv, workdir: Path) -> None:
    write_project("plain", workdir, index.url)
    assert _lock(puv, workdir, index).returncode == 0
    text = (workdir / "uv.lock").read_text()
    pyproject = workdir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"alpha>=1"', '"alpha>=1", "epsilon"'))
    result = _lock(puv, workdir, index, "--locked")
    message = assert_clean_error(result)
    assert "The lockfile at `uv.lock` needs to be updated, but `--locked` was provided." \
        in message
    assert (workdir / "uv.lock").read_text() == text
    # --dry-run reports, and writes nothing either.
    result = _lock(puv, workdir, index, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert (workdir / "uv.lock").read_text() == text
    # A plain lock updates it.
    assert _lock(puv, workdir, index).returncode == 0
    assert (workdir / "uv.lock").read_text() != text


def test_frozen_needs_a_lock(index, puv, workdir: Path) -> None:
    write_project("plain", workdir, index.url)
    message = assert_clean_error(_lock(puv, workdir, index, "--frozen"))
    assert "Unable to find lockfile at `uv.lock`" in message
    assert not (workdir / "uv.lock").exists()


def test_locked_versions_are_kept(package_index, puv, workdir: Path) -> None:
    """Existing locked versions are preferences: a newer release does not move them."""
    old = package_index({"alpha": ["1.0.0"], "beta": ["1.0.0"]})
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
        'dependencies = ["alpha"]\n')
    assert _lock(puv, workdir, old).returncode == 0
    new = package_index({"alpha": ["1.0.0", "2.0.0"], "beta": ["1.0.0", "2.0.0"]})
    text = (workdir / "uv.lock").read_text().replace(old.url.removesuffix("simple/"),
                                                     new.url.removesuffix("simple/"))
    (workdir / "uv.lock").write_text(text)
    pyproject = workdir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('["alpha"]', '["alpha", "beta"]'))
    assert _lock(puv, workdir, new).returncode == 0
    lock = (workdir / "uv.lock").read_text()
    assert 'name = "alpha"\nversion = "1.0.0"' in lock
    assert 'name = "beta"\nversion = "2.0.0"' in lock
    result = _lock(puv, workdir, new, "--upgrade-package", "alpha")
    assert result.returncode == 0, result.stderr
    assert "Updated alpha v1.0.0 -> v2.0.0" in result.stderr
    assert 'name = "alpha"\nversion = "2.0.0"' in (workdir / "uv.lock").read_text()


def test_unsatisfiable_lock_names_the_project(package_index, puv, workdir: Path) -> None:
    index = package_index({"alpha": ["1.0.0"]})
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
        'dependencies = ["alpha>=2"]\n')
    message = assert_clean_error(_lock(puv, workdir, index))
    assert "your project depends on alpha>=2" in message
    assert not (workdir / "uv.lock").exists()


UV = find_uv()


@pytest.mark.skipif(UV is None, reason="uv 0.13.8 is not installed")
@pytest.mark.parametrize("name", ["plain", "markers", "workspace", "conflicts", "packages"])
def test_uv_accepts_the_lock_puv_writes(name: str, index, puv, workdir: Path,
                                        tmp_path: Path) -> None:
    write_project(name, workdir, index.url)
    assert _lock(puv, workdir, index).returncode == 0
    text = (workdir / "uv.lock").read_text()
    env = {**os.environ, "UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never",
           "UV_CACHE_DIR": str(tmp_path / "uv-cache")}
    assert UV is not None
    result = subprocess.run([UV, "lock", "--locked", "--python", PYTHON], cwd=workdir,
                            env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (workdir / "uv.lock").read_text() == text


def test_group_conflict_is_explained_with_uvs_names(package_index, puv, workdir: Path) -> None:
    index = package_index({"alpha": ["1.0.0", "2.0.0"]})
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
        'dependencies = ["alpha==2.0.0"]\n[dependency-groups]\ndev = ["alpha==1.0.0"]\n')
    message = assert_clean_error(_lock(puv, workdir, index))
    assert "demo:dev depends on alpha==1.0.0" in message
    assert "your project depends on alpha==2.0.0" in message
    assert "And because your project requires demo:dev, we can conclude that your " \
        "project's requirements are unsatisfiable." in message


def test_conflicting_members_sync_one_at_a_time(index, puv, workdir: Path) -> None:
    """`conflicts = [[{ package = "a" }, { package = "b" }]]`: each member syncs with its own
    `alpha`, the two together are refused with uv's message."""
    write_project("packages", workdir, index.url)
    env = {"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"}
    assert _lock(puv, workdir, index).returncode == 0
    python = workdir / ".venv" / "bin" / "python"
    for member, expected in (("a", {"alpha==2.0.0", "beta==1.0.0", "gamma==2.0.0"}),
                             ("b", {"alpha==1.0.0", "beta==1.0.0"})):
        # (`c`, a member `a` depends on, would need setuptools from the index to build.)
        result = puv("sync", "--package", member, "--locked", "--no-install-workspace",
                     "--python", PYTHON, env=env, cwd=workdir)
        assert result.returncode == 0, result.stderr
        assert _freeze(puv, python) == expected
    message = assert_clean_error(puv("sync", "--all-packages", "--locked", "--python",
                                     PYTHON, env=env, cwd=workdir), code=2)
    assert "Package `a` and package `b` are incompatible with the declared conflicts: " \
        "{a, b}" in message


def _freeze(puv, python: Path) -> set[str]:
    result = puv("pip", "freeze", "--python", str(python))
    assert result.returncode == 0, result.stderr
    return {line for line in result.stdout.splitlines() if "==" in line}


@pytest.mark.skipif(UV is None, reason="uv 0.13.8 is not installed")
@pytest.mark.parametrize("name", ["plain", "markers", "workspace"])
def test_puv_syncs_the_lock_uv_writes_to_the_same_versions(
        name: str, index, puv, workdir: Path, tmp_path: Path) -> None:
    write_project(name, workdir, index.url)
    env = {**os.environ, "UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never",
           "UV_CACHE_DIR": str(tmp_path / "uv-cache"), "UV_PROJECT_ENVIRONMENT": ".venv-uv"}
    assert UV is not None
    # The projects themselves would need a build backend the local index does not have.
    flags = ["--locked", "--all-extras", "--all-groups", "--no-install-workspace"]
    for command in (["lock"], ["sync", *flags]):
        result = subprocess.run([UV, *command, "--python", PYTHON], cwd=workdir, env=env,
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
    text = (workdir / "uv.lock").read_text()
    result = puv("sync", *flags, "--python", PYTHON,
                 env={"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"},
                 cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert (workdir / "uv.lock").read_text() == text
    assert _freeze(puv, workdir / ".venv" / "bin" / "python") == _freeze(
        puv, workdir / ".venv-uv" / "bin" / "python")


def test_required_environment_without_wheels_fails_as_uv_says(package_index, puv,
                                                               workdir: Path) -> None:
    index = package_index({"winonly": {"1.0.0": {"wheel_tags": ["cp312-cp312-win_amd64"],
                                                 "sdist": False}}})
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0.1"\nrequires-python = ">=3.12"\n'
        'dependencies = ["winonly"]\n[tool.uv]\n'
        "required-environments = [\"sys_platform == 'linux'\"]\n")
    message = assert_clean_error(_lock(puv, workdir, index))
    assert message.splitlines()[:3] == [
        "error: No solution found when resolving dependencies for split (markers: "
        "sys_platform != 'win32')",
        "  cause: Because winonly==1.0.0 has no Linux-compatible wheels and only "
        "winonly==1.0.0 is available, we can conclude that all versions of winonly cannot "
        "be used.",
        "         And because your project depends on winonly, we can conclude that your "
        "project's requirements are unsatisfiable."]
    assert not (workdir / "uv.lock").exists()


def test_invalid_required_environment_marker_is_named(package_index, puv,
                                                      workdir: Path) -> None:
    """The seed's own example writes `platform.machine()`: puv names it and the fix."""
    index = package_index({"alpha": ["1.0.0"]})
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0.1"\nrequires-python = ">=3.12"\n'
        'dependencies = ["alpha"]\n[tool.uv]\n'
        "required-environments = [\"sys_platform == 'darwin' and platform.machine() == "
        "'x86_64'\"]\n")
    message = assert_clean_error(_lock(puv, workdir, index), code=2)
    assert "tool.uv.required-environments" in message
    assert "hint: `platform.machine()` is Python code, not a marker variable: write " \
        "`platform_machine`" in message
    assert not (workdir / "uv.lock").exists()


@pytest.mark.parametrize("command", [("lock",), ("sync",), ("add", "alpha"), ("run", "true")])
def test_broken_pyproject_is_named_and_nothing_changes(command: tuple[str, ...], puv,
                                                       workdir: Path) -> None:
    broken = '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["alpha"\n'
    (workdir / "pyproject.toml").write_text(broken)
    (workdir / "uv.lock").write_text("version = 1\nrevision = 5\nrequires-python = '>=3.12'\n")
    message = assert_clean_error(puv(*command))
    assert f"Failed to parse `{workdir / 'pyproject.toml'}`" in message
    assert "Unclosed array" in message
    assert (workdir / "pyproject.toml").read_text() == broken
    assert (workdir / "uv.lock").read_text().startswith("version = 1\n")
    assert not (workdir / ".venv").exists()


def test_extras_requiring_the_projects_own_extras_are_flattened(package_index, puv,
                                                                workdir: Path) -> None:
    """`self = ["app[more]"]`: uv records `more`'s dependencies under `self`."""
    index = package_index({"ee": ["1.0.0"], "ff": ["1.0.0"]})
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
        'dependencies = []\n[project.optional-dependencies]\nself = ["app[more]", "ff"]\n'
        'more = ["ee"]\n')
    assert _lock(puv, workdir, index).returncode == 0
    lock = (workdir / "uv.lock").read_text()
    assert ('[package.optional-dependencies]\nmore = [\n    { name = "ee" },\n]\n'
            'self = [\n    { name = "ee" },\n    { name = "ff" },\n]\n') in lock
    assert '{ name = "app", extras = ["more"], marker = "extra == \'self\'" }' in lock


def test_one_version_from_two_indexes_is_locked_and_synced_per_extra(index, puv,
                                                                       workdir: Path) -> None:
    # `indexes`: the `cpu` and `gpu` extras take alpha 2.0.0 from two indexes (one URL with a
    # trailing slash, one without), so the lock has two alpha entries, as uv writes.
    write_project("indexes", workdir, index.url)
    assert _lock(puv, workdir, index).returncode == 0
    text = (workdir / "uv.lock").read_text()
    assert text.count('name = "alpha"\nversion = "2.0.0"') == 2
    env = {"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"}
    for extra in ("cpu", "gpu"):
        result = puv("sync", "--locked", "--extra", extra, "--python", PYTHON, env=env,
                     cwd=workdir)
        assert result.returncode == 0, result.stderr
        frozen = _freeze(puv, workdir / ".venv" / "bin" / "python")
        assert "alpha==2.0.0" in frozen and "gamma==2.0.0" in frozen
    both = puv("sync", "--locked", "--extra", "cpu", "--extra", "gpu", "--python", PYTHON,
               env=env, cwd=workdir)
    assert both.returncode != 0
    assert "indexes[cpu]" in both.stderr and "indexes[gpu]" in both.stderr
    assert (workdir / "uv.lock").read_text() == text


def test_script_lock_is_byte_identical_to_uv_and_kept_while_current(index, puv,
                                                                     workdir: Path) -> None:
    write_project("script", workdir, index.url)
    result = _lock(puv, workdir, index, "--script", "s.py")
    assert result.returncode == 0, result.stderr
    lock = workdir / "s.py.lock"
    assert normalize(lock.read_text(), index.url) == (FIXTURES / "script" / "s.py.lock"
                                                      ).read_text()
    assert not (workdir / "uv.lock").exists()
    before = lock.stat().st_mtime_ns
    assert _lock(puv, workdir, index, "--script", "s.py", "--locked").returncode == 0
    assert lock.stat().st_mtime_ns == before
    script = workdir / "s.py"
    script.write_text(script.read_text().replace('"alpha<2"', '"alpha"'))
    stale = _lock(puv, workdir, index, "--script", "s.py", "--locked")
    assert stale.returncode != 0 and "needs to be updated" in stale.stderr
    assert lock.stat().st_mtime_ns == before
    assert _lock(puv, workdir, index, "--script", "s.py").returncode == 0
    # The requirement is loosened in the manifest; the locked version stays until upgraded.
    assert '    { name = "alpha" },' in lock.read_text()
    assert 'version = "1.0.0"' in lock.read_text()
    assert _lock(puv, workdir, index, "--script", "s.py", "--upgrade").returncode == 0
    assert 'name = "alpha"\nversion = "2.0.0"' in lock.read_text()


def test_script_without_metadata_is_named(index, puv, workdir: Path) -> None:
    (workdir / "plain.py").write_text("print('hi')\n")
    message = assert_clean_error(_lock(puv, workdir, index, "--script", "plain.py"))
    assert "`plain.py` does not contain a PEP 723 metadata tag" in message


@pytest.mark.parametrize("command", [("sync", "--frozen"), ("export", "--frozen"),
                                     ("tree", "--frozen")])
def test_a_bad_marker_in_the_lock_is_named(command: tuple[str, ...], puv,
                                           workdir: Path) -> None:
    write_project("markers", workdir, "http://127.0.0.1:9/simple/")
    text = (FIXTURES / "markers" / "uv.lock").read_text()
    (workdir / "uv.lock").write_text(text.replace("sys_platform == 'linux'",
                                                  "sys_platform ==== 'linux'", 1))
    message = assert_clean_error(puv(*command, "--python", PYTHON,
                                     env={"UV_PYTHON_DOWNLOADS": "never"}, cwd=workdir))
    assert "Failed to parse `uv.lock`" in message and "sys_platform ==== 'linux'" in message


@pytest.mark.parametrize(("pyproject", "args", "expected"), [
    ('[project]\nname = "app"\nversion = "not a version"\n', (),
     "`not a version` is not a PEP 440 version"),
    ('[project]\nname = "app"\nversion = "0.1.0"\n'
     '[project.optional-dependencies]\na = []\nb = []\n'
     '[tool.uv]\nconflicts = [[{ extra = 1 }, { extra = 2 }]]\n', (),
     "Invalid item in `tool.uv.conflicts[0]`"),
    ('[project]\nname = "app"\nversion = "0.1.0"\n'
     '[tool.uv]\nconflicts = [[{ package = "app" }, { package = "other" }]]\n', (),
     "The conflict `{ package = \"other\" }` in "),
    ('[project]\nname = "app"\nversion = "0.1.0"\n'
     '[tool.uv]\nconflicts = [[{ package = "app", extra = "a", group = "b" }, {}]]\n', (),
     "Invalid item in `tool.uv.conflicts[0]`"),
    ('[project]\nname = "app"\nversion = "0.1.0"\n', ("--upgrade-package", "a b!"),
     "Invalid value for `--upgrade-package`: `a b!`"),
])
def test_bad_values_are_clean_errors(pyproject: str, args: tuple[str, ...], expected: str,
                                     puv, workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text(pyproject)
    message = assert_clean_error(puv("lock", "--offline", "--python", PYTHON, *args,
                                     env={"UV_PYTHON_DOWNLOADS": "never"}, cwd=workdir))
    assert expected in message
    assert not (workdir / "uv.lock").exists()


def test_bad_add_marker_is_a_clean_error(puv, workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0.1.0"\n'
                                            'dependencies = []\n')
    message = assert_clean_error(puv("add", "alpha", "--marker", "nonsense ==", "--frozen",
                                     cwd=workdir), code=2)
    assert "Invalid `--marker` value `nonsense ==`" in message
    assert "alpha" not in (workdir / "pyproject.toml").read_text()


def test_uv_locked_and_uv_frozen_apply_to_lock(index, puv, workdir: Path) -> None:
    write_project("plain", workdir, index.url)
    env = {"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"}
    missing = puv("lock", "--python", PYTHON, env={**env, "UV_FROZEN": "1"}, cwd=workdir)
    assert missing.returncode != 0 and not (workdir / "uv.lock").exists()
    stale = puv("lock", "--python", PYTHON, env={**env, "UV_LOCKED": "1"}, cwd=workdir)
    assert stale.returncode != 0 and not (workdir / "uv.lock").exists()
    assert _lock(puv, workdir, index).returncode == 0
