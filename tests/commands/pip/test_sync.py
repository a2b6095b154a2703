"""`puv pip sync` end to end: a real `puv` against a local index on 127.0.0.1, checking the
report lines, what lands in the environment, and the errors.

The expected outputs were taken from uv 0.13.8 running the same commands against the same
index (durations masked).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Result, Runner, assert_clean_error
from tests.support.fixtures import PackageIndexFactory
from tests.support.index import PackageIndex
from tests.support.wheels import WheelSpec, build_wheel

MINOR = f"{sys.version_info.major}.{sys.version_info.minor}"
VERSION = ".".join(map(str, sys.version_info[:3]))

_DURATION = re.compile(r" in (?:\d+\.\d+m?s|\d+ms|\d+m \d\ds)$", re.MULTILINE)


def masked(text: str) -> str:
    """The output with every duration (`in 3ms`, `in 0.04ms`, `in 1.20s`) as `in [TIME]`."""
    return _DURATION.sub(" in [TIME]", text)


def _init(name: str, version: str) -> str:
    return f'__version__ = "{version}"\n\n\ndef main():\n    print("{name} {version}")\n'


def _with_script(name: str, version: str, **options: object) -> dict[str, object]:
    return {"files": {f"{name}/__init__.py": _init(name, version)},
            "entry_points": {"console_scripts": {f"{name}-cli": f"{name}:main"}}, **options}


PACKAGES = {
    "a": {"1.0": _with_script("a", "1.0"), "2.0": _with_script("a", "2.0"),
          "3.0": {"yanked": True}},
    "b": ["1.0", "2.0"],
    "c": {"1.0": {}, "2.0": {"requires_python": ">=3.99"}},
    "d": {"1.0": {"sdist": True, "wheel": False}},
    "e": {"1.0": {}, "2.0": {"yanked": "broken build"}},
}


def site_packages(venv: Path) -> Path:
    return venv / "lib" / f"python{MINOR}" / "site-packages"


def installed(venv: Path) -> list[str]:
    """The `.dist-info` (and other metadata) directories of an environment, sorted."""
    return sorted(p.name for p in site_packages(venv).iterdir()
                  if p.name.endswith((".dist-info", ".egg-info", ".egg-link")))


def make_venv(run: Runner, where: Path) -> Path:
    result = run("venv", str(where), "--python", sys.executable)
    assert result.returncode == 0, result
    return where


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def run(puv: Runner, cache: Path) -> Runner:
    """`puv` with a cache of this test's own, so that `Prepared` lines are predictable."""

    def call(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> Result:
        return puv(*args, env={"UV_CACHE_DIR": str(cache), **(env or {})}, **kwargs)

    return call


@pytest.fixture
def venv(run: Runner, workdir: Path) -> Path:
    """`.venv` in the working directory, found by puv without `--python`."""
    return make_venv(run, workdir / ".venv")


@pytest.fixture
def index(package_index: PackageIndexFactory) -> PackageIndex:
    return package_index(PACKAGES)


def sync(run: Runner, index: PackageIndex, *args: str, **kwargs: object) -> Result:
    return run("pip", "sync", "--index-url", index.url, *args, **kwargs)


def ok(result: Result) -> str:
    """The masked stderr of a successful run (which prints nothing on stdout)."""
    assert result.returncode == 0, result
    assert result.stdout == "", result
    assert "Traceback" not in result.stderr
    return masked(result.stderr)


def python(venv: Path, code: str) -> str:
    proc = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True,
                          text=True, check=True)
    return proc.stdout.strip()


# -- the plan and its report -----------------------------------------------------------------


def test_sync_installs_the_listed_packages(run: Runner, index: PackageIndex, venv: Path,
                                           workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\nb==1.0\n")
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 2 packages in [TIME]\n"
        "Prepared 2 packages in [TIME]\n"
        "Installed 2 packages in [TIME]\n"
        " + a==1.0\n"
        " + b==1.0\n"
    )
    assert installed(venv) == ["a-1.0.dist-info", "b-1.0.dist-info"]
    assert python(venv, "import a, b; print(a.__version__, b.__version__)") == "1.0 1.0"


