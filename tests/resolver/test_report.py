"""The explanation of a failure, word for word as uv 0.13.8 prints it."""

from __future__ import annotations

import pytest
from packaging.version import Version

from puv.core.ranges import Ranges
from puv.resolver.pubgrub import (
    NoSolution,
    Package,
    PythonSource,
    ReportContext,
    Unavailable,
    UnavailableKind,
    solve,
)
from puv.resolver.pubgrub.reduce import collapse_unavailable_versions, reduce_tree
from puv.resolver.pubgrub.report import render_tree
from puv.resolver.pubgrub.term import Term
from puv.resolver.pubgrub.tree import Derived, FromDependency, NoVersions, UnavailableVersions
from tests.resolver.universe import FakeProvider


def explain(universe: dict, requires: list[str], context: ReportContext | None = None,
            **options: object) -> NoSolution:
    with pytest.raises(NoSolution) as raised:
        solve(FakeProvider(universe, requires, **options), context=context)  # type: ignore[arg-type]
    return raised.value


def cli_text(error: NoSolution) -> str:
    """What `puv` prints: `error: <message>` then each hint as its own paragraph."""
    text = f"error: {error.message}\n"
    return text + (f"\nhint: {error.hint}\n" if error.hint else "")


# -- uv's outputs for packse scenarios ---------------------------------------------------------

def test_two_packages_requiring_different_versions_of_a_third() -> None:
    universe = {"a": {"1.0.0": ["c==1.0.0"]}, "b": {"1.0.0": ["c==2.0.0"]},
                "c": {"1.0.0": [], "2.0.0": []}}
    assert cli_text(explain(universe, ["a", "b"])) == (
        "error: No solution found when resolving dependencies\n"
        "  cause: Because all versions of b depend on c==2.0.0 and all versions of a depend on "
        "c==1.0.0, we can conclude that all versions of a and all versions of b are "
        "incompatible.\n"
        "         And because you require a and b, we can conclude that your requirements are "
        "unsatisfiable.\n")


def test_the_only_version_was_yanked() -> None:
    universe = {"a": {"0.1.0": ["b"]}, "b": {"1.0.0": {"yanked": True}}}
    assert explain(universe, ["a"]).render() == (
        "Because b==1.0.0 was yanked and only b==1.0.0 is available, we can conclude that all "
        "versions of b cannot be used.\n"
        "And because all versions of a depend on b and you require a, we can conclude that "
        "your requirements are unsatisfiable.")


def test_two_extras_requiring_different_versions() -> None:
    universe = {"a": {"1.0.0": {"extras": {"extra_b": ["b==1.0.0"], "extra_c": ["b==2.0.0"]}}},
                "b": {"1.0.0": [], "2.0.0": []}}
    assert explain(universe, ["a[extra_b,extra_c]"]).render() == (
        "Because all versions of a[extra-c] depend on b==2.0.0 and all versions of a[extra-b] "
        "depend on b==1.0.0, we can conclude that all versions of a[extra-b] and all versions "
        "of a[extra-c] are incompatible.\n"
        "And because you require a[extra-b] and a[extra-c], we can conclude that your "
        "requirements are unsatisfiable.")


def test_a_dependency_excludes_the_compatible_range() -> None:
    universe = {
        "a": {"1.0.0": ["b==1.0.0"], "2.0.0": ["b==2.0.0"], "3.0.0": ["b==3.0.0"]},
        "b": {"1.0.0": [], "2.0.0": [], "3.0.0": []},
        "c": {"1.0.0": ["a<2.0.0"], "2.0.0": ["a>=3.0.0"]},
    }
    assert cli_text(explain(universe, ["a", "b>=2.0.0,<3.0.0", "c"])) == (
        "error: No solution found when resolving dependencies\n"
        "  cause: Because a<=1.0.0 depends on b==1.0.0 and c<=1.0.0 depends on a<2.0.0, we can "
        "conclude that c<=1.0.0 depends on b==1.0.0.\n"
        "         And because c>=2.0.0 depends on a>=3.0.0 and a>=3.0.0 depends on b==3.0.0, we "
        "can conclude that all versions of c depend on one of:\n"
        "             b<=1.0.0\n"
        "             b>=3.0.0\n"
        "\n"
        "         And because you require b>=2.0.0,<3.0.0 and c, we can conclude that your "
        "requirements are unsatisfiable.\n")


