"""`puv pip freeze`, `list`, `show`, `tree` and `check` against environments written by hand
(dist-info, egg-info, egg-link, direct_url.json) and one populated by pip itself.

The expected outputs were checked against uv 0.13.8 on the same environments.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.conftest import Result, Runner, assert_clean_error

VERSION = ".".join(map(str, sys.version_info[:3]))
MINOR = f"{sys.version_info.major}.{sys.version_info.minor}"


# -- environments written by hand -------------------------------------------------------------

def make_venv(puv: Runner, workdir: Path, name: str = "venv") -> Path:
    """A fresh environment made by `puv venv`; returns its site-packages."""
    result = puv("venv", name, "--python", sys.executable)
    assert result.returncode == 0, result
    return workdir / name / "lib" / f"python{MINOR}" / "site-packages"


def write_dist(site: Path, name: str, version: str, *, requires: Iterable[str] = (),
               requires_python: str | None = None, extras: Iterable[str] = (),
               direct_url: dict[str, object] | None = None, tag: str | None = "py3-none-any",
               files: Iterable[str] = (), metadata: bool = True) -> Path:
    """A `.dist-info` directory as an installer leaves it (METADATA, WHEEL, INSTALLER,
    RECORD, and `direct_url.json` when given)."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    if requires_python:
        lines.append(f"Requires-Python: {requires_python}")
    lines += [f"Provides-Extra: {extra}" for extra in extras]
    lines += [f"Requires-Dist: {requirement}" for requirement in requires]
    written = ["INSTALLER", "RECORD"]
    if metadata:
        (info / "METADATA").write_text("\n".join(lines) + "\n\nA description.\n")
        written.append("METADATA")
    (info / "INSTALLER").write_text("pip\n")
    if tag is not None:
        (info / "WHEEL").write_text("Wheel-Version: 1.0\nGenerator: test\n"
                                    f"Root-Is-Purelib: true\nTag: {tag}\n")
        written.append("WHEEL")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))
        written.append("direct_url.json")
    for path in files:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("")
    rows = [f"{info.name}/{f},," for f in sorted(written)] + [f"{f},sha256=x,0" for f in files]
    (info / "RECORD").write_text("\n".join(rows) + "\n")
    return info


def write_egg_info(site: Path, name: str, version: str, requires: Iterable[str] = ()) -> Path:
    """`name-version-pyX.Y.egg-info`, as `setup.py install` leaves it."""
    info = site / f"{name}-{version}-py{MINOR}.egg-info"
    info.mkdir()
    (info / "PKG-INFO").write_text(f"Metadata-Version: 1.1\nName: {name}\nVersion: {version}\n"
                                   + "".join(f"Requires-Dist: {r}\n" for r in requires) + "\n")
    (info / "installed-files.txt").write_text(f"../{name}/__init__.py\nPKG-INFO\n")
    return info


def write_egg_link(site: Path, name: str, version: str, project: Path,
                   requires: Iterable[str] = ()) -> None:
    """A legacy editable (`setup.py develop`): `name.egg-link` naming a project directory
    whose `.egg-info` has the metadata."""
    info = project / f"{name.replace('-', '_')}.egg-info"
    info.mkdir(parents=True)
    (info / "PKG-INFO").write_text(f"Metadata-Version: 1.1\nName: {name}\nVersion: {version}\n"
                                   + "".join(f"Requires-Dist: {r}\n" for r in requires) + "\n")
    (site / f"{name}.egg-link").write_text(f"{project}\n.\n")