def test_second_sync_is_a_no_op(run: Runner, index: PackageIndex, venv: Path,
                                workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\nb==1.0\n")
    ok(sync(run, index, "requirements.txt"))
    record = site_packages(venv) / "a-1.0.dist-info" / "RECORD"
    before = record.stat().st_ino
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 2 packages in [TIME]\n"
        "Checked 2 packages in [TIME]\n"
    )
    assert record.stat().st_ino == before  # not reinstalled


def test_sync_removes_packages_no_longer_listed(run: Runner, index: PackageIndex, venv: Path,
                                                workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\nb==1.0\n")
    ok(sync(run, index, "requirements.txt"))
    write(workdir / "requirements.txt", "a==1.0\n")
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 1 package in [TIME]\n"
        "Uninstalled 1 package in [TIME]\n"
        " - b==1.0\n"
    )
    assert installed(venv) == ["a-1.0.dist-info"]
    assert not (site_packages(venv) / "b").exists()


def test_changing_a_pin_upgrades_and_downgrades(run: Runner, index: PackageIndex, venv: Path,
                                                workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    ok(sync(run, index, "requirements.txt"))
    write(workdir / "requirements.txt", "a==2.0\n")
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 1 package in [TIME]\n"
        "Prepared 1 package in [TIME]\n"
        "Uninstalled 1 package in [TIME]\n"
        "Installed 1 package in [TIME]\n"
        " - a==1.0\n"
        " + a==2.0\n"
    )
    assert installed(venv) == ["a-2.0.dist-info"]
    assert python(venv, "import a; print(a.__version__)") == "2.0"
    write(workdir / "requirements.txt", "a==1.0\n")
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 1 package in [TIME]\n"
        "Uninstalled 1 package in [TIME]\n"
        "Installed 1 package in [TIME]\n"
        " - a==2.0\n"
        " + a==1.0\n"
    )
    assert installed(venv) == ["a-1.0.dist-info"]