def test_only_some_versions_exist() -> None:
    universe = {"a": {"0.1.0": [], "1.0.0": []}}
    assert explain(universe, ["a>1.0.0"]).render() == (
        "Because only a<=1.0.0 is available and you require a>1.0.0, we can conclude that your "
        "requirements are unsatisfiable.")
    assert explain(universe, ["a==2.0.0"]).render() == (
        "Because there is no version of a==2.0.0 and you require a==2.0.0, we can conclude that "
        "your requirements are unsatisfiable.")
    assert explain({"a": {"1.0.0": []}}, ["a!=1.0.0"]).render() == (
        "Because only a==1.0.0 is available and you require one of:\n"
        "    a<1.0.0\n"
        "    a>1.0.0\n"
        "we can conclude that your requirements are unsatisfiable.")


def test_excluded_versions_are_restated_against_the_listing() -> None:
    universe = {"a": {"0.1.0": [], "1.0.0": {"yanked": True}}}
    assert explain(universe, ["a>0.1.0"]).render() == (
        "Because a==1.0.0 was yanked and only the following versions of a are available:\n"
        "    a<=0.1.0\n"
        "    a==1.0.0\n"
        "we can conclude that a>0.1.0 cannot be used.\n"
        "And because you require a>0.1.0, we can conclude that your requirements are "
        "unsatisfiable.")


# -- Python -----------------------------------------------------------------------------------

PYTHON_TOO_OLD = {"a": {"1.0.0": {"requires_python": ">=3.10"}}}


def test_the_requested_python_version_and_its_hint() -> None:
    error = explain(PYTHON_TOO_OLD, ["a==1.0.0"], python="3.9",
                    context=ReportContext(python=">=3.9",
                                          python_source=PythonSource.PYTHON_VERSION))
    assert cli_text(error) == (
        "error: No solution found when resolving dependencies\n"
        "  cause: Because the requested Python version (>=3.9) does not satisfy Python>=3.10 "
        "and a==1.0.0 depends on Python>=3.10, we can conclude that a==1.0.0 cannot be used.\n"
        "         And because you require a==1.0.0, we can conclude that your requirements are "
        "unsatisfiable.\n"
        "\n"
        "hint: The `--python-version` value (>=3.9) includes Python versions that are not "
        "supported by your dependencies (e.g., a==1.0.0 only supports >=3.10). Consider using a "
        "higher `--python-version` value.\n")


def test_requires_python_hints_name_where_the_python_came_from() -> None:
    error = explain(PYTHON_TOO_OLD, ["a==1.0.0"], python="3.9")
    project = ReportContext(python=">=3.9", python_source=PythonSource.REQUIRES_PYTHON)
    assert error.render_hints(project) == [
        "The `requires-python` value (>=3.9) includes Python versions that are not supported "
        "by your dependencies (e.g., a==1.0.0 only supports >=3.10). Consider using a more "
        "restrictive `requires-python` value (like >=3.10)."]
    interpreter = ReportContext(python="3.9.18", python_source=PythonSource.INTERPRETER)
    assert error.render_hints(interpreter) == [
        "The Python interpreter uses a Python version that is not supported by your "
        "dependencies (e.g., a==1.0.0 only supports >=3.10). Consider passing a "
        "`--python-version` value to raise the minimum supported version."]
    assert error.render(interpreter).startswith(
        "Because the requested Python version (3.9.18) does not satisfy Python>=3.10")


# -- hints ------------------------------------------------------------------------------------

def test_prerelease_hints_when_prereleases_are_disallowed() -> None:
    disallowed = ReportContext(prereleases_disallowed=lambda name: True)
    universe = {"a": {"0.1.0": [], "1.0.0a1": [], "1.0.0b2": []}}
    error = explain(universe, ["a>=0.5"], prereleases="disallow", context=disallowed)
    assert error.render() == ("Because only a<0.5 is available and you require a>=0.5, we can "
                              "conclude that your requirements are unsatisfiable.")
    assert error.hints == [
        "Pre-releases are available for `a` in the requested range (e.g., 1.0.0b2), but "
        "pre-releases weren't enabled (try: `--prerelease=allow`)"]
    error = explain(universe, ["a>=1.0.0a1"], prereleases="disallow", context=ReportContext(
        prereleases_disallowed=lambda name: True, prerelease_package_option=frozenset({"a"})))
    assert error.hints == [
        "`a` was requested with a pre-release marker (e.g., a>=1.0.0a1), but pre-releases "
        "weren't enabled (try: `--prerelease-package a=allow`)"]