def populate(site: Path, projects: Path) -> None:
    """requests and its dependencies, an editable project (PEP 660), a legacy editable, an
    old egg-info install and a URL install."""
    write_dist(site, "requests", "2.31.0", extras=["socks", "use-chardet-on-py3"], requires=[
        "charset-normalizer (<4,>=2)", "idna <4,>=2.5", "urllib3<3,>=1.21.1",
        "certifi>=2017.4.17", 'PySocks!=1.5.7,>=1.5.6; extra == "socks"',
        'chardet (<6,>=3.0.2) ; extra == "use_chardet_on_py3"'])
    write_dist(site, "idna", "3.6", files=["idna/__init__.py", "idna/core.py"])
    write_dist(site, "urllib3", "2.2.0")
    write_dist(site, "certifi", "2024.2.2")
    write_dist(site, "charset-normalizer", "3.3.2")
    project = projects / "my project"
    project.mkdir(parents=True)
    write_dist(site, "myproj", "0.1.0", direct_url={
        "url": project.as_uri(), "dir_info": {"editable": True}},
        requires=["requests>=2", 'colorama; sys_platform == "win32"'])
    write_egg_link(site, "legacy-thing", "4.0", projects / "legacy", requires=["idna"])
    write_egg_info(site, "oldpkg", "1.2")
    write_dist(site, "urlpkg", "1.0", direct_url={
        "url": "https://user:secret@example.com/urlpkg-1.0-py3-none-any.whl",
        "archive_info": {"hash": "sha256=abc", "hashes": {"sha256": "abc"}}})


@pytest.fixture
def venv(puv: Runner, workdir: Path) -> Path:
    """`workdir/venv`, populated by `populate`; the projects live in `workdir/projects`."""
    populate(make_venv(puv, workdir), workdir / "projects")
    return workdir / "venv"


def pip(puv: Runner, *args: str, python: str = "./venv") -> Result:
    return puv("pip", *args, "--python", python)


def using(name: str = "venv") -> str:
    return f"Using Python {VERSION} environment at: {name}\n"


# -- freeze -----------------------------------------------------------------------------------

def test_freeze_prints_requirements_editables_and_urls(puv: Runner, venv: Path,
                                                        workdir: Path) -> None:
    result = pip(puv, "freeze")
    assert result.returncode == 0, result
    assert result.stderr == using()
    projects = workdir / "projects"
    assert result.stdout == (
        "certifi==2024.2.2\n"
        "charset-normalizer==3.3.2\n"
        "idna==3.6\n"
        f"-e {projects / 'legacy'}\n"
        f"-e file://{projects}/my%20project\n"
        "oldpkg==1.2\n"
        "requests==2.31.0\n"
        "urllib3==2.2.0\n"
        "urlpkg @ https://user:****@example.com/urlpkg-1.0-py3-none-any.whl#sha256=abc\n"
    )


def test_freeze_exclude_editable_and_exclude(puv: Runner, venv: Path) -> None:
    result = pip(puv, "freeze", "--exclude-editable", "--exclude", "IDNA",
                 "--exclude", "urllib3")
    assert result.returncode == 0, result
    assert result.stdout.splitlines() == [
        "certifi==2024.2.2", "charset-normalizer==3.3.2", "oldpkg==1.2", "requests==2.31.0",
        "urlpkg @ https://user:****@example.com/urlpkg-1.0-py3-none-any.whl#sha256=abc"]


def test_freeze_vcs_and_local_directory_urls(puv: Runner, workdir: Path) -> None:
    site = make_venv(puv, workdir)
    write_dist(site, "gitpkg", "2.0", direct_url={
        "url": "https://github.com/x/gitpkg", "subdirectory": "sub",
        "vcs_info": {"vcs": "git", "commit_id": "deadbeef", "requested_revision": "main"}})
    write_dist(site, "localdir", "1.0", direct_url={"url": "file:///srv/localdir",
                                                    "dir_info": {}})
    result = pip(puv, "freeze")
    assert result.stdout == ("gitpkg @ git+https://github.com/x/gitpkg@deadbeef#subdirectory=sub\n"
                             "localdir @ file:///srv/localdir\n")


