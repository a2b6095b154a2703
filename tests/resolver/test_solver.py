"""The solver driven by an in-memory provider: PubGrub's classic examples, extras,
backtracking, and the provider contract."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from puv.core.ranges import Ranges
from puv.errors import PuvError
from puv.resolver.pubgrub import (
    Dependencies,
    NoSolution,
    Package,
    Provider,
    PythonKind,
    ReportContext,
    Unavailable,
    UnavailableKind,
    solve,
)
from tests.resolver.universe import FakeProvider


def resolve(universe: dict, requires: list[str], **options: object) -> dict[str, str]:
    solution = solve(FakeProvider(universe, requires, **options))  # type: ignore[arg-type]
    return {name: str(version) for name, version in solution.by_name().items()}


def failure(universe: dict, requires: list[str], context: ReportContext | None = None,
            **options: object) -> NoSolution:
    with pytest.raises(NoSolution) as raised:
        solve(FakeProvider(universe, requires, **options), context=context)  # type: ignore[arg-type]
    return raised.value


# -- PubGrub's examples (https://github.com/dart-lang/pub/blob/master/doc/solver.md) ----------

def test_no_conflicts() -> None:
    universe = {"foo": {"1.0.0": ["bar>=1,<2"]}, "bar": {"1.0.0": [], "2.0.0": []}}
    assert resolve(universe, ["foo>=1,<2"]) == {"foo": "1.0.0", "bar": "1.0.0"}


def test_avoiding_conflict_during_decision_making() -> None:
    universe = {
        "foo": {"1.0.0": [], "1.1.0": ["bar>=2,<3"]},
        "bar": {"1.0.0": [], "1.1.0": [], "2.0.0": []},
    }
    assert resolve(universe, ["foo>=1,<2", "bar>=1,<2"]) == {"foo": "1.0.0", "bar": "1.1.0"}


def test_performing_conflict_resolution() -> None:
    universe = {"foo": {"1.0.0": [], "2.0.0": ["bar>=1,<2"]}, "bar": {"1.0.0": ["foo>=1,<2"]}}
    assert resolve(universe, ["foo>=1"]) == {"foo": "1.0.0"}


def test_conflict_resolution_with_a_partial_satisfier() -> None:
    universe = {
        "foo": {"1.0.0": [], "1.1.0": ["left>=1,<2", "right>=1,<2"]},
        "left": {"1.0.0": ["shared>=1"]},
        "right": {"1.0.0": ["shared<2"]},
        "shared": {"2.0.0": [], "1.0.0": ["target>=1,<2"]},
        "target": {"2.0.0": [], "1.0.0": []},
    }
    assert resolve(universe, ["foo>=1,<2", "target>=2,<3"]) == {"foo": "1.0.0",
                                                                "target": "2.0.0"}


LINEAR = {
    "foo": {"1.0.0": ["bar>=2,<3"]},
    "bar": {"2.0.0": ["baz>=3,<4"]},
    "baz": {"1.0.0": [], "3.0.0": []},
}

BRANCHING = {
    "foo": {"1.0.0": ["a>=1,<2", "b>=1,<2"], "1.1.0": ["x>=1,<2", "y>=1,<2"]},
    "a": {"1.0.0": ["b>=2,<3"]},
    "b": {"1.0.0": [], "2.0.0": []},
    "x": {"1.0.0": ["y>=2,<3"]},
    "y": {"1.0.0": [], "2.0.0": []},
}


def test_linear_error_reporting() -> None:
    error = failure(LINEAR, ["foo>=1,<2", "baz>=1,<2"])
    assert error.render() == (
        "Because all versions of bar depend on baz>=3 and all versions of foo depend on "
        "bar==2.0.0, we can conclude that all versions of foo depend on baz>=3.\n"
        "And because you require foo==1.0.0 and baz<2, we can conclude that your requirements "
        "are unsatisfiable.")


def test_branching_error_reporting_numbers_the_shared_explanation() -> None:
    error = failure(BRANCHING, ["foo>=1,<2"])
    assert error.render() == (
        "Because all versions of a depend on b>=2,<3 and foo<=1.0.0 depends on a==1.0.0, we "
        "can conclude that foo<=1.0.0 depends on b>=2,<3.\n"
        "And because foo<=1.0.0 depends on b>=1,<2 and only the following versions of foo are "
        "available:\n"
        "    foo<=1.0.0\n"
        "    foo>=1.1.0\n"
        "we can conclude that foo<1.1.0 cannot be used. (1)\n"
        "\n"
        "Because all versions of x depend on y>=2,<3 and foo>=1.1.0 depends on x==1.0.0, we "
        "can conclude that foo>=1.1.0 depends on y>=2,<3.\n"
        "And because foo>=1.1.0 depends on y>=1,<2, we can conclude that foo>=1.1.0 cannot be "
        "used.\n"
        "And because we know from (1) that foo<1.1.0 cannot be used, we can conclude that all "
        "versions of foo cannot be used.\n"
        "And because you require foo, we can conclude that your requirements are "
        "unsatisfiable.")


# -- backtracking and choices -----------------------------------------------------------------

def test_backtracks_to_an_older_version_when_the_newest_conflicts() -> None:
    universe = {
        "a": {"1.0.0": ["c==1"], "2.0.0": ["c==2"]},
        "b": {"1.0.0": ["c==1"]},
        "c": {"1": [], "2": []},
    }
    assert resolve(universe, ["a", "b"]) == {"a": "1.0.0", "b": "1.0.0", "c": "1"}


def test_backtracks_through_many_versions() -> None:
    universe = {
        "a": {f"{i}.0": [f"b=={i}"] for i in range(1, 60)} | {"0.1": []},
        "b": {"1": []},
    }
    assert resolve(universe, ["a", "b>=1"]) == {"a": "1.0", "b": "1"}


def test_lowest_resolution_is_the_providers_choice() -> None:
    universe = {"a": {"1.0": ["b>=1"], "2.0": []}, "b": {"1": [], "2": []}}
    assert resolve(universe, ["a"], lowest=True) == {"a": "1.0", "b": "1"}


def test_prereleases_only_when_nothing_stable_matches() -> None:
    universe = {"a": {"1.0": [], "2.0a1": []}, "b": {"1.0b1": []}}
    assert resolve(universe, ["a", "b"]) == {"a": "1.0", "b": "1.0b1"}
    assert resolve(universe, ["a", "b"], prereleases="allow") == {"a": "2.0a1", "b": "1.0b1"}


def test_resolution_is_deterministic() -> None:
    universe = {name: {f"{v}.0": [f"{dep}>={v - 1}" for dep in "abcde" if dep > name]
                       for v in range(1, 6)} for name in "abcde"}
    first = FakeProvider(universe, ["a", "c<3"])
    second = FakeProvider(universe, ["a", "c<3"])
    assert solve(first).versions == solve(second).versions
    assert first.calls == second.calls


# -- extras -----------------------------------------------------------------------------------

EXTRAS = {
    "a": {
        "1.0.0": {"extras": {"x": ["b==1"], "y": ["c"]}},
        "2.0.0": {"extras": {"x": ["b==2"], "y": ["c"]}},
    },
    "b": {"1": [], "2": []},
    "c": {"1": []},
}


def test_an_extra_is_a_package_tied_to_its_base() -> None:
    solution = solve(FakeProvider(EXTRAS, ["a[x,y]"]))
    versions = {str(package): str(version) for package, version in solution.versions.items()}
    assert versions == {"a[x]": "2.0.0", "a[y]": "2.0.0", "a": "2.0.0", "b": "2", "c": "1"}
    assert solution.by_name() == {"a": Version("2.0.0"), "b": Version("2"), "c": Version("1")}
    # An extra's own requirements; its tie to `a` is the solver's business.
    assert solution.dependencies[Package.with_extra("a", "x")] == (
        (Package.named("b"), Ranges.from_specifiers("==2")),)
    assert solution.dependencies[Package.root()] == (
        (Package.with_extra("a", "x"), Ranges.full()),
        (Package.with_extra("a", "y"), Ranges.full()))


def test_an_extra_moves_its_base_when_it_backtracks() -> None:
    assert resolve(EXTRAS, ["a[x]", "b<2"]) == {"a": "1.0.0", "b": "1"}


def test_an_extra_cannot_take_another_version_than_its_base() -> None:
    error = failure(EXTRAS, ["a[x]==2.0.0", "a==1.0.0"])
    assert "a" in error.render()


# -- the provider contract --------------------------------------------------------------------

def test_dependencies_are_asked_once_per_version_and_never_a_version_for_the_root() -> None:
    provider = FakeProvider(BRANCHING, ["foo>=1,<2"])
    with pytest.raises(NoSolution):
        solve(provider)
    asked = [what for call, what in provider.calls if call == "get_dependencies"]
    assert len(asked) == len(set(asked))
    assert ("choose_version", "root") not in provider.calls


def test_pending_packages_are_offered_for_prefetching() -> None:
    provider = FakeProvider({"a": {"1": ["c"]}, "b": {"1": []}, "c": {"1": []}}, ["a", "b"])
    solve(provider)
    assert provider.prefetched[0] == ["a", "b"]
    assert ["c"] in provider.prefetched


class _Prioritized(FakeProvider):
    def prioritize(self, package: Package, allowed: Ranges) -> int:
        return 1 if package.name == "b" else 0


def test_a_provider_priority_goes_first() -> None:
    universe = {"a": {"1": []}, "b": {"1": []}}
    provider = _Prioritized(universe, ["a", "b"])
    solve(provider)
    chosen = [what for call, what in provider.calls if call == "choose_version"]
    assert chosen == ["b", "a"]


def test_a_missing_package_is_cited() -> None:
    error = failure({"a": {"1": ["b"]}}, ["a"])
    assert error.render() == (
        "Because b was not found in the package registry and all versions of a depend on b, "
        "we can conclude that all versions of a cannot be used.\n"
        "And because you require a, we can conclude that your requirements are unsatisfiable.")


def test_offline_and_not_cached_gives_uvs_hint() -> None:
    error = failure({}, ["a"], not_found_reason=UnavailableKind.NOT_CACHED)
    assert error.render() == ("Because a was not found in the cache and you require a, we can "
                              "conclude that your requirements are unsatisfiable.")
    assert error.hints == [
        "Packages were unavailable because the network was disabled. When the network is "
        "disabled, registry packages may only be read from the cache."]


class _BrokenMetadata(FakeProvider):
    def get_dependencies(self, package: Package, version: Version) -> Dependencies | Unavailable:
        if package.name == "a" and version == Version("2.0"):
            return Unavailable(UnavailableKind.INVALID_METADATA, hints=(
                "Metadata for `a` (v2.0) could not be parsed:\n  bad header",))
        return super().get_dependencies(package, version)


def test_an_unusable_version_is_skipped_and_cited_if_it_matters() -> None:
    universe = {"a": {"1.0": [], "2.0": []}}
    assert {n: str(v) for n, v in solve(_BrokenMetadata(universe, ["a"])).by_name().items()} == {
        "a": "1.0"}
    with pytest.raises(NoSolution) as raised:
        solve(_BrokenMetadata(universe, ["a>=2"]))
    # The same shape as uv's "a==2.0 was yanked and only a<=2.0 is available, ...".
    assert raised.value.render() == (
        "Because a==2.0 has invalid metadata and only a<=2.0 is available, we can conclude that "
        "a>=2.0 cannot be used.\n"
        "And because you require a>=2, we can conclude that your requirements are "
        "unsatisfiable.")
    assert raised.value.hints == ["Metadata for `a` (v2.0) could not be parsed:\n  bad header"]


def test_requires_python_is_a_dependency_on_python() -> None:
    universe = {"a": {"1.0.0": {"requires_python": ">=3.10"}}}
    error = failure(universe, ["a==1.0.0"], python="3.9.18", python_kind=PythonKind.INSTALLED,
                    context=ReportContext(python="3.9.18"))
    assert error.render() == (
        "Because the current Python version (3.9.18) does not satisfy Python>=3.10 and "
        "a==1.0.0 depends on Python>=3.10, we can conclude that a==1.0.0 cannot be used.\n"
        "And because you require a==1.0.0, we can conclude that your requirements are "
        "unsatisfiable.")
    assert error.hints == []  # uv gives the requires-python hint for a target version only


def test_older_versions_for_an_older_python() -> None:
    universe = {"a": {"1.0": [], "2.0": {"requires_python": ">=3.10"}}}
    assert resolve(universe, ["a"], python="3.9") == {"a": "1.0"}


class _Exploding(FakeProvider):
    def get_dependencies(self, package: Package, version: Version) -> Dependencies | Unavailable:
        raise KeyboardInterrupt


def test_provider_exceptions_propagate() -> None:
    with pytest.raises(KeyboardInterrupt):
        solve(_Exploding({"a": {"1": []}}, ["a"]))


class _Careless(FakeProvider):
    def choose_version(self, package: Package, allowed: Ranges) -> Version | Unavailable | None:
        return Version("9")


def test_a_version_outside_the_allowed_range_is_a_provider_bug() -> None:
    with pytest.raises(AssertionError, match="not in"):
        solve(_Careless({"a": {"1": []}}, ["a<2"]))


def test_the_fake_provider_satisfies_the_protocol() -> None:
    assert isinstance(FakeProvider({}, []), Provider)


def test_no_solution_is_a_puv_error_in_uvs_frame() -> None:
    error = failure({"a": {"1.0.0": ["c==1"]}, "b": {"1.0.0": ["c==2"]}, "c": {"1": [], "2": []}},
                    ["a", "b"])
    assert isinstance(error, PuvError)
    assert error.exit_code == 1
    assert str(error) == (
        "No solution found when resolving dependencies\n"
        "  cause: Because all versions of b depend on c==2 and all versions of a depend on c==1, "
        "we can conclude that all versions of a and all versions of b are incompatible.\n"
        "         And because you require a and b, we can conclude that your requirements are "
        "unsatisfiable.")
    assert error.hint is None


# -- scale ------------------------------------------------------------------------------------

def test_a_deep_chain_fails_without_recursion_limits() -> None:
    depth = 3000
    universe = {f"p{i}": {"1.0": [f"p{i + 1}"]} for i in range(depth)}
    universe[f"p{depth}"] = {"1.0": ["z==2"]}
    universe["z"] = {"1": [], "2": []}
    started = time.perf_counter()
    error = failure(universe, ["p0", "z==1"])
    assert time.perf_counter() - started < 30
    lines = error.render().splitlines()
    assert lines[-1] == ("And because you require p0 and z==1, we can conclude that your "
                         "requirements are unsatisfiable.")


def test_a_wide_universe_resolves_quickly() -> None:
    names = [f"pkg{i:03}" for i in range(300)]
    universe: dict[str, dict[str, list[str]]] = {}
    for index, name in enumerate(names):
        deps = [f"{other}>=1" for other in names[index + 1:index + 4]]
        universe[name] = {f"{v}.0": deps for v in range(1, 21)}
    started = time.perf_counter()
    result = resolve(universe, names[:10])
    assert len(result) == 300
    assert time.perf_counter() - started < 10


def _names(items: Sequence[tuple[Package, Ranges]]) -> list[str]:
    return [str(package) for package, _ in items]


def test_root_dependencies_are_recorded_for_annotations() -> None:
    solution = solve(FakeProvider({"a": {"1": ["b"]}, "b": {"1": []}}, ["a"]))
    assert _names(solution.dependencies[Package.root()]) == ["a"]
    assert _names(solution.dependencies[Package.named("a")]) == ["b"]


# -- against brute force ----------------------------------------------------------------------

_NAMES = ["a", "b", "c", "d"]
_VERSIONS = ["1", "2", "3"]
_CONSTRAINTS = ["", ">=2", "<2", "==1", "==2", "==3", "!=2", ">1,<3"]


@st.composite
def universes(draw: st.DrawFn) -> tuple[dict[str, dict[str, list[str]]], list[str]]:
    universe: dict[str, dict[str, list[str]]] = {}
    for name in _NAMES:
        versions = draw(st.lists(st.sampled_from(_VERSIONS), min_size=0, max_size=3,
                                 unique=True))
        universe[name] = {
            version: [f"{dep}{draw(st.sampled_from(_CONSTRAINTS))}"
                      for dep in draw(st.lists(st.sampled_from(_NAMES), max_size=2, unique=True))
                      if dep != name]
            for version in versions
        }
    root = [f"{name}{draw(st.sampled_from(_CONSTRAINTS))}"
            for name in draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=3,
                                      unique=True))]
    return universe, root


def _satisfies(selection: dict[str, Version], requirements: list[str]) -> bool:
    from packaging.requirements import Requirement

    for text in requirements:
        requirement = Requirement(text)
        version = selection.get(requirement.name)
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            return False
    return True


def _consistent(selection: dict[str, Version], universe: dict[str, dict[str, list[str]]],
                root: list[str]) -> bool:
    return _satisfies(selection, root) and all(
        _satisfies(selection, universe[name][str(version)])
        for name, version in selection.items())


def _brute_force(universe: dict[str, dict[str, list[str]]], root: list[str]) -> bool:
    import itertools

    choices = [[None, *universe[name]] for name in _NAMES]
    for combination in itertools.product(*choices):
        selection = {name: Version(version) for name, version in zip(_NAMES, combination,
                                                                     strict=True) if version}
        if _consistent(selection, universe, root):
            return True
    return False


@settings(max_examples=400, deadline=None)
@given(universes())
def test_solutions_are_consistent_and_failures_are_real(
        case: tuple[dict[str, dict[str, list[str]]], list[str]]) -> None:
    universe, root = case
    try:
        solution = solve(FakeProvider(universe, root))
    except NoSolution as error:
        assert not _brute_force(universe, root), error.message
        assert error.render()  # every failure can be explained
        return
    selection = dict(solution.by_name())
    assert _consistent(selection, universe, root)