def test_several_hints_print_as_separate_paragraphs() -> None:
    universe = {"a": {"1.0": ["b>=1"], "0.5": ["c"]}, "b": {"1.1b1": []}}
    error = explain(universe, ["a"], prereleases="disallow",
                    not_found_reason=UnavailableKind.NOT_CACHED,
                    context=ReportContext(prereleases_disallowed=lambda name: True))
    # In the order the explanation cites them (c's absence comes first). As in uv, `b>=1` is
    # shown as the one version it allows, which names a pre-release.
    assert error.hints == [
        "Packages were unavailable because the network was disabled. When the network is "
        "disabled, registry packages may only be read from the cache.",
        "`b` was requested with a pre-release marker (e.g., b==1.1b1), but pre-releases "
        "weren't enabled (try: `--prerelease=allow`)"]
    assert cli_text(error).endswith(
        "\n\nhint: Packages were unavailable because the network was disabled. When the network "
        "is disabled, registry packages may only be read from the cache.\n"
        "\nhint: `b` was requested with a pre-release marker (e.g., b==1.1b1), but pre-releases "
        "weren't enabled (try: `--prerelease=allow`)\n")


# -- wording of the root ----------------------------------------------------------------------

def test_a_project_root_reads_as_your_project() -> None:
    universe = {"a": {"1.0.0": ["c==1"]}, "b": {"1.0.0": ["c==2"]}, "c": {"1": [], "2": []}}
    error = explain(universe, ["a", "b"])
    project = ReportContext(workspace_members=frozenset({"demo"}))
    assert error.render(project).splitlines()[-1] == (
        "And because your project requires a and b, we can conclude that your project's "
        "requirements are unsatisfiable.")
    workspace = ReportContext(workspace_members=frozenset({"demo", "lib"}))
    assert error.render(workspace).splitlines()[-1] == (
        "And because your workspace requires a and b, we can conclude that your workspace's "
        "requirements are unsatisfiable.")


def test_the_packages_an_explanation_involves() -> None:
    universe = {"a": {"1.0.0": ["c==1"]}, "b": {"1.0.0": ["c==2"]}, "c": {"1": [], "2": []}}
    assert sorted(explain(universe, ["a", "b"]).packages()) == ["a", "b", "c"]


def test_a_failure_of_the_root_alone() -> None:
    error = explain({"a": {"1.0.0": []}}, ["a==1.0.0", "a==2.0.0"])
    assert error.render() == ("Because you require a==1.0.0 and a==2.0.0, we can conclude "
                              "that your requirements are unsatisfiable.")


# -- the reductions ---------------------------------------------------------------------------

def test_unavailable_versions_with_one_reason_are_said_once() -> None:
    a, root = Package.named("a"), Package.root()
    yanked = Unavailable(UnavailableKind.YANKED)
    v = [Version(f"1.{i}") for i in range(3)]
    low = UnavailableVersions(a, Ranges.singleton(v[1]), yanked)
    high = UnavailableVersions(a, Ranges.singleton(v[2]), yanked)
    both = Ranges.singleton(v[1]) | Ranges.singleton(v[2])
    inner = Derived(((a, Term(True, both)),), None, low, high)
    assert collapse_unavailable_versions(inner) == UnavailableVersions(a, both, yanked)
    dependency = FromDependency(root, Ranges.full(), a, Ranges.from_specifiers(">=1.1"))
    tree = Derived(((root, Term(True, Ranges.full())),), None, dependency, inner)
    reduced = reduce_tree(tree, {"a": v})
    assert render_tree(reduced, {"a": v}) == (
        "Because you require a>=1.1 and a>=1.1 was yanked, we can conclude that your "
        "requirements are unsatisfiable.")


def test_a_bare_external_renders_alone() -> None:
    leaf = NoVersions(Package.named("a"), Ranges.full())
    assert render_tree(leaf, {}) == "there are no versions of a"


def test_the_cli_prints_it_as_uv_does() -> None:
    import io

    from puv.cli.output import Printer

    universe = {"a": {"1.0.0": {"requires_python": ">=3.10"}}, "b": {"1.0.0": []}}
    error = explain(universe, ["a==1.0.0", "b==2.0.0"], python="3.9", context=ReportContext(
        python=">=3.9", python_source=PythonSource.PYTHON_VERSION))
    stream = io.StringIO()
    Printer(err=stream).error(error.message, error.hint)
    assert stream.getvalue() == cli_text(error)
    assert stream.getvalue().startswith(
        "error: No solution found when resolving dependencies\n  cause: Because ")