def test_freeze_strict_warns_about_broken_requirements(puv: Runner, workdir: Path) -> None:
    site = make_venv(puv, workdir)
    write_dist(site, "a", "1.0", requires=["b>=2", "Zeta_Pkg>=1,<3"])
    write_dist(site, "b", "1.5")
    result = pip(puv, "freeze", "--strict")
    assert result.returncode == 0, result
    assert result.stdout == "a==1.0\nb==1.5\n"
    assert result.stderr == using() + (
        "warning: The package `a` requires `b>=2`, but `1.5` is installed\n"
        "warning: The package `a` requires `zeta-pkg>=1,<3`, but it's not installed\n")
    assert pip(puv, "freeze").stderr == using()  # no check without --strict


def test_freeze_path_lists_only_that_directory(puv: Runner, venv: Path, workdir: Path) -> None:
    other = workdir / "other"
    write_dist(other, "lonely", "0.1")
    result = pip(puv, "freeze", "--path", str(other), "--path", str(workdir / "missing"))
    assert result.returncode == 0, result
    assert result.stdout == "lonely==0.1\n"


def test_freeze_quiet_still_prints_requirements(puv: Runner, venv: Path) -> None:
    result = pip(puv, "freeze", "-q")
    assert result.stderr == ""
    assert result.stdout.startswith("certifi==2024.2.2\n")
    assert pip(puv, "freeze", "-qq").stdout == ""


# -- list -------------------------------------------------------------------------------------

def test_list_draws_uv_table_with_editable_column(puv: Runner, venv: Path,
                                                   workdir: Path) -> None:
    result = pip(puv, "list")
    assert result.returncode == 0, result
    assert result.stderr == using()
    legacy = str(workdir / "projects" / "legacy")
    mine = str(workdir / "projects" / "my project")
    width = max(len(legacy), len(mine), len("Editable project location"))
    rows = [
        ("Package", "Version", "Editable project location"),
        ("-" * 18, "-" * 8, "-" * width),
        ("certifi", "2024.2.2", ""),
        ("charset-normalizer", "3.3.2", ""),
        ("idna", "3.6", ""),
        ("legacy-thing", "4.0", legacy),
        ("myproj", "0.1.0", mine),
        ("oldpkg", "1.2", ""),
        ("requests", "2.31.0", ""),
        ("urllib3", "2.2.0", ""),
        ("urlpkg", "1.0", ""),
    ]
    expected = [f"{a:<18} {b:<8} {c:<{width}}".rstrip() for a, b, c in rows]
    assert result.stdout.splitlines() == expected


def test_list_without_editables_has_two_columns(puv: Runner, workdir: Path) -> None:
    site = make_venv(puv, workdir)
    write_dist(site, "a-much-longer-name", "1.0")
    write_dist(site, "b", "10.0.0rc1")
    result = pip(puv, "list")
    assert result.stdout == ("Package            Version\n"
                             "------------------ ---------\n"
                             "a-much-longer-name 1.0\n"
                             "b                  10.0.0rc1\n")


def test_list_editable_filters(puv: Runner, venv: Path, workdir: Path) -> None:
    only = pip(puv, "list", "-e", "--format", "freeze")
    assert only.stdout == "legacy-thing==4.0\nmyproj==0.1.0\n"
    without = pip(puv, "list", "--exclude-editable", "--exclude", "requests")
    assert without.stdout.splitlines() == [
        "Package            Version", "------------------ --------", "certifi            2024.2.2",
        "charset-normalizer 3.3.2", "idna               3.6", "oldpkg             1.2",
        "urllib3            2.2.0", "urlpkg             1.0"]


def test_list_json(puv: Runner, venv: Path, workdir: Path) -> None:
    result = pip(puv, "list", "--format", "json", "--exclude", "certifi",
                 "--exclude", "charset-normalizer", "--exclude", "urllib3")
    assert result.returncode == 0, result
    projects = workdir / "projects"
    assert result.stdout == (
        '[{"name":"idna","version":"3.6"},'
        f'{{"name":"legacy-thing","version":"4.0","editable_project_location":"{projects}/legacy"}},'
        f'{{"name":"myproj","version":"0.1.0","editable_project_location":"{projects}/my project"}},'
        '{"name":"oldpkg","version":"1.2"},{"name":"requests","version":"2.31.0"},'
        '{"name":"urlpkg","version":"1.0"}]\n')


