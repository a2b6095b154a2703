"""Distributions to metadata and wheels, cached (`puv.distribution.database`)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from puv.build import Builder, BuildError, BuildOptions
from puv.cache import Bucket, Cache
from puv.core.hashes import Hash
from puv.distribution import (
    BuildDisabled,
    BuiltWheel,
    DeclaredMetadata,
    DirectoryDist,
    DistMetadata,
    Distributions,
    SourceDist,
    UrlDist,
    registry_fetch,
    registry_sdist,
)
from puv.errors import HashMismatch, MetadataError, PuvError
from puv.python.interpreter import Interpreter
from tests.support.builds import (
    FakeBuildContext,
    RecordingProject,
    make_sdist,
    pkg_info,
    recording_project,
)


def database(cache: Cache, interpreter: Interpreter, context: FakeBuildContext | None = None,
             options: BuildOptions | None = None, **kwargs: Any) -> Distributions:
    return Distributions(cache, Builder(cache, interpreter, context, options), **kwargs)


def sdist_of(project: RecordingProject, directory: Path, *, metadata: str | None,
             name: str = "rec", version: str = "1.0", known_hash: bool = True) -> SourceDist:
    path = make_sdist(project.root, directory, name, version, metadata=metadata)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return SourceDist(name=name, version=Version(version), filename=path.name,
                      url=path.as_uri(), path=str(path),
                      hashes=(Hash("sha256", sha256),) if known_hash else ())


def ok(result: DistMetadata | BuildDisabled) -> DistMetadata:
    assert isinstance(result, DistMetadata), result
    return result


def built(result: BuiltWheel | BuildDisabled) -> BuiltWheel:
    assert isinstance(result, BuiltWheel), result
    return result


def requires(result: DistMetadata) -> list[str]:
    return [str(r) for r in result.metadata.requires_dist]


# Sdists -------------------------------------------------------------------------------------


def test_sdist_metadata_comes_from_static_pkg_info_without_a_build(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", dependencies=["b>=1"])
    dist = sdist_of(project, tmp_path / "dist", metadata=pkg_info(
        "rec", "1.0", metadata_version="2.2", dependencies=["b>=1"]))
    result = ok(database(puv_cache, interpreter).metadata(dist))
    assert (result.origin, requires(result)) == ("pkg-info", ["b>=1"])
    assert project.hooks() == []
    assert not os.path.exists(puv_cache.bucket(Bucket.BUILDS))
    assert not os.path.exists(puv_cache.bucket(Bucket.BUILT_WHEELS))  # not even unpacked


def test_sdist_metadata_comes_from_the_prepare_metadata_hook(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", dependencies=["b>=1"])
    dist = sdist_of(project, tmp_path / "dist", metadata=pkg_info("rec", "1.0"))  # 2.1
    result = ok(database(puv_cache, interpreter).metadata(dist))
    assert (result.origin, requires(result)) == ("backend", ["b>=1"])
    assert project.hooks() == ["get_requires_for_build_wheel",
                               "prepare_metadata_for_build_wheel"]
    # A new run reads what the hook said from the cache: no hook at all.
    again = ok(database(puv_cache, interpreter).metadata(dist))
    assert requires(again) == ["b>=1"] and len(project.hooks()) == 2


def test_sdist_without_the_hook_is_built_once_for_its_metadata_and_its_wheel(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", dependencies=["b>=1"], prepare_metadata=False)
    dist = sdist_of(project, tmp_path / "dist", metadata=None)
    distributions = database(puv_cache, interpreter)
    result = ok(distributions.metadata(dist))
    assert (result.origin, requires(result)) == ("backend", ["b>=1"])
    assert project.hooks() == ["get_requires_for_build_wheel", "build_wheel"]
    wheel = built(distributions.wheel(dist))
    assert not wheel.built and project.hooks().count("build_wheel") == 1


def test_built_wheel_is_cached_by_the_sdist_hash(tmp_path: Path, puv_cache: Cache,
                                                  interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec")
    dist = sdist_of(project, tmp_path / "dist", metadata=None)
    first = built(database(puv_cache, interpreter).wheel(dist))
    assert first.built and first.filename == "rec-1.0-py3-none-any.whl"
    assert first.path.startswith(os.path.join(puv_cache.bucket(Bucket.BUILT_WHEELS), "sdist",
                                              "rec", dist.hashes[0].digest, "wheels"))
    assert first.direct_url is None  # a registry distribution
    # The same bytes elsewhere, with or without the digest known in advance: no build.
    copy = tmp_path / "elsewhere" / dist.filename
    copy.parent.mkdir()
    shutil.copyfile(str(dist.path), copy)
    for hashes in (dist.hashes, ()):
        moved = SourceDist(name="rec", version=Version("1.0"), filename=dist.filename,
                           url=copy.as_uri(), path=str(copy), hashes=hashes)
        again = built(database(puv_cache, interpreter).wheel(moved))
        assert (again.built, again.path, again.sha256) == (False, first.path, first.sha256)
    assert project.hooks().count("build_wheel") == 1


def test_sdist_static_project_table_needs_no_build(tmp_path: Path, puv_cache: Cache,
                                                   interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", static=True, dependencies=["c"])
    dist = sdist_of(project, tmp_path / "dist", metadata=pkg_info("rec", "1.0"))
    result = ok(database(puv_cache, interpreter).metadata(dist))
    assert (result.origin, requires(result)) == ("pyproject", ["c"])
    assert project.hooks() == []


def test_sdist_whose_metadata_names_another_version_is_refused(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", version="2.0")
    path = make_sdist(project.root, tmp_path / "dist", "rec", "1.0", metadata=None)
    dist = SourceDist(name="rec", version=Version("1.0"), filename=path.name,
                      url=path.as_uri(), path=str(path))
    with pytest.raises(MetadataError) as info:
        database(puv_cache, interpreter).metadata(dist)
    assert str(info.value) == ("The metadata of `rec-1.0.tar.gz` describes `rec==2.0`, but "
                               "its file name says `rec==1.0`")


def test_build_failure_names_the_distribution(tmp_path: Path, puv_cache: Cache,
                                              interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", fail={"build_wheel": {
        "stderr": "error: no compiler\n"}})
    dist = DirectoryDist(path=str(project.root), name="rec")
    with pytest.raises(BuildError) as info:
        database(puv_cache, interpreter).wheel(dist)
    assert str(info.value).startswith(f"Failed to build `rec @ {project.root.as_uri()}`\n"
                                      "  cause: The build backend returned an error\n")
    assert str(info.value).endswith("[stderr]\nerror: no compiler")
    # Nothing half-built is left to be taken for a result.
    entry_root = Path(puv_cache.bucket(Bucket.BUILT_WHEELS), "path")
    assert not list(entry_root.rglob("*.whl"))


# --no-build and declared metadata -------------------------------------------------------------


def test_no_build_is_an_answer_not_an_error(tmp_path: Path, puv_cache: Cache,
                                            interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec")
    dist = sdist_of(project, tmp_path / "dist", metadata=pkg_info("rec", "1.0"))
    everything = database(puv_cache, interpreter, options=BuildOptions(no_build=True))
    assert everything.metadata(dist) == BuildDisabled(
        dist, "Building source distributions is disabled")
    assert everything.wheel(dist) == BuildDisabled(dist,
                                                   "Building source distributions is disabled")
    some = database(puv_cache, interpreter,
                    options=BuildOptions(no_build_package=frozenset({"rec"})))
    disabled = some.wheel(dist)
    assert isinstance(disabled, BuildDisabled)
    assert str(disabled) == "Building source distributions for `rec` is disabled"
    assert project.hooks() == []
    # A wheel built before is still used, as uv does.
    built(database(puv_cache, interpreter).wheel(dist))
    assert not built(everything.wheel(dist)).built


def test_declared_metadata_bypasses_the_build(tmp_path: Path, puv_cache: Cache,
                                              interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec")
    dist = sdist_of(project, tmp_path / "dist", metadata=pkg_info("rec", "1.0"))
    declared = [DeclaredMetadata(name="rec", version=Version("1.0"), requires_dist=("x>=2",),
                                 requires_python=">=3.8")]
    distributions = database(puv_cache, interpreter, options=BuildOptions(no_build=True),
                             declared=declared)
    result = ok(distributions.metadata(dist))
    assert (result.origin, requires(result)) == ("declared", ["x>=2"])
    assert str(result.metadata.requires_python) == ">=3.8"
    directory = ok(distributions.metadata(DirectoryDist(path=str(project.root), name="rec")))
    assert directory.origin == "declared" and directory.metadata.version == Version("1.0")
    assert project.hooks() == []


# Local directories ---------------------------------------------------------------------------


def test_directory_with_static_metadata_needs_no_build(tmp_path: Path, puv_cache: Cache,
                                                       interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", static=True, dependencies=["b"])
    result = ok(database(puv_cache, interpreter).metadata(DirectoryDist(path=str(project.root))))
    assert (result.origin, result.metadata.name, requires(result)) == ("pyproject", "rec", ["b"])
    assert project.hooks() == []


def test_directory_build_is_cached_until_its_build_files_change(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", dynamic=["dependencies"])
    dist = DirectoryDist(path=str(project.root))
    assert ok(database(puv_cache, interpreter).metadata(dist)).origin == "backend"
    assert built(database(puv_cache, interpreter).wheel(dist)).built
    hooks = len(project.hooks())
    (project.root / "rec" / "__init__.py").write_text("changed = True\n")
    assert not built(database(puv_cache, interpreter).wheel(dist)).built  # as uv: sources
    ok(database(puv_cache, interpreter).metadata(dist))  # do not invalidate the cache
    assert len(project.hooks()) == hooks
    os.utime(project.root / "pyproject.toml", ns=(10**18, 10**18))
    assert built(database(puv_cache, interpreter).wheel(dist)).built
    assert len(project.hooks()) > hooks


def test_directory_that_is_not_there(tmp_path: Path, puv_cache: Cache,
                                     interpreter: Interpreter) -> None:
    with pytest.raises(PuvError) as info:
        database(puv_cache, interpreter).metadata(DirectoryDist(path=str(tmp_path / "nope")))
    assert str(info.value) == f"Distribution not found at: {(tmp_path / 'nope').as_uri()}"


def test_directory_whose_name_differs_from_the_requirement(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", static=True)
    with pytest.raises(MetadataError) as info:
        database(puv_cache, interpreter).metadata(DirectoryDist(path=str(project.root),
                                                                name="other"))
    assert str(info.value).startswith("Package metadata name `rec` does not match given name "
                                      "`other`")


def test_editable_wheel_installs_with_its_direct_url(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    from puv.installer.install import apply_plan
    from puv.installer.inventory import Inventory
    from puv.installer.layout import Layout
    from puv.installer.planner import Wanted, plan_install
    from puv.installer.preparer import Preparer
    from puv.python.discovery import venv_python
    from puv.python.interpreter import query_interpreter
    from puv.venv import VenvOptions, create_venv

    project = recording_project(tmp_path / "rec", static=True)
    dist = DirectoryDist(path=str(project.root), editable=True)
    wheel = built(database(puv_cache, interpreter).wheel(dist))
    assert wheel.path.split(os.sep)[-2] == "editable"
    assert project.hooks()[-1] == "build_editable"
    assert wheel.direct_url == {"url": project.root.as_uri(), "dir_info": {"editable": True}}

    create_venv(str(tmp_path / "venv"), interpreter, VenvOptions())
    target = query_interpreter(venv_python(str(tmp_path / "venv")))
    layout = Layout.for_interpreter(target)
    wanted = [Wanted(wheel.name, wheel.version, filename=wheel.filename, path=wheel.path,
                     direct_url=wheel.direct_url)]
    plan = plan_install(wanted, Inventory.scan(layout.site_packages))
    apply_plan(plan, Preparer(puv_cache, lambda: None).prepare(plan.install),  # type: ignore
               layout)
    site = Path(layout.purelib)
    assert json.loads((site / "rec-1.0.dist-info" / "direct_url.json").read_text()) == {
        "url": project.root.as_uri(), "dir_info": {"editable": True}}
    assert (site / "__editable__.rec-1.0.pth").read_text().strip() == str(project.root)
    # A non-editable build of the same tree is kept apart.
    plain = built(database(puv_cache, interpreter).wheel(DirectoryDist(path=str(project.root))))
    assert plain.path.split(os.sep)[-2] == "wheels" and plain.built


# Direct URLs (the local test index over HTTP) ----------------------------------------------


@pytest.fixture
def served(package_index: Any, puv_cache: Cache) -> Any:
    from puv.index.locations import Index, IndexLocations
    from puv.index.registry import Registry
    from puv.net.client import HttpOptions

    index = package_index({"served": {"1.0": {"sdist": True, "wheel": True,
                                              "requires": ["b>=1"]}}})
    registry = Registry(IndexLocations([Index(index.url, default=True)]), puv_cache,
                        HttpOptions(timeout=30, retries=1))
    yield index, registry
    registry.close()


def test_direct_wheel_url_is_downloaded_and_checked(served: Any, puv_cache: Cache,
                                                    interpreter: Interpreter) -> None:
    index, registry = served
    url = index.file_url("served-1.0-py3-none-any.whl")
    sha256 = next(f.sha256 for f in index.files if f.filename.endswith(".whl"))
    distributions = database(puv_cache, interpreter, fetch=registry_fetch(registry))
    dist = UrlDist(url=url, name="served", hashes=(Hash("sha256", sha256),))
    result = ok(distributions.metadata(dist))
    assert (result.origin, requires(result)) == ("wheel", ["b>=1"])
    wheel = built(distributions.wheel(dist))
    assert (wheel.built, wheel.sha256) == (False, sha256)
    assert wheel.direct_url == {"url": url, "archive_info": {
        "hash": f"sha256={sha256}", "hashes": {"sha256": sha256}}}
    downloads = [r for r in index.requests if r.path.endswith(".whl")]
    assert len(downloads) == 1  # the second call used the download
    bad = UrlDist(url=url, name="served", hashes=(Hash("sha256", "0" * 64),))
    with pytest.raises(HashMismatch):
        database(puv_cache, interpreter, fetch=registry_fetch(registry), refresh=True).wheel(bad)


def test_direct_sdist_url_is_built(served: Any, puv_cache: Cache,
                                   interpreter: Interpreter) -> None:
    index, registry = served
    url = index.file_url("served-1.0.tar.gz")
    distributions = database(puv_cache, interpreter, fetch=registry_fetch(registry))
    dist = UrlDist(url=url, name="served")
    result = ok(distributions.metadata(dist))
    assert result.origin == "pkg-info" and requires(result) == ["b>=1"]
    wheel = built(distributions.wheel(dist))
    assert wheel.built and wheel.filename == "served-1.0-py3-none-any.whl"
    assert wheel.direct_url is not None
    assert wheel.direct_url["archive_info"]["hashes"]["sha256"] == next(
        f.sha256 for f in index.files if f.filename.endswith(".tar.gz"))
    assert not built(distributions.wheel(dist)).built


def test_registry_sdist_is_fetched_only_when_a_build_needs_it(
        served: Any, puv_cache: Cache, interpreter: Interpreter) -> None:
    index, registry = served
    [files] = registry.fetch_projects(["served"]).values()
    [candidate] = [c for c in files.files(Version("1.0")) if not c.is_wheel]
    dist = registry_sdist(candidate)
    assert dist.path is None and dist.sha256 is not None
    distributions = database(puv_cache, interpreter, fetch=registry_fetch(registry))
    assert built(distributions.wheel(dist)).built
    index.clear_requests()
    again = built(database(puv_cache, interpreter, fetch=registry_fetch(registry)).wheel(dist))
    assert not again.built and index.requests == []  # the digest found the built wheel


def test_url_without_fetch_is_a_clear_error(puv_cache: Cache,
                                            interpreter: Interpreter) -> None:
    with pytest.raises(PuvError) as info:
        database(puv_cache, interpreter).wheel(UrlDist(url="https://u:pw@host/a-1.0.tar.gz",
                                                       name="a"))
    assert str(info.value) == ("Failed to download `a @ https://u:****@host/a-1.0.tar.gz`: "
                               "no network access here")


def test_local_archive_with_a_subdirectory(tmp_path: Path, puv_cache: Cache,
                                           interpreter: Interpreter) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "README").write_text("a monorepo\n")
    project = recording_project(tree / "sub", name="inner", dependencies=["z"])
    path = make_sdist(tree, tmp_path / "dist", "mono", "1.0", metadata=None)
    dist = UrlDist(url=path.as_uri(), name="inner", subdirectory="sub")
    distributions = database(puv_cache, interpreter)
    result = ok(distributions.metadata(dist))
    assert (result.metadata.name, requires(result)) == ("inner", ["z"])
    wheel = built(distributions.wheel(dist))
    assert wheel.filename == "inner-1.0-py3-none-any.whl"
    assert wheel.direct_url is not None and wheel.direct_url["subdirectory"] == "sub"
    assert project.calls()[0]["cwd"].endswith(os.path.join("mono-1.0", "sub"))
    missing = UrlDist(url=path.as_uri(), name="inner", subdirectory="nope")
    with pytest.raises(BuildError) as info:
        distributions.metadata(missing)
    assert "has no subdirectory `nope`" in str(info.value)



def test_subdirectory_must_resolve_inside_the_tree(tmp_path: Path) -> None:
    from puv.distribution.database import _subdirectory

    (tmp_path / "tree" / "real").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "tree" / "out")
    os.symlink("real", tmp_path / "tree" / "in")
    tree = str(tmp_path / "tree")
    assert _subdirectory(tree, "real") == str(tmp_path / "tree" / "real")
    assert _subdirectory(tree, "in") == str(tmp_path / "tree" / "in")
    assert _subdirectory(tree, "out") is None
    assert _subdirectory(tree, "missing") is None


def test_a_distribution_needed_to_build_itself_is_a_cycle(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    project = recording_project(tmp_path / "rec", requires=["buildtool"], prepare_metadata=False)
    dist = DirectoryDist(path=str(project.root), name="rec")
    distributions = database(puv_cache, interpreter, context)

    def resolve(requirements: list[str], python: str) -> object:
        distributions.wheel(dist)  # the build requirement resolves to... this very tree
        raise AssertionError("unreachable")

    context.resolve = resolve  # type: ignore[method-assign,assignment]
    with pytest.raises(BuildError) as info:
        distributions.wheel(dist)
    assert str(info.value).endswith(
        f"cause: Cyclic build dependency detected for `rec @ {project.root.as_uri()}`")
