"""`puv pip install`: resolving, building, installing into an environment, against the local
test index; the real `puv` command each time."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import Runner, assert_clean_error
from tests.support.builds import recording_project

MINOR = f"{sys.version_info.major}.{sys.version_info.minor}"

UNIVERSE = {
    "a": {"1.0.0": {"requires": ["b>=1"]},
          "2.0.0": {"requires": ["b>=2", "c[x]"]}},
    "b": ["1.0", "2.0"],
    # only an sdist: installing it means building it (the in-tree backend, offline)
    "c": {"1.0": {"extras": {"x": ["d"]}, "sdist": True, "wheel": False}},
    "d": ["0.1"],
}


@pytest.fixture
def venv(puv: Runner, workdir: Path) -> Path:
    result = puv("venv", "v", "--python", sys.executable)
    assert result.returncode == 0, result
    return workdir / "v"


def installed(venv: Path) -> dict[str, str]:
    site = venv / "lib" / f"python{MINOR}" / "site-packages"
    found = {}
    for info in site.glob("*.dist-info"):
        name, _, version = info.name[: -len(".dist-info")].partition("-")
        found[name.replace("_", "-").lower()] = version
    return found


def install(puv: Runner, index, *args: str):
    return puv("pip", "install", "--python", "v", "--index-url", index.url, *args)


def test_install_resolves_dependencies_and_reports_changes(puv, venv, package_index):
    index = package_index(UNIVERSE)
    result = install(puv, index, "a==1.0.0")
    assert result.returncode == 0, result
    lines = result.stderr.splitlines()
    assert lines[1].startswith("Resolved 2 packages in ")
    assert lines[2].startswith("Prepared 2 packages in ")
    assert lines[3].startswith("Installed 2 packages in ")
    assert lines[4:] == [" + a==1.0.0", " + b==2.0"]
    assert installed(venv) == {"a": "1.0.0", "b": "2.0"}


def test_install_of_satisfied_requirements_is_audited_without_the_index(puv, venv,
                                                                        package_index):
    index = package_index(UNIVERSE)
    assert install(puv, index, "a==1.0.0").returncode == 0
    index.clear_requests()
    again = install(puv, index, "a")
    assert again.returncode == 0, again
    assert again.stderr.splitlines()[1].startswith("Audited 1 package in ")
    assert index.requests == []  # nothing to do, nothing asked


def test_upgrade_builds_an_sdist_with_extras_and_replaces_the_old_version(puv, venv,
                                                                          package_index):
    index = package_index(UNIVERSE)
    assert install(puv, index, "a==1.0.0").returncode == 0
    result = install(puv, index, "-U", "a")
    assert result.returncode == 0, result
    assert result.stderr.splitlines()[-4:] == [" - a==1.0.0", " + a==2.0.0", " + c==1.0",
                                               " + d==0.1"]
    assert installed(venv) == {"a": "2.0.0", "b": "2.0", "c": "1.0", "d": "0.1"}
    # the sdist of c was built into a wheel and installed as a registry distribution
    site = venv / "lib" / f"python{MINOR}" / "site-packages"
    assert not (site / "c-1.0.dist-info" / "direct_url.json").exists()


def test_installed_versions_are_kept_unless_upgraded(puv, venv, package_index):
    index = package_index(UNIVERSE)
    assert install(puv, index, "b==1.0").returncode == 0
    result = install(puv, index, "a<2")  # a 1.0.0 accepts the installed b 1.0
    assert result.returncode == 0, result
    assert installed(venv) == {"a": "1.0.0", "b": "1.0"}


def test_no_deps_installs_only_what_is_named(puv, venv, package_index):
    index = package_index(UNIVERSE)
    result = install(puv, index, "--no-deps", "a==2.0.0")
    assert result.returncode == 0, result
    assert installed(venv) == {"a": "2.0.0"}


def test_requirements_and_constraints_files(puv, venv, workdir, package_index):
    index = package_index(UNIVERSE)
    (workdir / "req.txt").write_text("a\n")
    (workdir / "constraints.txt").write_text("a<2\nb<2\n")
    result = install(puv, index, "-r", "req.txt", "-c", "constraints.txt")
    assert result.returncode == 0, result
    assert installed(venv) == {"a": "1.0.0", "b": "1.0"}


def test_dry_run_changes_nothing(puv, venv, package_index):
    index = package_index(UNIVERSE)
    result = install(puv, index, "--dry-run", "a==1.0.0")
    assert result.returncode == 0, result
    assert "Would install 2 packages" in result.stderr
    assert " + a==1.0.0" in result.stderr
    assert installed(venv) == {}


def test_unsatisfiable_request_explains_itself(puv, venv, package_index):
    index = package_index(UNIVERSE)
    result = install(puv, index, "a>=3")
    stderr = assert_clean_error(result)
    assert stderr.splitlines()[1:] == [
        "error: No solution found when resolving dependencies",
        "  cause: Because only a<=2.0.0 is available and you require a>=3, we can conclude "
        "that your requirements are unsatisfiable."]


def test_conflicting_dependencies_are_explained_step_by_step(puv, venv, package_index):
    index = package_index({"x": {"1.0": {"requires": ["z==1.0"]}},
                           "y": {"1.0": {"requires": ["z==2.0"]}}, "z": ["1.0", "2.0"]})
    result = install(puv, index, "x", "y")
    stderr = assert_clean_error(result)
    # uv 0.13.8's words for the same universe
    assert stderr.splitlines()[2:] == [
        "  cause: Because all versions of y depend on z==2.0 and all versions of x depend on "
        "z==1.0, we can conclude that all versions of x and all versions of y are "
        "incompatible.",
        "         And because you require x and y, we can conclude that your requirements are "
        "unsatisfiable."]
    assert installed(venv) == {}


def test_editable_install_of_a_local_project(puv, venv, workdir, package_index):
    index = package_index(UNIVERSE)
    project = recording_project(workdir / "proj", "proj", "0.5", dependencies=["d"],
                                static=True)
    result = install(puv, index, "-e", str(project.root))
    assert result.returncode == 0, result
    assert installed(venv) == {"proj": "0.5", "d": "0.1"}
    site = venv / "lib" / f"python{MINOR}" / "site-packages"
    direct = json.loads((site / "proj-0.5.dist-info" / "direct_url.json").read_text())
    assert direct == {"url": project.root.as_uri(), "dir_info": {"editable": True}}


def test_unknown_package_is_a_clean_error(puv, venv, package_index):
    index = package_index(UNIVERSE)
    result = install(puv, index, "nope")
    stderr = assert_clean_error(result)
    assert "Because nope was not found in the package registry and you require nope" in stderr


def test_install_from_pyproject_with_an_extra(puv, venv, workdir, package_index):
    index = package_index(UNIVERSE)
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1"\ndependencies = ["b<2"]\n'
        '[project.optional-dependencies]\nextra1 = ["d"]\n')
    result = install(puv, index, "-r", "pyproject.toml", "--extra", "extra1")
    assert result.returncode == 0, result
    assert installed(venv) == {"b": "1.0", "d": "0.1"}


def test_strict_warns_about_broken_dependencies(puv, venv, package_index):
    index = package_index(UNIVERSE)
    result = install(puv, index, "--no-deps", "--strict", "a==1.0.0")
    assert result.returncode == 0, result
    assert "warning: The package `a` requires `b>=1`, but it's not installed" in result.stderr


def test_install_from_a_git_repository_pinned_to_a_tag(puv, venv, workdir, package_index):
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    from tests.support.builds import git_repository

    index = package_index(UNIVERSE)
    repository = git_repository(workdir / "repo")
    recording_project(repository.path, "gitpkg", "1.0", dependencies=["d"], static=True)
    commit = repository.commit("first")
    repository.tag("v1.0")
    result = install(puv, index, f"gitpkg @ git+{repository.url}@v1.0")
    assert result.returncode == 0, result
    assert installed(venv) == {"gitpkg": "1.0", "d": "0.1"}
    site = venv / "lib" / f"python{MINOR}" / "site-packages"
    direct = json.loads((site / "gitpkg-1.0.dist-info" / "direct_url.json").read_text())
    assert direct["vcs_info"] == {"vcs": "git", "requested_revision": "v1.0",
                                  "commit_id": commit}


def test_install_a_wheel_by_url_with_its_hash(puv, venv, package_index):
    index = package_index(UNIVERSE)
    wheel = next(f for f in index.files if f.filename.startswith("b-1.0-"))
    url = f"{index.file_url(wheel.filename)}#sha256={wheel.sha256}"
    result = install(puv, index, f"b @ {url}")
    assert result.returncode == 0, result
    assert installed(venv) == {"b": "1.0"}
    wrong = f"{index.file_url(wheel.filename)}#sha256={'0' * 64}"
    result = install(puv, index, "--reinstall", f"b @ {wrong}")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "hash" in result.stderr.lower()
    assert installed(venv) == {"b": "1.0"}  # left as it was


def test_install_from_an_index_serving_html_pages_only(puv, venv, package_index):
    # Pages kept as raw anchors per version and parsed when looked at (index.registry.Page),
    # through a whole resolution, a build and an install; then again from the cache.
    index = package_index(UNIVERSE, formats=("html",))
    result = install(puv, index, "a")
    assert result.returncode == 0, result
    assert installed(venv) == {"a": "2.0.0", "b": "2.0", "c": "1.0", "d": "0.1"}
    compiled = puv("pip", "compile", "-", "--index-url", index.url, "--no-header",
                   "--no-annotate", "--python", "v", input="a<2\n")
    assert compiled.returncode == 0, compiled
    assert compiled.stdout == "a==1.0.0\nb==2.0\n"