def test_list_empty_environment(puv: Runner, workdir: Path) -> None:
    make_venv(puv, workdir)
    assert pip(puv, "list").stdout == ""
    assert pip(puv, "list", "--format", "freeze").stdout == ""
    assert pip(puv, "list", "--format", "json").stdout == "[]\n"


def test_list_outdated_shows_newer_versions_on_the_index(puv: Runner, workdir: Path,
                                                         package_index) -> None:
    index = package_index({"a": ["1.0.0", "2.0.0"],
                           "b": {"1.0": {}, "1.1": {"sdist": True, "wheel": False}},
                           "c": ["3.0"], "d": ["1.0", "2.0a1"]})
    site = make_venv(puv, workdir)
    write_dist(site, "a", "1.0.0")
    write_dist(site, "b", "1.0")
    write_dist(site, "c", "3.0")
    write_dist(site, "d", "1.0")  # only a pre-release is newer: not outdated
    write_dist(site, "e", "1.0", direct_url={"url": "file:///x", "dir_info": {}})
    result = pip(puv, "list", "--outdated", "--index-url", index.url)
    assert result.returncode == 0, result
    # uv 0.13.8's output for the same environment and index
    assert result.stdout == ("Package Version Latest Type\n------- ------- ------ -----\n"
                             "a       1.0.0   2.0.0  wheel\nb       1.0     1.1    sdist\n")
    result = pip(puv, "list", "--outdated", "--format", "json", "--index-url", index.url)
    assert json.loads(result.stdout) == [
        {"name": "a", "version": "1.0.0", "latest_version": "2.0.0", "latest_filetype": "wheel"},
        {"name": "b", "version": "1.0", "latest_version": "1.1", "latest_filetype": "sdist"}]
    result = pip(puv, "list", "--outdated", "--format", "freeze")
    assert result.stderr == "error: `--outdated` cannot be used with `--format freeze`\n"
    assert result.returncode == 2


def test_list_rejects_invalid_package_name(puv: Runner, venv: Path) -> None:
    result = pip(puv, "list", "--exclude", "foo!")
    assert result.returncode == 2
    assert result.stderr == (
        "error: invalid value 'foo!' for '--exclude <EXCLUDE>': Not a valid package or extra "
        'name: "foo!". Names must start and end with a letter or digit and may only contain '
        "-, _, ., and alphanumeric characters.\n\nFor more information, try '--help'.\n")


# -- show -------------------------------------------------------------------------------------

def test_show_fields_of_installed_packages(puv: Runner, venv: Path, workdir: Path) -> None:
    result = pip(puv, "show", "requests", "MyProj", "legacy_thing", "oldpkg", "idna")
    assert result.returncode == 0, result
    assert result.stderr == using()
    site = workdir / "venv" / "lib" / f"python{MINOR}" / "site-packages"
    projects = workdir / "projects"
    assert result.stdout == (
        "Name: idna\n"
        "Version: 3.6\n"
        f"Location: {site}\n"
        "Requires:\n"
        "Required-by: legacy-thing, requests\n"
        "---\n"
        "Name: legacy-thing\n"
        "Version: 4.0\n"
        f"Location: {projects / 'legacy'}\n"
        f"Editable project location: {projects / 'legacy'}\n"
        "Requires: idna\n"
        "Required-by:\n"
        "---\n"
        "Name: myproj\n"
        "Version: 0.1.0\n"
        f"Location: {site}\n"
        f"Editable project location: {projects / 'my project'}\n"
        "Requires: requests\n"  # colorama is for Windows only
        "Required-by:\n"
        "---\n"
        "Name: oldpkg\n"
        "Version: 1.2\n"
        f"Location: {site}\n"
        "Requires:\n"
        "Required-by:\n"
        "---\n"
        "Name: requests\n"
        "Version: 2.31.0\n"
        f"Location: {site}\n"
        # extras' requirements (PySocks, chardet) are not listed
        "Requires: certifi, charset-normalizer, idna, urllib3\n"
        "Required-by: myproj\n"
    )


