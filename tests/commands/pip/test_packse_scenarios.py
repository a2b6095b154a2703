"""Conformance: every packse resolver scenario, run the way a user would.

Each scenario's packages are built and served from a local index; `puv pip compile` resolves
the scenario's root requirements against it (for the scenario's Python version and platform)
and the outcome must be the expected one: the exact versions when satisfiable, a clean
`No solution found` explanation when not. Where current uv decides differently from packse,
`uv-differences.toml` gives the expectation (puv follows uv).

Universal scenarios (`universal = true`, `required_environments`) need the lock-file issue's
forking resolver; they are expected failures until then. The module skips when
`../shared/packse` is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.packse import PACKSE_DIR, description_from_packse, packse_scenarios

SCENARIOS = packse_scenarios() if PACKSE_DIR.is_dir() else []
OVERRIDES = PACKSE_DIR / "uv-differences.toml"

pytestmark = pytest.mark.skipif(not SCENARIOS, reason="../shared/packse is absent")

_PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)", re.MULTILINE)


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def compile_args(scenario, index_url: str) -> list[str]:
    """The `puv pip compile` command line for a scenario (requirements on stdin)."""
    options = scenario.resolver_options
    python = options.get("python") or scenario.environment.get("python") or "3.12"
    args = ["pip", "compile", "-", "--index-url", index_url, "--no-header", "--no-annotate",
            "--python-version", str(python)]
    if options.get("prereleases"):
        args += ["--prerelease", "allow"]
    for name in options.get("no_build", []):
        args += ["--no-build-package", name]
    for name in options.get("no_binary", []):
        args += ["--no-binary", name]
    if options.get("python_platform"):
        args += ["--python-platform", str(options["python_platform"])]
    return args


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: Path(path).stem)
def test_packse_scenario(path: Path, package_index, puv) -> None:
    scenario = description_from_packse(path, overrides=OVERRIDES)
    options = scenario.resolver_options
    if options.get("universal") or options.get("required_environments"):
        pytest.xfail("universal resolution comes with the lock-file issue")
    index = package_index(scenario.packages)
    result = puv(*compile_args(scenario, index.url), input="\n".join(scenario.root_requires))
    assert "Traceback" not in result.stderr, result.stderr
    expected = scenario.expected
    if expected["satisfiable"]:
        assert result.returncode == 0, result.stderr
        pins = {_normalize(name): version for name, version in _PIN.findall(result.stdout)}
        wanted = expected.get("packages")
        if wanted is not None:
            assert pins == {_normalize(k): v for k, v in wanted.items()}, result.stdout
    else:
        assert result.returncode != 0, result.stdout
        assert "No solution found when resolving dependencies" in result.stderr, result.stderr