def test_reinstall_and_reinstall_package(run: Runner, index: PackageIndex, venv: Path,
                                         workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\nb==1.0\n")
    ok(sync(run, index, "requirements.txt"))
    record = site_packages(venv) / "a-1.0.dist-info" / "RECORD"
    first = record.stat().st_ino
    assert ok(sync(run, index, "requirements.txt", "--reinstall-package", "A")) == (
        "Resolved 2 packages in [TIME]\n"
        "Prepared 1 package in [TIME]\n"
        "Uninstalled 1 package in [TIME]\n"
        "Installed 1 package in [TIME]\n"
        " ~ a==1.0\n"
    )
    assert record.stat().st_ino != first  # written again
    assert ok(sync(run, index, "requirements.txt", "--reinstall")) == (
        "Resolved 2 packages in [TIME]\n"
        "Prepared 2 packages in [TIME]\n"
        "Uninstalled 2 packages in [TIME]\n"
        "Installed 2 packages in [TIME]\n"
        " ~ a==1.0\n"
        " ~ b==1.0\n"
    )
    assert installed(venv) == ["a-1.0.dist-info", "b-1.0.dist-info"]


def test_dry_run_changes_nothing(run: Runner, index: PackageIndex, venv: Path,
                                 workdir: Path, cache: Path) -> None:
    write(workdir / "requirements.txt", "a==2.0\n")
    ok(sync(run, index, "requirements.txt"))
    write(workdir / "requirements.txt", "a==1.0\nb==1.0\n")
    assert ok(sync(run, index, "requirements.txt", "--dry-run")) == (
        "Resolved 2 packages in [TIME]\n"
        "Would download 2 packages\n"
        "Would uninstall 1 package\n"
        "Would install 2 packages\n"
        " - a==2.0\n"
        " + a==1.0\n"
        " + b==1.0\n"
    )
    assert installed(venv) == ["a-2.0.dist-info"]
    write(workdir / "requirements.txt", "a==2.0\n")
    assert ok(sync(run, index, "requirements.txt", "--dry-run")) == (
        "Resolved 1 package in [TIME]\n"
        "Checked 1 package in [TIME]\n"
        "Would make no changes\n"
    )
    # A reinstall, as uv shows it in a dry run: out, then in again (from the cache).
    assert ok(sync(run, index, "requirements.txt", "--dry-run", "--reinstall")) == (
        "Resolved 1 package in [TIME]\n"
        "Would download 1 package\n"
        "Would uninstall 1 package\n"
        "Would install 1 package\n"
        " - a==2.0\n"
        " + a==2.0\n"
    )
    assert installed(venv) == ["a-2.0.dist-info"]
    assert (cache / "archive-v1" / "a").is_dir()
    assert not (cache / "archive-v1" / "b").exists()  # nothing was downloaded


# -- choosing versions -----------------------------------------------------------------------


def test_unpinned_requirement_picks_the_newest_allowed(run: Runner, index: PackageIndex,
                                                       venv: Path, workdir: Path) -> None:
    write(workdir / "requirements.txt", "a>=1\nb<2\n")
    assert ok(sync(run, index, "requirements.txt")).endswith(" + a==2.0\n + b==1.0\n")
    assert installed(venv) == ["a-2.0.dist-info", "b-1.0.dist-info"]  # a 3.0 is yanked


def test_installed_version_that_satisfies_is_kept(run: Runner, index: PackageIndex,
                                                  venv: Path, workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    ok(sync(run, index, "requirements.txt"))
    write(workdir / "requirements.txt", "a>=1\n")
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 1 package in [TIME]\nChecked 1 package in [TIME]\n")
    write(workdir / "constraints.txt", "a>=2\n")
    assert ok(sync(run, index, "requirements.txt", "-c", "constraints.txt")).endswith(
        " - a==1.0\n + a==2.0\n")


def test_yanked_versions_need_an_exact_pin(run: Runner, index: PackageIndex, venv: Path,
                                           workdir: Path) -> None:
    write(workdir / "requirements.txt", "e\n")
    assert ok(sync(run, index, "requirements.txt")).endswith(" + e==1.0\n")
    write(workdir / "requirements.txt", "e==2.0\n")
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 1 package in [TIME]\n"
        "Prepared 1 package in [TIME]\n"
        "Uninstalled 1 package in [TIME]\n"
        "Installed 1 package in [TIME]\n"
        " - e==1.0\n"
        " + e==2.0\n"
        'warning: `e==2.0` is yanked (reason: "broken build")\n'
    )
    write(workdir / "requirements.txt", "a==3.0\n")
    assert ok(sync(run, index, "requirements.txt")).endswith(
        " + a==3.0\n - e==2.0\nwarning: `a==3.0` is yanked\n")
    assert installed(venv) == ["a-3.0.dist-info"]


def test_versions_requiring_another_python_are_excluded(run: Runner, index: PackageIndex,
                                                        venv: Path, workdir: Path) -> None:
    write(workdir / "requirements.txt", "c\n")
    assert ok(sync(run, index, "requirements.txt")).endswith(" + c==1.0\n")
    write(workdir / "requirements.txt", "c==2.0\n")
    error = assert_clean_error(sync(run, index, "requirements.txt"))
    assert error.startswith("error: No solution found when resolving dependencies\n"
                            "  cause: Because ")
    assert ">=3.99" in error and "you require c==2.0" in error
    assert installed(venv) == ["c-1.0.dist-info"]


def test_environment_markers_are_evaluated(run: Runner, index: PackageIndex, venv: Path,
                                           workdir: Path) -> None:
    write(workdir / "requirements.txt",
          f"a==1.0 ; sys_platform == '{sys.platform}'\nb==1.0; sys_platform == 'win32'\n"
          "c==1.0 ; python_version < '3'\n")
    assert ok(sync(run, index, "requirements.txt")) == (
        "Resolved 1 package in [TIME]\n"
        "Prepared 1 package in [TIME]\n"
        "Installed 1 package in [TIME]\n"
        " + a==1.0\n"
    )
    assert installed(venv) == ["a-1.0.dist-info"]


def test_constraints_narrow_the_choice(run: Runner, index: PackageIndex, venv: Path,
                                       workdir: Path) -> None:
    write(workdir / "requirements.txt", "a\nb\n")
    write(workdir / "constraints.txt", "a<2\nb<2\nc==1.0\n")
    assert ok(sync(run, index, "requirements.txt", "-c", "constraints.txt")) == (
        "Resolved 2 packages in [TIME]\n"
        "Prepared 2 packages in [TIME]\n"
        "Installed 2 packages in [TIME]\n"
        " + a==1.0\n"
        " + b==1.0\n"
    )
    assert installed(venv) == ["a-1.0.dist-info", "b-1.0.dist-info"]  # c: only constrained


def test_included_files_are_read(run: Runner, index: PackageIndex, venv: Path,
                                 workdir: Path) -> None:
    write(workdir / "base" / "base.txt", "b==2.0\n-c pins.txt\n")
    write(workdir / "base" / "pins.txt", "a<2\n")
    write(workdir / "requirements.txt", "-r base/base.txt\na\n")
    assert ok(sync(run, index, "requirements.txt")).endswith(" + a==1.0\n + b==2.0\n")
    assert installed(venv) == ["a-1.0.dist-info", "b-2.0.dist-info"]


def test_index_url_inside_the_file(run: Runner, index: PackageIndex, venv: Path,
                                   workdir: Path) -> None:
    write(workdir / "requirements.txt", f"--index-url {index.url}\nb==2.0\n")
    assert ok(run("pip", "sync", "requirements.txt")).endswith(" + b==2.0\n")
    assert "/simple/b/" in [r.path for r in index.requests]


def test_extra_index_url_is_searched(run: Runner, index: PackageIndex,
                                     package_index: PackageIndexFactory, venv: Path,
                                     workdir: Path) -> None:
    other = package_index({"unrelated": ["1.0"]})
    write(workdir / "requirements.txt", "b==1.0\n")
    result = run("pip", "sync", "--index-url", other.url, "--extra-index-url", index.url,
                 "requirements.txt")
    assert ok(result).endswith(" + b==1.0\n")
    write(workdir / "requirements.txt", f"--extra-index-url {index.url}\nb==2.0\n")
    result = run("pip", "sync", "--index-url", other.url, "requirements.txt")
    assert ok(result).endswith(" - b==1.0\n + b==2.0\n")


def test_find_links_directory(run: Runner, index: PackageIndex, venv: Path,
                              workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    result = run("pip", "sync", "--no-index", "--find-links", str(index.find_links_dir),
                 "requirements.txt")
    assert ok(result) == (
        "Resolved 1 package in [TIME]\n"
        "Prepared 1 package in [TIME]\n"
        "Installed 1 package in [TIME]\n"
        " + a==1.0\n"
    )
    write(workdir / "requirements.txt",
          f"--no-index\n--find-links {index.find_links_dir}\nb==2.0\n")
    assert ok(run("pip", "sync", "requirements.txt")).endswith(" - a==1.0\n + b==2.0\n")
    assert index.requests == []  # a directory, not the server


# -- errors ----------------------------------------------------------------------------------


def test_sdist_only_package_needs_a_build(run: Runner, index: PackageIndex, venv: Path,
                                          workdir: Path) -> None:
    write(workdir / "requirements.txt", "d==1.0\n")
    error = assert_clean_error(sync(run, index, "requirements.txt"))
    assert error.startswith("error: `d==1.0` has no wheel for CPython ")
    assert "only a source distribution (`d-1.0.tar.gz`), which needs a build" in error
    assert installed(venv) == []


def test_unknown_package(run: Runner, index: PackageIndex, venv: Path, workdir: Path) -> None:
    write(workdir / "requirements.txt", "b==1.0\nnot-there==1.0\n")
    result = sync(run, index, "requirements.txt")
    assert_clean_error(result)
    assert result.stderr == (
        "error: No solution found when resolving dependencies\n"
        "  cause: Because not-there was not found in the package registry and you require "
        "not-there==1.0, we can conclude that your requirements are unsatisfiable.\n"
    )
    write(workdir / "requirements.txt", "b==9.0\n")
    result = sync(run, index, "requirements.txt")
    assert_clean_error(result)
    assert result.stderr == (
        "error: No solution found when resolving dependencies\n"
        "  cause: Because there is no version of b==9.0 and you require b==9.0, we can "
        "conclude that your requirements are unsatisfiable.\n"
    )
    assert installed(venv) == []


def test_empty_requirements_change_nothing_unless_allowed(run: Runner, index: PackageIndex,
                                                          venv: Path, workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\nb==1.0\n")
    ok(sync(run, index, "requirements.txt"))
    write(workdir / "empty.txt", "# nothing here\n\n")
    # uv does not fail: it warns, says what to do, and leaves the environment alone.
    assert ok(sync(run, index, "empty.txt")) == (
        "warning: Requirements file `empty.txt` does not contain any dependencies\n"
        "No requirements found (hint: use `--allow-empty-requirements` to clear the "
        "environment)\n"
    )
    assert installed(venv) == ["a-1.0.dist-info", "b-1.0.dist-info"]
    assert ok(sync(run, index, "empty.txt", "--allow-empty-requirements")) == (
        "warning: Requirements file `empty.txt` does not contain any dependencies\n"
        "Resolved in [TIME]\n"
        "Uninstalled 2 packages in [TIME]\n"
        " - a==1.0\n"
        " - b==1.0\n"
    )
    assert installed(venv) == []
    assert not (venv / "bin" / "a-cli").exists()
    assert ok(sync(run, index, "empty.txt", "--allow-empty-requirements")) == (
        "warning: Requirements file `empty.txt` does not contain any dependencies\n"
        "Resolved in [TIME]\n"
        "Checked in [TIME]\n"
    )


def test_no_virtual_environment(run: Runner, index: PackageIndex, workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    result = sync(run, index, "requirements.txt")
    assert_clean_error(result, code=2)
    assert result.stderr == (
        "error: No virtual environment found; run `puv venv` to create an environment, or "
        "pass `--system` to install into a non-virtual environment\n"
    )


# -- hashes ----------------------------------------------------------------------------------

ZEROS = "0" * 64


def test_matching_hash_installs(run: Runner, index: PackageIndex, venv: Path,
                                workdir: Path) -> None:
    digest = index.file("a-1.0-py3-none-any.whl").sha256
    write(workdir / "requirements.txt", f"a==1.0 --hash=sha256:{digest}\n")
    assert ok(sync(run, index, "requirements.txt", "--require-hashes")).endswith(" + a==1.0\n")
    assert installed(venv) == ["a-1.0.dist-info"]


def test_wrong_hash_installs_nothing(run: Runner, index: PackageIndex, venv: Path,
                                     workdir: Path) -> None:
    digest = index.file("a-1.0-py3-none-any.whl").sha256
    write(workdir / "requirements.txt", f"b==1.0\na==1.0 --hash=sha256:{ZEROS}\n")
    result = sync(run, index, "requirements.txt")
    assert_clean_error(result)
    assert masked(result.stderr) == (
        "Resolved 2 packages in [TIME]\n"
        "error: Failed to download `a==1.0`\n"
        "  cause: Hash mismatch for `a==1.0`\n"
        "\n"
        "         Expected:\n"
        f"           sha256:{ZEROS}\n"
        "\n"
        "         Computed:\n"
        f"           sha256:{digest}\n"
    )
    assert installed(venv) == []
    # Once the wheel is in the cache, the digest is still checked.
    assert_clean_error(sync(run, index, "requirements.txt"))
    assert installed(venv) == []


def test_wrong_hash_of_a_local_wheel(run: Runner, venv: Path, workdir: Path,
                                     tmp_path: Path) -> None:
    wheel = build_wheel(WheelSpec("local", "1.0"), tmp_path / "wheels")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    write(workdir / "requirements.txt", f"{wheel} --hash=sha256:{ZEROS}\n")
    result = run("pip", "sync", "requirements.txt")
    assert_clean_error(result)
    url = wheel.as_uri()
    assert masked(result.stderr) == (
        "Resolved 1 package in [TIME]\n"
        f"error: Failed to read `local @ {url}`\n"
        f"  cause: Hash mismatch for `local @ {url}`\n\n"
        f"         Expected:\n           sha256:{ZEROS}\n\n"
        f"         Computed:\n           sha256:{digest}\n"
    )
    assert installed(venv) == []


def test_require_hashes_errors(run: Runner, index: PackageIndex, venv: Path,
                               workdir: Path) -> None:
    digest = index.file("a-1.0-py3-none-any.whl").sha256
    write(workdir / "requirements.txt", f"a==1.0 --hash=sha256:{digest}\nB==1.0\n")
    result = sync(run, index, "requirements.txt", "--require-hashes")
    assert_clean_error(result, code=2)
    assert result.stderr == (
        "error: In `--require-hashes` mode, all requirements must have a hash, but none were "
        "provided for: b==1.0\n")
    write(workdir / "requirements.txt", f"a>=1.0 --hash=sha256:{digest}\n")
    result = sync(run, index, "requirements.txt", "--require-hashes")
    assert_clean_error(result, code=2)
    assert result.stderr == (
        "error: In `--require-hashes` mode, all requirements must have their versions pinned "
        "with `==`, but found: a>=1.0\n")
    # Pinning is checked first, and `--no-verify-hashes` does not lift `--require-hashes`.
    write(workdir / "requirements.txt", "--require-hashes\nb\n")
    result = sync(run, index, "requirements.txt", "--no-verify-hashes")
    assert_clean_error(result, code=2)
    assert result.stderr == (
        "error: In `--require-hashes` mode, all requirements must have their versions pinned "
        "with `==`, but found: b\n")
    assert installed(venv) == []


def test_a_hash_only_checks_its_own_requirement(run: Runner, index: PackageIndex, venv: Path,
                                                workdir: Path) -> None:
    digest = index.file("a-1.0-py3-none-any.whl").sha256
    write(workdir / "requirements.txt", f"a==1.0 --hash=sha256:{digest}\nb==1.0\n")
    assert ok(sync(run, index, "requirements.txt")).endswith(" + a==1.0\n + b==1.0\n")


def test_no_verify_hashes_ignores_them(run: Runner, index: PackageIndex, venv: Path,
                                       workdir: Path) -> None:
    write(workdir / "requirements.txt", f"a==1.0 --hash=sha256:{ZEROS}\n")
    assert ok(sync(run, index, "requirements.txt", "--no-verify-hashes")).endswith(
        " + a==1.0\n")
    assert installed(venv) == ["a-1.0.dist-info"]


# -- what lands on disk ----------------------------------------------------------------------


def _record_digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(
        b"=").decode()


def check_record(venv: Path, dist_info: str) -> list[Path]:
    """Every RECORD row names an existing file with that digest and size; the files."""
    site = site_packages(venv)
    rows = list(csv.reader((site / dist_info / "RECORD").read_text().splitlines()))
    files = []
    for path, digest, size in rows:
        target = (site / path).resolve()
        assert target.is_file(), path
        files.append(target)
        if path == f"{dist_info}/RECORD":
            assert (digest, size) == ("", "")
            continue
        data = target.read_bytes()
        assert (digest, size) == (_record_digest(data), str(len(data))), path
    assert len(set(files)) == len(files)
    return files


def test_record_installer_and_requested(run: Runner, index: PackageIndex, venv: Path,
                                        workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    ok(sync(run, index, "requirements.txt"))
    site = site_packages(venv)
    listed = set(check_record(venv, "a-1.0.dist-info"))
    on_disk = {p.resolve() for root in (site / "a", site / "a-1.0.dist-info")
               for p in root.rglob("*") if p.is_file()}
    assert on_disk <= listed
    assert (venv / "bin" / "a-cli").resolve() in listed
    assert (site / "a-1.0.dist-info" / "INSTALLER").read_text() == "puv\n"
    assert (site / "a-1.0.dist-info" / "REQUESTED").read_bytes() == b""
    assert not (site / "a-1.0.dist-info" / "direct_url.json").exists()


def test_console_scripts_run_with_the_environment_python(run: Runner, index: PackageIndex,
                                                         venv: Path, workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==2.0\n")
    ok(sync(run, index, "requirements.txt"))
    script = venv / "bin" / "a-cli"
    assert script.read_text().splitlines()[0] == f"#!{venv / 'bin' / 'python'}"
    assert os.access(script, os.X_OK)
    proc = subprocess.run([str(script)], capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stdout) == (0, "a 2.0\n")


def _data_wheel(directory: Path) -> Path:
    spec = WheelSpec("tool", "1.0", files={
        "tool-1.0.data/scripts/tool-run": "#!python\nimport tool\nprint('run', tool.__version__)\n",
        "tool-1.0.data/scripts/plain.sh": "#!/bin/sh\necho plain\n",
        "tool-1.0.data/data/share/tool/data.txt": "data\n",
        "tool-1.0.data/headers/tool.h": "int tool;\n",
        "tool-1.0.data/purelib/tool_extra.py": "X = 1\n",
        "tool/sub/mod.py": "Y = 2\n",
    }, entry_points={"console_scripts": {"tool": "tool:main"},
                     "gui_scripts": {"toolw": "tool:main"}})
    return build_wheel(spec, directory)


def test_wheel_data_directories_land_where_the_scheme_says(run: Runner, venv: Path,
                                                           workdir: Path,
                                                           tmp_path: Path) -> None:
    wheel = _data_wheel(tmp_path / "wheels")
    write(workdir / "requirements.txt", f"{wheel}\n")
    assert ok(run("pip", "sync", "requirements.txt")) == (
        "Resolved 1 package in [TIME]\n"
        "Prepared 1 package in [TIME]\n"
        "Installed 1 package in [TIME]\n"
        f" + tool==1.0 (from {wheel.as_uri()})\n"
    )
    site = site_packages(venv)
    interpreter = f"#!{venv / 'bin' / 'python'}"
    run_script = venv / "bin" / "tool-run"
    assert run_script.read_text().splitlines()[0] == interpreter  # `#!python` rewritten
    assert os.access(run_script, os.X_OK)
    assert subprocess.run([str(run_script)], capture_output=True, text=True,
                          check=True).stdout == "run 1.0\n"
    assert (venv / "bin" / "plain.sh").read_text() == "#!/bin/sh\necho plain\n"
    assert os.access(venv / "bin" / "plain.sh", os.X_OK)
    for name in ("tool", "toolw"):
        assert (venv / "bin" / name).read_text().splitlines()[0] == interpreter
        proc = subprocess.run([str(venv / "bin" / name)], capture_output=True, text=True)
        assert (proc.returncode, proc.stdout) == (0, "tool 1.0\n")
    assert (venv / "share" / "tool" / "data.txt").read_text() == "data\n"
    assert (venv / "include" / "site" / f"python{MINOR}" / "tool" / "tool.h").read_text() == \
        "int tool;\n"
    assert (site / "tool_extra.py").read_text() == "X = 1\n"
    assert (site / "tool" / "sub" / "mod.py").read_text() == "Y = 2\n"
    assert not (site / "tool-1.0.data").exists()
    files = check_record(venv, "tool-1.0.dist-info")
    assert (venv / "share" / "tool" / "data.txt").resolve() in files
    assert (venv / "bin" / "tool-run").resolve() in files


def test_local_wheel_writes_direct_url_and_syncs_once(run: Runner, venv: Path, workdir: Path,
                                                      tmp_path: Path) -> None:
    wheel = build_wheel(WheelSpec("local", "1.0"), tmp_path / "wheels")
    write(workdir / "requirements.txt", f"{wheel}\n")
    ok(run("pip", "sync", "requirements.txt"))
    direct = site_packages(venv) / "local-1.0.dist-info" / "direct_url.json"
    assert json.loads(direct.read_text()) == {"url": wheel.as_uri(), "archive_info": {}}
    check_record(venv, "local-1.0.dist-info")
    assert ok(run("pip", "sync", "requirements.txt")) == (
        "Resolved 1 package in [TIME]\nChecked 1 package in [TIME]\n")
    write(workdir / "requirements.txt", "")
    assert ok(run("pip", "sync", "requirements.txt", "--allow-empty-requirements")).endswith(
        f" - local==1.0 (from {wheel.as_uri()})\n")


# -- where and how files are placed ----------------------------------------------------------


def _cache_file(cache: Path, name: str, relative: str) -> Path:
    found = list((cache / "archive-v1" / name).glob(f"*/files/{relative}"))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_link_mode_copy(run: Runner, index: PackageIndex, venv: Path, workdir: Path,
                        cache: Path, how: str) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    if how == "option":
        ok(sync(run, index, "requirements.txt", "--link-mode", "copy"))
    else:
        ok(sync(run, index, "requirements.txt", env={"UV_LINK_MODE": "copy"}))
    installed_file = site_packages(venv) / "a" / "__init__.py"
    cached = _cache_file(cache, "a", "a/__init__.py")
    assert not installed_file.is_symlink()
    assert installed_file.stat().st_ino != cached.stat().st_ino
    assert installed_file.read_bytes() == cached.read_bytes()


def test_link_mode_hardlink(run: Runner, index: PackageIndex, venv: Path,
                            workdir: Path, cache: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    ok(sync(run, index, "requirements.txt", "--link-mode", "hardlink"))
    installed_file = site_packages(venv) / "a" / "__init__.py"
    cached = _cache_file(cache, "a", "a/__init__.py")
    assert not installed_file.is_symlink()
    assert installed_file.stat().st_ino == cached.stat().st_ino


def test_link_mode_symlink(run: Runner, index: PackageIndex, venv: Path,
                           workdir: Path, cache: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    ok(sync(run, index, "requirements.txt", "--link-mode", "symlink"))
    installed_file = site_packages(venv) / "a" / "__init__.py"
    cached = _cache_file(cache, "a", "a/__init__.py")
    assert installed_file.is_symlink()
    assert installed_file.resolve() == cached.resolve()
    assert python(venv, "import a; print(a.__version__)") == "1.0"


def test_compile_bytecode(run: Runner, index: PackageIndex, venv: Path,
                          workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    assert ok(sync(run, index, "requirements.txt", "--compile-bytecode")) == (
        "Resolved 1 package in [TIME]\n"
        "Prepared 1 package in [TIME]\n"
        "Installed 1 package in [TIME]\n"
        "Bytecode compiled 1 file in [TIME]\n"
        " + a==1.0\n"
    )
    tag = sys.implementation.cache_tag
    assert (site_packages(venv) / "a" / "__pycache__" / f"__init__.{tag}.pyc").is_file()


def test_target_directory(run: Runner, index: PackageIndex, workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    result = sync(run, index, "requirements.txt", "--target", "target", "--python",
                  sys.executable)
    out = ok(result)
    assert out.startswith(f"Using CPython {VERSION} interpreter at: ")
    assert out.endswith("Installed 1 package in [TIME]\n + a==1.0\n")
    target = workdir / "target"
    assert (target / "a" / "__init__.py").is_file()
    assert (target / "a-1.0.dist-info" / "RECORD").is_file()
    assert (target / "bin" / "a-cli").is_file()
    assert not (target / "lib").exists()
    proc = subprocess.run([sys.executable, "-c", "import a; print(a.__file__)"],
                          env={**os.environ, "PYTHONPATH": str(target)}, capture_output=True,
                          text=True, check=True)
    assert proc.stdout.strip() == str(target / "a" / "__init__.py")
    # The target is an environment of its own: syncing it again changes nothing.
    assert ok(sync(run, index, "requirements.txt", "--target", "target", "--python",
                   sys.executable)).endswith("Checked 1 package in [TIME]\n")


def test_prefix_directory(run: Runner, index: PackageIndex, workdir: Path) -> None:
    write(workdir / "requirements.txt", "a==1.0\n")
    out = ok(sync(run, index, "requirements.txt", "--prefix", "prefix", "--python",
                  sys.executable))
    assert out.endswith("Installed 1 package in [TIME]\n + a==1.0\n")
    site = workdir / "prefix" / "lib" / f"python{MINOR}" / "site-packages"
    assert (site / "a" / "__init__.py").is_file()
    assert (site / "a-1.0.dist-info" / "RECORD").is_file()
    assert (workdir / "prefix" / "bin" / "a-cli").is_file()


def test_python_option_selects_the_environment(run: Runner, index: PackageIndex,
                                               workdir: Path, tmp_path: Path) -> None:
    env = make_venv(run, tmp_path / "elsewhere")
    write(workdir / "requirements.txt", "b==1.0\n")
    for where in (env / "bin" / "python", env):
        result = sync(run, index, "requirements.txt", "--python", str(where))
        assert ok(result).startswith(f"Using Python {VERSION} environment at: {env}\n"
                                     "Resolved 1 package in [TIME]\n")
    assert installed(env) == ["b-1.0.dist-info"]
    assert not (workdir / ".venv").exists()


def test_active_virtual_environment_is_used(run: Runner, index: PackageIndex, workdir: Path,
                                            tmp_path: Path) -> None:
    env = make_venv(run, tmp_path / "active")
    write(workdir / "requirements.txt", "b==2.0\n")
    result = sync(run, index, "requirements.txt", env={"VIRTUAL_ENV": str(env)})
    assert ok(result).endswith(" + b==2.0\n")
    assert installed(env) == ["b-2.0.dist-info"]