def test_show_files_lists_record(puv: Runner, venv: Path) -> None:
    result = pip(puv, "show", "--files", "idna")
    assert result.returncode == 0, result
    assert result.stdout.split("Files:\n")[1] == (
        "  idna-3.6.dist-info/INSTALLER\n"
        "  idna-3.6.dist-info/METADATA\n"
        "  idna-3.6.dist-info/RECORD\n"
        "  idna-3.6.dist-info/WHEEL\n"
        "  idna/__init__.py\n"
        "  idna/core.py\n")


def test_show_files_without_record_fails_after_the_fields(puv: Runner, venv: Path) -> None:
    result = pip(puv, "show", "-f", "oldpkg")
    assert_clean_error(result, code=1)
    assert result.stdout.startswith("Name: oldpkg\nVersion: 1.2\n")
    assert "Files:" not in result.stdout
    assert "`oldpkg` has no `RECORD` file" in result.stderr


def test_show_warns_about_missing_packages(puv: Runner, venv: Path) -> None:
    some = pip(puv, "show", "idna", "Not_There", "zz")
    assert some.returncode == 0, some
    assert some.stderr == using() + "warning: Package(s) not found for: not-there, zz\n"
    assert some.stdout.startswith("Name: idna\n")
    none = pip(puv, "show", "zz")
    assert none.returncode == 1
    assert none.stdout == ""
    assert none.stderr == using() + "warning: Package(s) not found for: zz\n"


def test_show_needs_a_name(puv: Runner, venv: Path) -> None:
    result = pip(puv, "show")
    assert result.returncode == 1
    assert result.stderr == "warning: Please provide a package name or names.\n"


def test_show_output_is_hidden_by_quiet(puv: Runner, venv: Path) -> None:
    result = pip(puv, "show", "-q", "idna")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_show_lists_every_installed_copy(puv: Runner, workdir: Path) -> None:
    site = make_venv(puv, workdir)
    write_dist(site, "j", "1.0")
    write_dist(site, "j", "2.0")
    result = pip(puv, "show", "j")
    assert [line for line in result.stdout.splitlines() if line.startswith(("Ver", "---"))] \
        == ["Version: 1.0", "---", "Version: 2.0"]


# -- tree -------------------------------------------------------------------------------------

def test_tree_draws_dependencies_from_the_roots(puv: Runner, venv: Path) -> None:
    result = pip(puv, "tree")
    assert result.returncode == 0, result
    assert result.stderr == using()
    assert result.stdout == (
        "legacy-thing v4.0\n"
        "└── idna v3.6\n"
        "myproj v0.1.0\n"
        "└── requests v2.31.0\n"
        "    ├── certifi v2024.2.2\n"
        "    ├── charset-normalizer v3.3.2\n"
        "    ├── idna v3.6\n"
        "    └── urllib3 v2.2.0\n"
        "oldpkg v1.2\n"
        "urlpkg v1.0\n"
    )


def cyclic(puv: Runner, workdir: Path) -> None:
    """a -> b -> a (a cycle), a -> c[x], a -> d -> (b, e), k -> b; c's extra is not
    requested; d's requirement on f is not met by the installed f."""
    site = make_venv(puv, workdir)
    write_dist(site, "a", "1.0", requires=[
        "b>=1.0", "c[x]>=0.5,!=0.7; python_version >= '3.8'", "d <2"])
    write_dist(site, "b", "1.5", requires=["a"])
    write_dist(site, "c", "0.6", requires=["e; extra == 'x'"])
    write_dist(site, "d", "1.0", requires=["b>1", "e", "f>=2"])
    write_dist(site, "e", "3.0")
    write_dist(site, "f", "1.0")
    write_dist(site, "k", "1.0", requires=["b @ https://example.com/b.whl"])


