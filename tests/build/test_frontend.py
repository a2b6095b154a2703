"""The PEP 517 frontend: environments, hooks, options and failures (`puv.build.frontend`)."""

from __future__ import annotations

import json
import os
import tarfile
import threading
from pathlib import Path

import pytest

from puv.build import Builder, BuildError, BuildOptions
from puv.build.environment import RECORD, environment_key
from puv.cache import Bucket, Cache
from puv.python.discovery import venv_python
from puv.python.interpreter import Interpreter, query_interpreter
from puv.venv import VenvOptions, create_venv
from tests.support.builder import build_description
from tests.support.builds import FakeBuildContext, recording_project

GENERIC_HINT = "This usually indicates a problem with the package or the build environment."


def display(tree: Path, name: str = "rec") -> str:
    return f"{name} @ {tree.as_uri()}"


def builds(cache: Cache) -> list[str]:
    bucket = cache.bucket(Bucket.BUILDS)
    return sorted(n for n in os.listdir(bucket) if not n.endswith(".lock")) if os.path.isdir(
        bucket) else []


def test_isolated_environment_gets_build_system_requires(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    project = recording_project(tmp_path / "rec", requires=["buildtool>=1"],
                                needs=["buildtool"])
    builder = Builder(puv_cache, interpreter, context)
    wheel = builder.setup(str(project.root), display=display(project.root)).build_wheel(
        str(tmp_path / "out"))
    assert os.path.basename(wheel) == "rec-1.0-py3-none-any.whl"
    assert context.resolved == [["buildtool>=1"]]
    [env] = builds(puv_cache)
    root = os.path.join(puv_cache.bucket(Bucket.BUILDS), env)
    assert [c["prefix"] for c in project.calls()] == [root, root]
    assert project.hooks() == ["get_requires_for_build_wheel", "build_wheel"]
    record = json.loads(Path(root, RECORD).read_text())
    assert record["requires"] == ["buildtool>=1"]
    assert record["installed"] == ["buildtool==2.0"]


def test_sdist_build_requires_from_get_requires_are_installed(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    # The test index's own sdists return `build_requires` from get_requires_for_build_wheel
    # and refuse to build unless they are installed.
    [sdist] = build_description({"needy": {"1.0": {"sdist": True, "wheel": False,
                                                   "build_requires": ["helper>=1"]}}},
                                tmp_path / "dist")
    with tarfile.open(sdist.path) as archive:
        archive.extractall(tmp_path / "src", filter="data")
    tree = tmp_path / "src" / "needy-1.0"
    builder = Builder(puv_cache, interpreter, context)
    wheel = builder.setup(str(tree), display="needy==1.0").build_wheel(str(tmp_path / "out"))
    assert os.path.basename(wheel) == "needy-1.0-py3-none-any.whl"
    # `requires = []`: an empty environment first, then one with what the backend asked for.
    assert context.resolved == [["helper>=1"]]
    assert len(builds(puv_cache)) == 2


def test_dynamic_build_requires_get_their_own_environment(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    project = recording_project(tmp_path / "rec", requires=["buildtool"],
                                get_requires=["helper"], needs=["buildtool", "helper"])
    builder = Builder(puv_cache, interpreter, context)
    builder.setup(str(project.root), display=display(project.root)).build_wheel(
        str(tmp_path / "out"))
    assert context.resolved == [["buildtool"], ["buildtool", "helper"]]
    first, second = (c["prefix"] for c in project.calls())
    assert first != second  # get_requires ran in the base environment, the build in the other


def test_build_environment_is_made_once_per_requirements_and_interpreter(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    one = recording_project(tmp_path / "one", name="one", requires=["buildtool>=1"])
    two = recording_project(tmp_path / "two", name="two", requires=["buildtool >= 1"])
    builder = Builder(puv_cache, interpreter, context)
    builder.setup(str(one.root), display="one").build_wheel(str(tmp_path / "out"))
    Builder(puv_cache, interpreter, context).setup(str(two.root), display="two").build_wheel(
        str(tmp_path / "out"))
    assert context.resolved == [["buildtool>=1"]]  # the second spelling shares the first's
    assert one.calls()[0]["prefix"] == two.calls()[0]["prefix"]
    assert environment_key(interpreter, ["buildtool>=1"]) == environment_key(
        interpreter, ["buildtool >= 1"]) != environment_key(interpreter, ["buildtool>=2"])


def test_concurrent_builds_share_one_new_environment(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    projects = [recording_project(tmp_path / f"p{i}", name=f"p{i}", requires=["buildtool"])
                for i in range(3)]
    builder = Builder(puv_cache, interpreter, context)
    errors: list[BaseException] = []

    def build(i: int) -> None:
        try:
            builder.setup(str(projects[i].root), display=f"p{i}").build_wheel(
                str(tmp_path / f"out{i}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert context.resolved == [["buildtool"]]
    assert len(builds(puv_cache)) == 1


def test_interrupted_environment_is_made_again(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    project = recording_project(tmp_path / "rec", requires=["buildtool"], needs=["buildtool"])
    half = Path(puv_cache.bucket(Bucket.BUILDS), environment_key(interpreter, ["buildtool"]))
    (half / "bin").mkdir(parents=True)  # what a killed run leaves: no record
    Builder(puv_cache, interpreter, context).setup(
        str(project.root), display="rec").build_wheel(str(tmp_path / "out"))
    assert context.resolved == [["buildtool"]]
    assert (half / RECORD).is_file()


def make_target_venv(tmp_path: Path, cache: Cache, interpreter: Interpreter,
                     context: FakeBuildContext, *packages: str) -> Interpreter:
    root = tmp_path / "target"
    create_venv(str(root), interpreter, VenvOptions())
    if packages:
        context.install(context.resolve(list(packages), venv_python(str(root))), str(root))
    return query_interpreter(venv_python(str(root)), cache.bucket(Bucket.INTERPRETER))


def test_no_build_isolation_builds_in_the_target_environment(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    target = make_target_venv(tmp_path, puv_cache, interpreter, context, "buildtool")
    context.resolved.clear()
    project = recording_project(tmp_path / "rec", requires=["buildtool"], needs=["buildtool"])
    builder = Builder(puv_cache, target, None, BuildOptions(no_build_isolation=True))
    builder.setup(str(project.root), display="rec").build_wheel(str(tmp_path / "out"))
    assert project.hooks() == ["build_wheel"]  # nothing asked of the backend to install
    assert [c["prefix"] for c in project.calls()] == [str(tmp_path / "target")]
    assert context.resolved == [] and builds(puv_cache) == []


def test_no_build_isolation_fails_when_the_target_lacks_the_requirements(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    target = make_target_venv(tmp_path, puv_cache, interpreter, context)
    project = recording_project(tmp_path / "rec", requires=["buildtool"], needs=["buildtool"])
    builder = Builder(puv_cache, target, None, BuildOptions(no_build_isolation=True))
    with pytest.raises(BuildError) as info:
        builder.setup(str(project.root), display="rec").build_wheel(str(tmp_path / "out"))
    assert "build requirement 'buildtool' is not installed" in str(info.value)


def test_no_build_isolation_package_only_affects_that_package(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    target = make_target_venv(tmp_path, puv_cache, interpreter, context, "buildtool")
    context.resolved.clear()
    options = BuildOptions(no_build_isolation_package=frozenset({"shared"}))
    builder = Builder(puv_cache, target, context, options)
    shared = recording_project(tmp_path / "shared", name="shared", requires=["buildtool"])
    isolated = recording_project(tmp_path / "iso", name="iso", requires=["buildtool"])
    builder.setup(str(shared.root), display="shared", name="shared").build_wheel(
        str(tmp_path / "out"))
    builder.setup(str(isolated.root), display="iso", name="iso").build_wheel(
        str(tmp_path / "out"))
    assert shared.calls()[0]["prefix"] == str(tmp_path / "target")
    assert isolated.calls()[0]["prefix"].startswith(puv_cache.bucket(Bucket.BUILDS))
    assert context.resolved == [["buildtool"]]


def test_config_settings_reach_every_hook(tmp_path: Path, puv_cache: Cache,
                                          interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", static=True)
    options = BuildOptions(config_settings={"a": "1", "b": "global"},
                           config_settings_package={"rec": {"b": ["2", "3"]}})
    build = Builder(puv_cache, interpreter, None, options).setup(str(project.root),
                                                                 display="rec")
    build.prepare_metadata(str(tmp_path / "meta"))
    build.build_wheel(str(tmp_path / "out"))
    assert [(c["hook"], c["config_settings"]) for c in project.calls()] == [
        ("get_requires_for_build_wheel", {"a": "1", "b": ["2", "3"]}),
        ("prepare_metadata_for_build_wheel", {"a": "1", "b": ["2", "3"]}),
        ("build_wheel", {"a": "1", "b": ["2", "3"]}),
    ]


def test_build_failure_names_the_package_and_shows_the_backend_output(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", fail={"build_wheel": {
        "stdout": "compiling rec\n", "stderr": "error: rec.c is broken\n", "code": 1}})
    build = Builder(puv_cache, interpreter).setup(str(project.root),
                                                  display=display(project.root))
    with pytest.raises(BuildError) as info:
        build.build_wheel(str(tmp_path / "out"))
    assert str(info.value) == (
        f"Failed to build `rec @ {project.root.as_uri()}`\n"
        "  cause: The build backend returned an error\n"
        "  cause: Call to `_recording_backend.build_wheel` failed (exit status: 1)\n"
        "\n[stdout]\ncompiling rec\n"
        "\n[stderr]\nerror: rec.c is broken")
    assert info.value.hint == GENERIC_HINT
    assert "Traceback" not in str(info.value)
    assert not (tmp_path / "out" / "rec-1.0-py3-none-any.whl").exists()


def test_missing_module_hints_at_an_undeclared_build_dependency(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", fail={"build_wheel": {
        "stderr": "Traceback (most recent call last):\n  File \"setup.py\", line 1\n"
                  "ModuleNotFoundError: No module named 'numpy'\n"}})
    build = Builder(puv_cache, interpreter).setup(str(project.root), display="rec==1.0",
                                                  name="rec", version="1.0")
    with pytest.raises(BuildError) as info:
        build.build_wheel(str(tmp_path / "out"))
    assert info.value.hint is not None
    assert info.value.hint.startswith(
        "This error likely indicates that `rec@1.0` depends on `numpy`, but doesn't declare "
        "it as a build dependency.")
    assert "[tool.uv.extra-build-dependencies]\nrec = [\"numpy\"]" in info.value.hint


def test_backend_that_cannot_be_imported(tmp_path: Path, puv_cache: Cache,
                                         interpreter: Interpreter) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "no_such_backend"\n')
    build = Builder(puv_cache, interpreter).setup(str(tmp_path), display="x @ file:///x")
    with pytest.raises(BuildError) as info:
        build.build_wheel(str(tmp_path / "out"))
    message = str(info.value)
    assert message.startswith(
        "Failed to build `x @ file:///x`\n  cause: The build backend returned an error\n"
        "  cause: Call to `no_such_backend.get_requires_for_build_wheel` failed (the backend "
        "`no_such_backend` could not be imported)\n\n[stderr]\n")
    assert "No module named 'no_such_backend'" in message


def test_unresolvable_build_requirements_say_where_they_come_from(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    project = recording_project(tmp_path / "rec", requires=["missingtool>=3"])
    build = Builder(puv_cache, interpreter, context).setup(str(project.root), display="rec")
    with pytest.raises(BuildError) as info:
        build.build_wheel(str(tmp_path / "out"))
    assert str(info.value) == (
        "Failed to build `rec`\n"
        "  cause: Failed to resolve requirements from `build-system.requires`\n"
        "  cause: No solution found when resolving: `missingtool>=3` is not in the test's "
        "wheel directory")
    assert builds(puv_cache) == []  # the half-made environment is gone
    assert project.hooks() == []


def test_build_requirements_without_a_context_fail_clearly(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", requires=["buildtool"])
    build = Builder(puv_cache, interpreter, None).setup(str(project.root), display="rec")
    with pytest.raises(BuildError) as info:
        build.build_wheel(str(tmp_path / "out"))
    assert "Failed to resolve requirements from `build-system.requires`" in str(info.value)
    assert info.value.hint == ("install the build requirements into the environment and use "
                               "`--no-build-isolation`")


def test_prepare_metadata_writes_the_dist_info(tmp_path: Path, puv_cache: Cache,
                                               interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", dependencies=["b>=1"])
    build = Builder(puv_cache, interpreter).setup(str(project.root), display="rec")
    dist_info = build.prepare_metadata(str(tmp_path / "meta"))
    assert dist_info == str(tmp_path / "meta" / "rec-1.0.dist-info")
    assert "Requires-Dist: b>=1" in Path(dist_info, "METADATA").read_text()
    assert "build_wheel" not in project.hooks()


def test_prepare_metadata_without_the_hook_is_none(tmp_path: Path, puv_cache: Cache,
                                                   interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec", prepare_metadata=False)
    build = Builder(puv_cache, interpreter).setup(str(project.root), display="rec")
    assert build.prepare_metadata(str(tmp_path / "meta")) is None
    assert project.hooks() == ["get_requires_for_build_wheel"]  # no build behind our back


def test_hatchling_with_dynamic_dependencies_skips_prepare_metadata(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "h"\nversion = "1"\ndynamic = ["dependencies"]\n')
    build = Builder(puv_cache, interpreter).setup(str(tmp_path), display="h")
    assert build.prepare_metadata(str(tmp_path / "meta")) is None  # and nothing was run
    assert builds(puv_cache) == []


def test_editable_build_and_sdist(tmp_path: Path, puv_cache: Cache,
                                  interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec")
    builder = Builder(puv_cache, interpreter)
    editable = builder.setup(str(project.root), display="rec", editable=True)
    assert editable.prepare_metadata(str(tmp_path / "meta")) is not None
    wheel = editable.build_wheel(str(tmp_path / "out"))
    assert os.path.basename(wheel) == "rec-1.0-py3-none-any.whl"
    sdist = builder.setup(str(project.root), display="rec").build_sdist(str(tmp_path / "dist"))
    assert os.path.basename(sdist) == "rec-1.0.tar.gz"
    assert project.hooks() == ["get_requires_for_build_editable",
                               "prepare_metadata_for_build_editable", "build_editable",
                               "get_requires_for_build_sdist", "build_sdist"]


def test_backend_path_outside_the_tree_is_refused(tmp_path: Path, puv_cache: Cache,
                                                  interpreter: Interpreter) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "b"\nbackend-path = [".."]\n')
    with pytest.raises(BuildError) as info:
        Builder(puv_cache, interpreter).setup(str(tmp_path), display="x").build_wheel(
            str(tmp_path / "out"))
    assert "Invalid `build-system.backend-path`" in str(info.value)
    assert "inside source tree" in str(info.value)


def test_extra_build_variables_and_path_reach_the_backend(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter) -> None:
    project = recording_project(tmp_path / "rec")
    project.configure(record_env=["PUV_TEST_VARIABLE", "VIRTUAL_ENV", "PATH"])
    options = BuildOptions(extra_build_variables={"rec": {"PUV_TEST_VARIABLE": "set"}})
    Builder(puv_cache, interpreter, None, options).setup(
        str(project.root), display="rec", name="rec").build_wheel(str(tmp_path / "out"))
    environ = project.calls()[-1]["env"]
    root = project.calls()[-1]["prefix"]
    assert environ["PUV_TEST_VARIABLE"] == "set"
    assert environ["VIRTUAL_ENV"] == root
    assert environ["PATH"].split(os.pathsep)[0] == os.path.join(root, "bin")


def test_a_failed_build_of_a_build_requirement_names_both(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    from puv.build.errors import build_failure

    def resolve(requirements: object, python: str) -> object:
        raise build_failure("buildtool==3.0", "The build backend returned an error",
                            "Call to `setuptools.build_meta.build_wheel` failed "
                            "(exit status: 1)", hint=GENERIC_HINT)

    context.resolve = resolve  # type: ignore[method-assign]
    project = recording_project(tmp_path / "rec", requires=["buildtool"])
    with pytest.raises(BuildError) as info:
        Builder(puv_cache, interpreter, context).setup(
            str(project.root), display="rec==1.0").build_wheel(str(tmp_path / "out"))
    assert str(info.value) == (
        "Failed to build `rec==1.0`\n"
        "  cause: Failed to resolve requirements from `build-system.requires`\n"
        "  cause: Failed to build `buildtool==3.0`\n"
        "  cause: The build backend returned an error\n"
        "  cause: Call to `setuptools.build_meta.build_wheel` failed (exit status: 1)")
    assert info.value.hint == GENERIC_HINT


def test_a_build_that_needs_its_own_environment_is_a_cycle(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        context: FakeBuildContext) -> None:
    # Building `buildtool` from source needs `buildtool`: the context, resolving the outer
    # build's requirements, builds the inner one, which needs the environment being made.
    inner = recording_project(tmp_path / "buildtool-src", name="buildtool",
                              requires=["buildtool"])
    builder = Builder(puv_cache, interpreter, context)
    plain_resolve = context.resolve

    def resolve(requirements: list[str], python: str) -> object:
        builder.setup(str(inner.root), display="buildtool==3.0").build_wheel(
            str(tmp_path / "inner-out"))
        return plain_resolve(requirements, python)

    context.resolve = resolve  # type: ignore[method-assign,assignment]
    outer = recording_project(tmp_path / "rec", requires=["buildtool"])
    with pytest.raises(BuildError) as info:
        builder.setup(str(outer.root), display="rec==1.0").build_wheel(str(tmp_path / "out"))
    assert str(info.value) == (
        "Failed to build `rec==1.0`\n"
        "  cause: Failed to resolve requirements from `build-system.requires`\n"
        "  cause: Cyclic build dependency detected for `buildtool==3.0`")
    assert builds(puv_cache) == []  # and no lock is left held: the next build proceeds
    context.resolve = plain_resolve  # type: ignore[method-assign]
    builder.setup(str(outer.root), display="rec==1.0").build_wheel(str(tmp_path / "out"))
