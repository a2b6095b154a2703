"""Selecting one environment's packages from a `uv.lock` (`puv.lock.select`), pure.

The expectations on the fixture locks (written by uv 0.13.8) were checked against what
`uv sync` installs for the same lock where this machine can run it (Linux, CPython 3.12).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from puv.core.tags import TargetTags
from puv.lock import read_lock
from puv.lock.model import (
    ConflictItem,
    EditableSource,
    Lock,
    LockDependency,
    LockPackage,
    RegistrySource,
    Sdist,
    Wheel,
)
from puv.lock.select import (
    BuildPolicy,
    ExtrasRequest,
    GroupsRequest,
    InstallFilter,
    SelectionError,
    best_wheel,
    check_conflicts,
    package_id,
    select,
    validate_request,
)

FIXTURES = Path(__file__).parent / "fixtures"

LINUX_312 = TargetTags(implementation="cpython", python_version=(3, 12),
                       platform="linux-x86_64", glibc="2.39")
LINUX_310 = TargetTags(implementation="cpython", python_version=(3, 10),
                       platform="linux-x86_64", glibc="2.39")
WINDOWS_312 = TargetTags(implementation="cpython", python_version=(3, 12), platform="win-amd64")

LINUX_ENV = {
    "implementation_name": "cpython", "implementation_version": "3.12.1", "os_name": "posix",
    "platform_machine": "x86_64", "platform_python_implementation": "CPython",
    "platform_release": "6.1.0", "platform_system": "Linux", "platform_version": "#1 SMP",
    "python_full_version": "3.12.1", "python_version": "3.12", "sys_platform": "linux",
}
LINUX_310_ENV = {**LINUX_ENV, "implementation_version": "3.10.13",
                 "python_full_version": "3.10.13", "python_version": "3.10"}
WINDOWS_ENV = {**LINUX_ENV, "os_name": "nt", "platform_machine": "AMD64",
               "platform_system": "Windows", "platform_release": "10",
               "platform_version": "10.0.19045", "sys_platform": "win32"}

ENVIRONMENTS = {
    "linux-3.12": (LINUX_ENV, LINUX_312),
    "windows-3.12": (WINDOWS_ENV, WINDOWS_312),
    "linux-3.10": (LINUX_310_ENV, LINUX_310),
}


def fixture(name: str) -> Lock:
    return read_lock((FIXTURES / name / "uv.lock").read_text())


def chosen(lock: Lock, roots: list[str], environment: str = "linux-3.12", *,
           extras: ExtrasRequest | None = None, groups: GroupsRequest | None = None,
           defaults: tuple[str, ...] = ("dev",), **options) -> dict[str, str]:
    markers, tags = ENVIRONMENTS[environment]
    selection = select(lock, roots=roots, extras=extras or ExtrasRequest(),
                       groups=(groups or GroupsRequest()).resolve(defaults), markers=markers,
                       tags=tags, workspace_root="/ws", **options)
    return {p.name: f"{p.version} {p.filename or p.kind}" for p in selection.packages}


# -- the fixture locks, in three environments ------------------------------------------------


@pytest.mark.parametrize(("environment", "expected"), [
    ("linux-3.12", {
        "alpha": "2.0.0 alpha-2.0.0-py3-none-any.whl",
        "beta": "1.0.0 beta-1.0.0-cp312-cp312-manylinux_2_17_x86_64.whl",
        "delta": "1.0.0 delta-1.0.0-py3-none-any.whl",
        "gamma": "2.0.0 gamma-2.0.0-py3-none-any.whl",
        "plain-app": "0.1.0 editable",
    }),
    ("windows-3.12", {
        "alpha": "2.0.0 alpha-2.0.0-py3-none-any.whl",
        "beta": "1.0.0 beta-1.0.0-cp312-cp312-win_amd64.whl",
        "delta": "1.0.0 delta-1.0.0-py3-none-any.whl",
        "gamma": "2.0.0 gamma-2.0.0-py3-none-any.whl",
        "plain-app": "0.1.0 editable",
    }),
    ("linux-3.10", {
        "alpha": "2.0.0 alpha-2.0.0-py3-none-any.whl",
        "beta": "1.0.0 beta-1.0.0-py3-none-any.whl",
        "delta": "1.0.0 delta-1.0.0-py3-none-any.whl",
        "gamma": "1.0.0 gamma-1.0.0-py3-none-any.whl",
        "plain-app": "0.1.0 editable",
    }),
])
def test_plain_fixture_default_selection(environment, expected):
    # dev is a default group (beta); the fork on gamma picks the version of the Python.
    assert chosen(fixture("plain"), ["plain-app"], environment) == expected


@pytest.mark.parametrize(("environment", "expected"), [
    ("linux-3.12", {"beta": "1.0.0 beta-1.0.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                    "delta": "1.0.0 delta-1.0.0-py3-none-any.whl",
                    "gamma": "2.0.0 gamma-2.0.0-py3-none-any.whl"}),
    ("windows-3.12", {"delta": "1.0.0 delta-1.0.0-py3-none-any.whl",
                      "gamma": "2.0.0 gamma-2.0.0-py3-none-any.whl",
                      "winonly": "1.0.0 winonly-1.0.0-py3-none-any.whl"}),
    ("linux-3.10", {"beta": "1.0.0 beta-1.0.0-py3-none-any.whl",
                    "delta": "1.0.0 delta-1.0.0-py3-none-any.whl",
                    "gamma": "1.0.0 gamma-1.0.0-py3-none-any.whl"}),
])
def test_markers_fixture_follows_edge_markers_and_extras(environment, expected):
    # `markers` is virtual (never installed); `delta[x,y]` activates both of delta's extras,
    # `y` only on Linux; `winonly` only on Windows.
    lock = fixture("markers")
    markers, tags = ENVIRONMENTS[environment]
    selection = select(lock, roots=["markers"], extras=ExtrasRequest(),
                       groups=GroupsRequest().resolve(), markers=markers, tags=tags,
                       workspace_root="/ws")
    assert {p.name: f"{p.version} {p.filename}" for p in selection.packages} == expected
    assert selection.skipped == ("markers",)


def test_extras_and_groups_of_the_root():
    lock = fixture("plain")
    everything = chosen(lock, ["plain-app"], extras=ExtrasRequest(all_extras=True),
                        groups=GroupsRequest(all_groups=True))
    assert set(everything) == {"alpha", "beta", "delta", "epsilon", "gamma", "plain-app"}
    assert everything["epsilon"] == "1.0.0 epsilon-1.0.0.tar.gz"  # only an sdist: built
    no_old = chosen(lock, ["plain-app"], extras=ExtrasRequest(all_extras=True,
                                                              no_extras=("old",)))
    assert "epsilon" not in no_old
    # `new` asks for beta on every platform but Windows; beta is also alpha's dependency.
    assert "beta" in chosen(lock, ["plain-app"], "windows-3.12",
                            extras=ExtrasRequest(extras=("New",)),
                            groups=GroupsRequest(dev="exclude"))


def test_only_group_installs_the_group_without_the_project():
    # As `uv sync --only-group lint` does: beta and epsilon, not the project or its
    # dependencies.
    lock = fixture("plain")
    assert set(chosen(lock, ["plain-app"], groups=GroupsRequest(only_groups=("lint",)))) == {
        "beta", "epsilon"}
    assert set(chosen(lock, ["plain-app"], groups=GroupsRequest(dev="only"))) == {"beta"}


def test_group_precedence():
    resolve = GroupsRequest
    assert resolve().resolve().contains("dev")
    assert not resolve(no_default_groups=True).resolve().contains("dev")
    assert not resolve(dev="exclude").resolve().contains("dev")
    assert not resolve(all_groups=True, no_groups=("lint",)).resolve().contains("lint")
    assert resolve(all_groups=True).resolve().contains("lint")
    only = resolve(only_groups=("lint",)).resolve()
    assert not only.prod and not only.contains("dev") and only.contains("lint")
    assert resolve().resolve(("lint",)).contains("lint")
    assert not resolve().resolve(("lint",)).contains("dev")
    assert resolve().resolve("all").contains("anything")
    assert resolve(groups=("Lint_Tools",)).groups == ("lint-tools",)
    assert resolve(groups=("a",)).resolve().by_default("dev")
    assert not resolve(groups=("dev",)).resolve().by_default("dev")


def test_dev_flag_does_not_need_a_dev_group():
    lock = fixture("markers")  # no groups at all
    validate_request(lock, roots=["markers"], project="markers", extras=ExtrasRequest(),
                     groups=GroupsRequest(dev="only"))


def test_unknown_extra_and_group_are_uvs_errors():
    lock = fixture("plain")
    with pytest.raises(SelectionError) as info:
        validate_request(lock, roots=["plain-app"], project="plain-app",
                         extras=ExtrasRequest(extras=("nope",)), groups=GroupsRequest())
    assert info.value.message == ("Extra `nope` is not defined in the `optional-dependencies` "
                                  "table for `plain-app`")
    assert info.value.exit_code == 2
    with pytest.raises(SelectionError) as info:
        validate_request(lock, roots=["plain-app"], project="plain-app",
                         extras=ExtrasRequest(all_extras=True, no_extras=("nope",)),
                         groups=GroupsRequest())
    assert "Extra `nope` is not defined" in info.value.message
    for groups in (GroupsRequest(groups=("nope",)), GroupsRequest(only_groups=("nope",)),
                   GroupsRequest(no_groups=("nope",))):
        with pytest.raises(SelectionError) as info:
            validate_request(lock, roots=["plain-app"], project="plain-app",
                             extras=ExtrasRequest(), groups=groups)
        assert info.value.message == ("Group `nope` is not defined in the project's "
                                      "`dependency-groups` table")
    with pytest.raises(SelectionError) as info:
        validate_request(lock, roots=["plain-app"], project=None,
                         extras=ExtrasRequest(extras=("nope",)), groups=GroupsRequest())
    assert info.value.message == ("Extra `nope` is not defined in any project's "
                                  "`optional-dependencies` table")
    # Declared but empty: `socks` (no edges) and `empty` (only in requires-dev) exist.
    validate_request(lock, roots=["plain-app"], project="plain-app",
                     extras=ExtrasRequest(extras=("socks",)),
                     groups=GroupsRequest(groups=("empty",)))


# -- conflicts ------------------------------------------------------------------------------


def test_conflict_markers_pick_the_fork_of_the_active_extra():
    # Checked with uv 0.13.8: `--extra new --group g1` installs beta 1.1.0rc1, `--extra new
    # --no-dev` beta 1.0.0.
    lock = fixture("conflicts")
    with_g1 = chosen(lock, ["p3"], extras=ExtrasRequest(extras=("new",)),
                     groups=GroupsRequest(groups=("g1",)))
    assert with_g1["alpha"].startswith("2.0.0")
    assert with_g1["beta"].startswith("1.1.0rc1")
    without = chosen(lock, ["p3"], extras=ExtrasRequest(extras=("new",)),
                     groups=GroupsRequest(dev="exclude"))
    assert without["beta"].startswith("1.0.0 ")
    old = chosen(lock, ["p3"], extras=ExtrasRequest(extras=("old",)))
    assert old["alpha"].startswith("1.0.0") and "beta" not in old


def test_conflicting_request_is_uvs_error():
    lock = fixture("conflicts")
    with pytest.raises(SelectionError) as info:
        check_conflicts(lock, roots=["p3"], extras=ExtrasRequest(extras=("old", "new")),
                        groups=GroupsRequest().resolve())
    assert info.value.message == ("Extras `new` and `old` are incompatible with the declared "
                                  "conflicts: {`p3[new]`, `p3[old]`}")
    with pytest.raises(SelectionError) as info:
        check_conflicts(lock, roots=["p3"], extras=ExtrasRequest(),
                        groups=GroupsRequest(all_groups=True).resolve())
    assert info.value.message == ("Groups `g1` and `g2` are incompatible with the conflicts: "
                                  "{`p3:g1`, `p3:g2`}")
    with pytest.raises(SelectionError) as info:
        check_conflicts(lock, roots=["p3"], extras=ExtrasRequest(),
                        groups=GroupsRequest(groups=("g1",)).resolve(("g2",)))
    assert "`g1` and `g2` (enabled by default)" in info.value.message
    check_conflicts(lock, roots=["p3"], extras=ExtrasRequest(extras=("new",)),
                    groups=GroupsRequest(groups=("g1",)).resolve())


def test_conflict_between_an_extra_and_a_group_names_both():
    lock = Lock(requires_python=">=3.10", conflicts=(
        (ConflictItem(package="app", extra="x"), ConflictItem(package="app", group="g")),),
        packages=(LockPackage(name="app", version="1.0", source=EditableSource(editable="."),
                              optional_dependencies={"x": ()}, dev_dependencies={"g": ()}),))
    with pytest.raises(SelectionError) as info:
        check_conflicts(lock, roots=["app"], extras=ExtrasRequest(extras=("x",)),
                        groups=GroupsRequest(groups=("g",)).resolve())
    assert info.value.message == ("Extra `x` and group `g` are incompatible with the declared "
                                  "conflicts: {`app[x]`, `app:g`}")


# -- workspaces, virtual roots, install filters -------------------------------------------


def test_workspace_member_and_all_packages():
    lock = fixture("workspace")
    root = chosen(lock, ["root-app"])
    # root-app and member-b are virtual; member-a is editable and reached from root-app.
    assert root == {"alpha": "1.0.0 alpha-1.0.0-py3-none-any.whl",
                    "beta": "1.0.0 beta-1.0.0-cp312-cp312-manylinux_2_17_x86_64.whl",
                    "epsilon": "1.0.0 epsilon-1.0.0.tar.gz",
                    "gamma": "2.0.0 gamma-2.0.0-py3-none-any.whl",
                    "member-a": "0.2.0 editable"}
    everything = chosen(lock, ["member-a", "member-b", "root-app"])
    assert set(everything) == set(root) | {"delta"}
    assert set(chosen(lock, ["member-b"])) == {"beta", "delta"}


def test_install_filters_keep_dependencies():
    lock = fixture("workspace")
    kept = chosen(lock, ["root-app"],
                  install=InstallFilter(no_install_workspace=True))
    assert "member-a" not in kept and "epsilon" in kept
    kept = chosen(lock, ["root-app"], install=InstallFilter(no_install_packages=frozenset(
        {"alpha"})))
    assert "alpha" not in kept and "member-a" in kept
    kept = chosen(lock, ["root-app"], install=InstallFilter(no_install_local=True))
    assert "member-a" not in kept
    plain = fixture("plain")
    assert "plain-app" not in chosen(plain, ["plain-app"], project="plain-app",
                                     install=InstallFilter(no_install_project=True))
    # Without `members` in the lock, the project at "." is the workspace.
    assert "plain-app" not in chosen(plain, ["plain-app"],
                                     install=InstallFilter(no_install_workspace=True))


def test_virtual_root_groups_come_from_the_manifest():
    lock = fixture("nonproject")
    assert chosen(lock, ["app"]) == {"alpha": "1.0.0 alpha-1.0.0-py3-none-any.whl",
                                     "winonly": "1.0.0 winonly-1.0.0-py3-none-any.whl"}
    with_docs = chosen(lock, ["app"], groups=GroupsRequest(groups=("docs",), dev="exclude"))
    assert set(with_docs) == {"alpha", "epsilon"}
    validate_request(lock, roots=["app"], project=None, extras=ExtrasRequest(),
                     groups=GroupsRequest(groups=("docs",)))
    # Syncing the member itself (checked with uv 0.13.8): the root's groups only by name.
    assert set(chosen(lock, ["app"], member_target=True)) == {"alpha"}
    assert set(chosen(lock, ["app"], member_target=True,
                      groups=GroupsRequest(groups=("dev",)))) == {"alpha", "winonly"}


def test_source_kinds_and_locations():
    lock = fixture("sources")
    markers, tags = ENVIRONMENTS["linux-3.12"]
    selection = select(lock, roots=["sources"], extras=ExtrasRequest(),
                       groups=GroupsRequest().resolve(), markers=markers, tags=tags,
                       workspace_root="/ws")
    found = {p.name: p for p in selection.packages}
    assert found["sources"].kind == "editable" and found["sources"].path == "/ws"
    assert found["editlib"].kind == "editable" and found["editlib"].path == "/ws/libs/editlib"
    assert found["dirlib"].kind == "directory" and found["dirlib"].path == "/ws/libs/dirlib"
    assert found["beta"].kind == "url" and found["beta"].is_wheel
    assert found["beta"].url == "http://127.0.0.1:9/files/beta-1.0.0-py3-none-any.whl"
    assert found["beta"].hash == ("sha256:61e701a0b1ad1fdeaa4216f06be79c261a2ea58112e33d35a0d"
                                  "191dc75f7cd7b")
    assert found["alpha"].size == 908
    assert "virtlib" not in found and selection.skipped == ("virtlib",)
    no_editable = select(lock, roots=["sources"], extras=ExtrasRequest(),
                         groups=GroupsRequest().resolve(), markers=markers, tags=tags,
                         workspace_root="/ws", editable=False)
    assert {p.name: p.kind for p in no_editable.packages}["editlib"] == "directory"


def test_path_and_git_sources():
    files = {p.name: p for p in select(
        fixture("files"), roots=["files"], extras=ExtrasRequest(),
        groups=GroupsRequest().resolve(), markers=LINUX_ENV, tags=LINUX_312,
        workspace_root="/ws").packages}
    assert files["gamma"].kind == "path" and files["gamma"].is_wheel
    assert files["gamma"].path == "/ws/dist/gamma-2.0.0-py3-none-any.whl"
    assert files["epsilon"].kind == "path" and not files["epsilon"].is_wheel
    assert files["epsilon"].filename == "epsilon-1.0.0.tar.gz"
    git = {p.name: p for p in select(
        fixture("git"), roots=["git"], extras=ExtrasRequest(),
        groups=GroupsRequest().resolve(), markers=LINUX_ENV, tags=LINUX_312,
        workspace_root="/ws").packages}
    assert git["gitlib2"].kind == "git"
    assert (git["gitlib2"].url, git["gitlib2"].rev, git["gitlib2"].subdirectory) == (
        "file:///tmp/puv-lock-fixture/origin", "v1", "pkg2")
    assert git["gitlib2"].commit == "b8346730e25e30fcc01525632644a6a092ef4665"


# -- artifacts ------------------------------------------------------------------------------

REGISTRY = RegistrySource(registry="https://example.org/simple/")


def _one(name: str, *, wheels: tuple[str, ...] = (), sdist: bool = False) -> Lock:
    package = LockPackage(
        name=name, version="1.0", source=REGISTRY,
        wheels=tuple(Wheel(url=f"https://example.org/{w}", hash="sha256:00") for w in wheels),
        sdist=Sdist(url=f"https://example.org/{name}-1.0.tar.gz", hash="sha256:11")
        if sdist else None)
    app = LockPackage(name="app", version="0.1", source=EditableSource(editable="."),
                      dependencies=(LockDependency(name=name, version="1.0", source=REGISTRY),))
    return Lock(requires_python=">=3.10", packages=(app, package))


def test_best_wheel_prefers_the_best_tag_then_the_build_tag():
    wheels = (Wheel(filename="a-1.0-py3-none-any.whl"),
              Wheel(filename="a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"),
              Wheel(filename="a-1.0-1-cp312-cp312-manylinux_2_17_x86_64.whl"),
              Wheel(filename="a-1.0-cp312-cp312-win_amd64.whl"))
    assert best_wheel(wheels, LINUX_312).filename == \
        "a-1.0-1-cp312-cp312-manylinux_2_17_x86_64.whl"
    assert best_wheel(wheels, WINDOWS_312).filename == "a-1.0-cp312-cp312-win_amd64.whl"
    assert best_wheel(wheels[3:], LINUX_312) is None


def test_sdist_when_no_wheel_fits_and_build_options():
    lock = _one("a", wheels=("a-1.0-cp312-cp312-win_amd64.whl",), sdist=True)
    assert chosen(lock, ["app"])["a"] == "1.0 a-1.0.tar.gz"
    assert chosen(lock, ["app"], "windows-3.12")["a"] == "1.0 a-1.0-cp312-cp312-win_amd64.whl"
    assert chosen(lock, ["app"], "windows-3.12",
                  build=BuildPolicy(no_binary=True))["a"] == "1.0 a-1.0.tar.gz"
    with pytest.raises(SelectionError) as info:
        chosen(lock, ["app"], build=BuildPolicy(no_build_packages=frozenset({"a"})))
    assert info.value.message == (
        "Distribution `a==1.0 @ registry+https://example.org/simple/` can't be installed "
        "because it is marked as `--no-build` but has no binary distribution")
    with pytest.raises(SelectionError) as info:
        chosen(lock, ["app"], build=BuildPolicy(no_build=True, no_binary=True))
    assert "marked as both `--no-binary` and `--no-build`" in info.value.message


def test_no_wheel_for_the_platform_is_uvs_error_with_its_hint():
    lock = _one("onlywin", wheels=("onlywin-1.0-cp312-cp312-win_amd64.whl",))
    with pytest.raises(SelectionError) as info:
        chosen(lock, ["app"])
    assert info.value.message == (
        "Distribution `onlywin==1.0 @ registry+https://example.org/simple/` can't be installed "
        "because it doesn't have a source distribution or wheel for the current platform")
    assert info.value.exit_code == 2
    assert info.value.hint == (
        "You're on Linux (`manylinux_2_39_x86_64`), but `onlywin` (v1.0) only has wheels for "
        "the following platform: `win_amd64`; consider adding \"sys_platform == 'linux' and "
        "platform_machine == 'x86_64'\" to `tool.uv.required-environments` to ensure puv "
        "resolves to a version with compatible wheels")


def test_python_and_abi_hints():
    lock = _one("new", wheels=("new-1.0-cp313-cp313-manylinux_2_17_x86_64.whl",))
    with pytest.raises(SelectionError) as info:
        chosen(lock, ["app"])
    assert info.value.hint == ("You're using CPython 3.12 (`cp312`), but `new` (v1.0) only "
                               "has wheels with the following Python implementation tag: "
                               "`cp313`")
    lock = _one("abi", wheels=("abi-1.0-cp312-cp312d-manylinux_2_17_x86_64.whl",))
    with pytest.raises(SelectionError) as info:
        chosen(lock, ["app"])
    assert info.value.hint == ("You're using CPython 3.12 (`cp312`), but `abi` (v1.0) only "
                               "has wheels with the following Python ABI tag: `cp312d`")


def test_package_id_names_the_source():
    lock = fixture("sources")
    ids = {p.name: package_id(p) for p in lock.packages}
    assert ids["alpha"] == "alpha==2.0.0 @ registry+http://127.0.0.1:9/simple/"
    assert ids["beta"] == "beta==1.0.0 @ direct+http://127.0.0.1:9/files/beta-1.0.0-py3-none-any.whl"
    assert ids["editlib"] == "editlib==2.0 @ editable+libs/editlib"


def test_missing_root_is_an_error():
    with pytest.raises(SelectionError, match="Could not find root package `nope`"):
        chosen(fixture("plain"), ["nope"])