def test_tree_marks_repeated_subtrees(puv: Runner, workdir: Path) -> None:
    cyclic(puv, workdir)
    result = pip(puv, "tree")
    assert result.stdout == (
        "a v1.0\n"
        "├── b v1.5\n"
        "│   └── a v1.0 (*)\n"
        "├── c v0.6\n"
        "└── d v1.0\n"
        "    ├── b v1.5 (*)\n"
        "    └── e v3.0\n"
        "f v1.0\n"
        "k v1.0\n"
        "└── b v1.5 (*)\n"
        "(*) Package tree already displayed\n"
    )


def test_tree_no_dedupe_stops_only_at_cycles(puv: Runner, workdir: Path) -> None:
    cyclic(puv, workdir)
    result = pip(puv, "tree", "--no-dedupe", "--package", "k")
    assert result.stdout == (
        # `a` is a root too: the cycle a -> b -> a is broken at b -> a
        "a v1.0\n"
        "├── b v1.5\n"
        "│   └── a v1.0 (*)\n"
        "├── c v0.6\n"
        "└── d v1.0\n"
        "    ├── b v1.5\n"
        "    │   └── a v1.0 (*)\n"
        "    └── e v3.0\n"
        "k v1.0\n"
        "└── b v1.5\n"
        "    └── a v1.0\n"
        "        ├── b v1.5 (*)\n"
        "        ├── c v0.6\n"
        "        └── d v1.0\n"
        "            ├── b v1.5 (*)\n"
        "            └── e v3.0\n"
        "(*) Package tree is a cycle and cannot be shown\n"
    )


def test_tree_depth_prune_and_package(puv: Runner, workdir: Path) -> None:
    cyclic(puv, workdir)
    assert pip(puv, "tree", "-d", "0").stdout == "a v1.0\nf v1.0\nk v1.0\n"
    assert pip(puv, "tree", "--depth", "1", "--package", "a").stdout == (
        "a v1.0\n├── b v1.5\n├── c v0.6\n└── d v1.0\n")
    assert pip(puv, "tree", "--prune", "B", "--prune", "c").stdout == (
        "a v1.0\n└── d v1.0\n    └── e v3.0\nf v1.0\nk v1.0\n")
    assert pip(puv, "tree", "--package", "e", "--package", "zz").stdout == "e v3.0\n"


def test_tree_invert_with_version_specifiers(puv: Runner, workdir: Path) -> None:
    cyclic(puv, workdir)
    result = pip(puv, "tree", "--invert", "--show-version-specifiers")
    assert result.stdout == (
        "b v1.5\n"
        "├── a v1.0 [requires: b >=1.0]\n"
        "│   └── b v1.5 [requires: a *] (*)\n"
        "├── d v1.0 [requires: b >1]\n"
        "│   └── a v1.0 [requires: d <2] (*)\n"
        "└── k v1.0 [requires: b https://example.com/b.whl]\n"
        "c v0.6\n"
        "└── a v1.0 [requires: c >=0.5, !=0.7] (*)\n"
        "e v3.0\n"
        "└── d v1.0 [requires: e *] (*)\n"
        "f v1.0\n"
        "(*) Package tree already displayed\n"
    )


def test_tree_version_specifiers_merge_requirements_on_one_package(puv: Runner,
                                                                    workdir: Path) -> None:
    site = make_venv(puv, workdir)
    write_dist(site, "x", "1.0", requires=["b<3,>=1.0", 'b!=1.2; python_version > "3"',
                                           "b>=1.1"])
    write_dist(site, "b", "1.5")
    assert pip(puv, "tree", "--show-version-specifiers").stdout == (
        "x v1.0\n└── b v1.5 [required: >=1.1, !=1.2, <3]\n")


