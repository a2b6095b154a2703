"""Conformance: every packse resolver scenario, run the way a user would.

Each scenario's packages are built and served from a local index; `puv pip compile` resolves
the scenario's root requirements against it (for the scenario's Python version and platform)
and the outcome must be the expected one: the exact versions when satisfiable, a clean
`No solution found` explanation when not. Where current uv decides differently from packse,
`uv-differences.toml` gives the expectation (puv follows uv).

Universal scenarios (`universal = true`, `required_environments`) run as uv's own lock
scenarios do: a project named `project` requiring the root requirements is locked with
`puv lock`, and the versions in `uv.lock` are checked. The module skips when
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
def test_packse_scenario(path: Path, package_index, puv, workdir: Path) -> None:
    scenario = description_from_packse(path, overrides=OVERRIDES)
    options = scenario.resolver_options
    if options.get("universal") or options.get("required_environments"):
        _check_universal(scenario, package_index, puv, workdir)
        return
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


def _check_universal(scenario, package_index, puv, workdir: Path) -> None:
    """A universal scenario through `puv lock` (see the module docstring)."""
    import json

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    toml_string = json.dumps
    index = package_index(scenario.packages)
    python = scenario.environment.get("python") or "3.12"
    requires_python = scenario.root_requires_python or f">={python}"
    lines = ["[project]", 'name = "project"', 'version = "0.1.0"',
             f"requires-python = {toml_string(requires_python)}",
             "dependencies = [" + ", ".join(toml_string(r) for r in scenario.root_requires) + "]"]
    required = scenario.resolver_options.get("required_environments")
    if required:
        lines += ["", "[tool.uv]", "required-environments = ["
                  + ", ".join(toml_string(m) for m in required) + "]"]
    (workdir / "pyproject.toml").write_text("\n".join(lines) + "\n")
    args = ["lock", "--default-index", index.url]
    if scenario.resolver_options.get("prereleases"):
        args += ["--prerelease", "allow"]
    result = puv(*args)
    assert "Traceback" not in result.stderr, result.stderr
    expected = scenario.expected
    if not expected["satisfiable"]:
        assert result.returncode != 0, result.stdout
        assert "No solution found when resolving dependencies" in result.stderr, result.stderr
        return
    assert result.returncode == 0, result.stderr
    lock = tomllib.loads((workdir / "uv.lock").read_text())
    versions: dict[str, set[str]] = {}
    for package in lock["package"]:
        if package["name"] != "project":
            versions.setdefault(package["name"], set()).add(package["version"])
    wanted = expected.get("packages")
    if wanted is not None:
        assert versions == {_normalize(k): {v} for k, v in wanted.items()}, versions


# uv 0.13.8's explanations for the same scenarios (`uv pip compile` with the same options).
EXPLANATIONS = {
    "no-sdist-no-wheels-with-matching-platform": [
        "  cause: Because a==1.0.0 has no wheels with a matching platform tag (e.g., "
        "`manylinux_2_17_x86_64`) and only a==1.0.0 is available, we can conclude that all "
        "versions of a cannot be used.",
        "         And because you require a, we can conclude that your requirements are "
        "unsatisfiable.",
        "",
        "hint: Wheels are available for `a` (v1.0.0) on the following platform: "
        "`macosx_10_0_ppc64`"],
    "only-wheels-no-binary": [
        "  cause: Because a==1.0.0 has no source distribution and only a==1.0.0 is available, "
        "we can conclude that all versions of a cannot be used.",
        "         And because you require a, we can conclude that your requirements are "
        "unsatisfiable.",
        "",
        "hint: A source distribution is required for `a` because using pre-built wheels is "
        "disabled for `a` (i.e., with `--no-binary-package a`)"],
    "python-version-does-not-exist": [
        "  cause: Because the requested Python version (>=3.12) does not satisfy Python>=3.30 "
        "and a==1.0.0 depends on Python>=3.30, we can conclude that a==1.0.0 cannot be used.",
        "         And because you require a==1.0.0, we can conclude that your requirements are "
        "unsatisfiable.",
        "",
        "hint: The `--python-version` value (>=3.12) includes Python versions that are not "
        "supported by your dependencies (e.g., a==1.0.0 only supports >=3.30). Consider using "
        "a higher `--python-version` value."],
    "transitive-package-only-yanked": [
        "  cause: Because b==1.0.0 was yanked and only b==1.0.0 is available, we can conclude "
        "that all versions of b cannot be used.",
        "         And because all versions of a depend on b and you require a, we can conclude "
        "that your requirements are unsatisfiable."],
}


@pytest.mark.parametrize("name", sorted(EXPLANATIONS))
def test_explanations_read_as_uv_writes_them(name: str, package_index, puv) -> None:
    path = next(p for p in SCENARIOS if Path(p).stem == name)
    scenario = description_from_packse(path, overrides=OVERRIDES)
    index = package_index(scenario.packages)
    result = puv(*compile_args(scenario, index.url), input="\n".join(scenario.root_requires))
    assert result.returncode == 1, result
    lines = [line for line in result.stderr.splitlines()
             if not line.startswith("warning: The requested Python version")]
    assert lines[0] == "error: No solution found when resolving dependencies"
    assert lines[1:] == EXPLANATIONS[name]
