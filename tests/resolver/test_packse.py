"""Every packse scenario through the pure solver, with an in-memory provider.

Each scenario's universe is built in memory (`universe.FakeProvider`) with the scenario's
options (Python version, pre-releases, `--no-build`/`--no-binary`, platform). A scenario must
give its expected outcome (with `uv-differences.toml` applied), and when it fails, the exact
text uv 0.13.8 prints for it (`uv_reports.toml`). puv's own scenarios (`scenarios/`) run too,
so this also works where `/work/shared` is absent.

Not modelled yet: universal resolution that forks on markers (xfail, with the reason).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from puv.resolver.pubgrub import NoSolution, PythonSource, ReportContext, solve
from tests.resolver.universe import FakeProvider, target_tags
from tests.support.packse import (
    PACKSE_DIR,
    PackseScenario,
    description_from_packse,
    packse_scenarios,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).parent
REPORTS: dict[str, dict[str, str]] = tomllib.loads(
    (HERE / "uv_reports.toml").read_text(encoding="utf-8"))
SHARED = packse_scenarios() if (PACKSE_DIR / "scenarios").is_dir() else []
OWN = packse_scenarios(HERE / "scenarios")


def _load(path: Path) -> PackseScenario:
    overrides = PACKSE_DIR / "uv-differences.toml"
    return description_from_packse(path, overrides=overrides if overrides.exists() else None)


def _forks(scenario: PackseScenario) -> bool:
    """Whether uv would fork on markers (universal resolution with markers anywhere)."""
    if not scenario.resolver_options.get("universal"):
        return False
    requirements = list(scenario.root_requires)
    for versions in scenario.packages.values():
        for spec in versions.values():
            requirements += spec.get("requires", [])
            for extra in (spec.get("extras") or {}).values():
                requirements += extra
    return any(";" in requirement for requirement in requirements)


def _provider(scenario: PackseScenario) -> tuple[FakeProvider, ReportContext]:
    options: dict[str, Any] = scenario.resolver_options
    python = options.get("python") or scenario.environment.get("python") or "3.12"
    prereleases = "allow" if options.get("prereleases") else options.get(
        "prerelease", "if-necessary")
    provider = FakeProvider(
        scenario.packages, scenario.root_requires, python=python, prereleases=prereleases,
        no_build=options.get("no_build", ()), no_binary=options.get("no_binary", ()),
        tags=target_tags(python))
    disallow = prereleases == "disallow"
    context = ReportContext(
        python=">=" + re.sub(r"(\.0)+$", "", python), python_source=PythonSource.PYTHON_VERSION,
        prereleases_disallowed=(lambda name: disallow))
    return provider, context


def _uv_output(error: NoSolution) -> str:
    """What the CLI prints for the error (`cli.output.Printer.error`), as uv does."""
    text = f"error: {error.message}\n"
    if error.hint:
        text += f"\nhint: {error.hint}\n"
    return text


@pytest.mark.parametrize("path", SHARED + OWN, ids=lambda path: path.stem)
def test_scenario(path: Path) -> None:
    scenario = _load(path)
    if _forks(scenario):
        pytest.skip("forks need the universal orchestrator (resolver/universal.py), which "
                    "tests/commands/pip/test_packse_scenarios.py runs through `puv lock`")
    provider, context = _provider(scenario)
    expected = scenario.expected
    try:
        solution = solve(provider, context=context)
    except NoSolution as error:
        assert not expected["satisfiable"], error.message
        recorded = REPORTS.get(scenario.name)
        if recorded is not None:
            assert _uv_output(error) == recorded["stderr"]
        return
    assert expected["satisfiable"], f"expected no solution, got {solution.by_name()}"
    if "packages" in expected:
        got = {name: str(version) for name, version in solution.by_name().items()}
        assert got == {name: str(version) for name, version in expected["packages"].items()}


def test_every_recorded_report_has_a_scenario() -> None:
    names = {_load(path).name for path in OWN + SHARED}
    if not SHARED:
        names |= {name for name in REPORTS if not name.startswith("puv-")}
    assert set(REPORTS) <= names