def test_tree_a_project_requiring_itself_is_no_root(puv: Runner, workdir: Path) -> None:
    site = make_venv(puv, workdir)
    write_dist(site, "x", "1.0", requires=["x", "y"])
    write_dist(site, "y", "1.0")
    write_dist(site, "z", "1.0")
    assert pip(puv, "tree").stdout == "z v1.0\n"


def test_tree_rejects_bad_depth(puv: Runner, venv: Path) -> None:
    result = pip(puv, "tree", "--depth", "300")
    assert result.returncode == 2
    assert result.stderr == ("error: invalid value '300' for '--depth <DEPTH>': 300 is not "
                             "in 0..=255\n\nFor more information, try '--help'.\n")


def test_tree_stops_at_unreadable_metadata(puv: Runner, workdir: Path) -> None:
    site = make_venv(puv, workdir)
    write_dist(site, "broken", "1.0", metadata=False)
    result = pip(puv, "tree")
    assert_clean_error(result, code=1)
    assert "`broken`" in result.stderr and "has no metadata file" in result.stderr


def test_tree_and_check_take_no_target(puv: Runner, venv: Path) -> None:
    result = pip(puv, "check", "--target", "t")
    assert result.returncode == 2
    assert result.stderr == ("error: unexpected argument '--target' found\n\n"
                             "Usage: puv pip check [OPTIONS]\n\n"
                             "For more information, try '--help'.\n")


# -- check ------------------------------------------------------------------------------------

CHECKED = re.compile(r"Checked (\d+) packages? in (\d+m \d\ds|\d+\.\d\ds|\d+ms|0\.\d\dms)\n")


def test_check_passes_a_consistent_environment(puv: Runner, venv: Path) -> None:
    result = pip(puv, "check")
    assert result.returncode == 0, result
    assert result.stdout == ""
    head, _, rest = result.stderr.partition("Checked ")
    assert head == using()
    match = CHECKED.match("Checked " + rest)
    assert match is not None and match.group(1) == "9", result.stderr
    assert rest.endswith("\nAll installed packages are compatible\n")


def test_check_reports_every_kind_of_problem(puv: Runner, workdir: Path) -> None:
    site = make_venv(puv, workdir)
    write_dist(site, "a", "1.0", requires=[
        "b>=2", "missing[extra]>=1; sys_platform == 'linux' or sys_platform == 'darwin'",
        'also-missing; python_version >= "3.8"', "c; python_version < '3'"])
    write_dist(site, "b", "1.5")
    write_dist(site, "f", "1.0", requires_python=">=4,<5")
    write_dist(site, "g", "1.0", tag="cp27-cp27m-win_amd64")
    write_dist(site, "h", "1.0", tag=None)
    write_dist(site, "i", "1.0", metadata=False)
    write_dist(site, "j", "1.0")
    write_dist(site, "j", "2.0")
    result = pip(puv, "check")
    assert result.returncode == 1, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == using().rstrip()
    assert CHECKED.match(lines[1] + "\n") and lines[1].startswith("Checked 8 packages in ")
    platform = "sys_platform == 'darwin' or sys_platform == 'linux'"
    assert lines[2:] == [
        "Found 8 incompatibilities",
        "The package `a` requires `b>=2`, but `1.5` is installed",
        f"The package `a` requires `missing[extra]>=1 ; {platform}`, but it's not installed",
        "The package `a` requires `also-missing ; python_full_version >= '3.8'`, but it's not "
        "installed",
        f"The package `f` requires Python >=4, <5, but `{VERSION}` is installed",
        "The package `g` was built for a different platform",
        f"The package `h` is broken or incomplete (unable to read `WHEEL` file). Consider "
        f"recreating the virtualenv, or removing the package directory at: {site}/h-1.0.dist-info.",
        f"The package `i` is broken or incomplete (unable to read `METADATA`). Consider "
        f"recreating the virtualenv, or removing the package directory at: {site}/i-1.0.dist-info.",
        "The package `j` has multiple installed distributions: ",
        f"  - {site}/j-1.0.dist-info",
        f"  - {site}/j-2.0.dist-info",
    ]


def test_check_quiet_hides_the_summary_not_the_problems(puv: Runner, workdir: Path) -> None:
    site = make_venv(puv, workdir)
    write_dist(site, "a", "1.0", requires=["b"])
    result = pip(puv, "check", "-q")
    assert result.returncode == 1
    assert result.stderr == ("Found 1 incompatibility\n"
                             "The package `a` requires `b`, but it's not installed\n")
    write_dist(site, "b", "1.0")
    assert pip(puv, "check", "-q").stderr == ""


def test_check_finds_the_active_environment(puv: Runner, workdir: Path) -> None:
    site = make_venv(puv, workdir, ".venv")
    write_dist(site, "a", "1.0")
    result = puv("pip", "check")
    assert result.returncode == 0, result
    assert result.stderr.startswith("Checked 1 package in ")  # no "Using" line for ./.venv


# -- an environment made by pip ---------------------------------------------------------------

def test_environment_installed_by_pip(puv: Runner, workdir: Path, tmp_path: Path) -> None:
    """pip's own dist-info (RECORD with .pyc files, REQUESTED, a PEP 660 editable's
    direct_url.json and .pth) reads the same as uv reads it."""
    from tests.support.builder import build_description

    make_venv(puv, workdir)
    dist = tmp_path / "dist"
    built = build_description({
        "alpha": {"1.0": {"requires": ["beta>=1"], "extras": {"g": ["gamma"]}}},
        "beta": ["1.0"],
        "gamma": {"2.0": {"sdist": True, "wheel": False, "requires": ["beta"]}},
    }, dist)
    python = str(workdir / "venv" / "bin" / "python")
    pip_install = [sys.executable, "-m", "pip", "--python", python, "install", "--no-index",
                   "--no-deps", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip_install, "--find-links", str(dist), "alpha", "beta"], check=True)
    sdist = next(b for b in built if b.kind == "sdist")
    with tarfile.open(sdist.path) as archive:
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(tmp_path / "src", **safe)  # type: ignore[arg-type]
    project = tmp_path / "src" / "gamma-2.0"
    subprocess.run([*pip_install, "--no-build-isolation", "-e", str(project)], check=True)

    assert pip(puv, "freeze").stdout == f"alpha==1.0\nbeta==1.0\n-e {project.as_uri()}\n"
    assert pip(puv, "list").stdout.splitlines()[2:] == [
        "alpha   1.0", "beta    1.0", f"gamma   2.0     {project}"]
    assert pip(puv, "tree").stdout == (
        "alpha v1.0\n└── beta v1.0\ngamma v2.0\n└── beta v1.0\n")
    shown = pip(puv, "show", "--files", "gamma").stdout
    assert f"Editable project location: {project}\nRequires: beta\nRequired-by:\nFiles:\n" \
        in shown
    assert "  __editable__.gamma-2.0.pth\n" in shown
    checked = pip(puv, "check")
    assert checked.returncode == 0, checked
    assert checked.stderr.endswith("All installed packages are compatible\n")


def test_old_style_dist_info_names_are_listed(puv, workdir) -> None:  # type: ignore[no-untyped-def]
    import sys

    assert puv("venv", "--python", sys.executable, "v").returncode == 0
    site = next((workdir / "v" / "lib").glob("python*/site-packages"))
    for dirname, name, version in [("python-dateutil-2.8.2.dist-info", "python-dateutil", "2.8.2"),
                                   ("Some.Weird_Name-1.0.0-rc1.dist-info", "Some.Weird_Name",
                                    "1.0.0rc1")]:
        info = site / dirname
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    result = puv("pip", "freeze", "--python", str(workdir / "v"))
    assert result.stdout == "python-dateutil==2.8.2\nsome-weird-name==1.0.0rc1\n", result
