"""Record what uv prints for failing scenarios into `uv_reports.toml` (not a test).

    python tests/resolver/record_uv_reports.py --uv /path/to/uv [SCENARIO.toml ...]

Without scenarios it records every packse scenario in /work/shared/packse/scenarios and every
one in tests/resolver/scenarios. Each runs `uv pip compile` against the local test index serving
the scenario (tests/support/index.py), with the options `test_packse.py` gives the pure solver;
the failures' stderr (minus uv's "requested Python version is not available" warning) replaces
the scenario's entry. Scenarios that fork on markers are left out (puv does not fork yet).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.resolver.test_packse import HERE, OWN, SHARED, _forks, _load
from tests.support.index import PackageIndex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPORTS = HERE / "uv_reports.toml"
_NOT_INSTALLED = "warning: The requested Python version"


def uv_arguments(options: dict[str, Any], environment: dict[str, Any]) -> list[str]:
    python = options.get("python") or environment.get("python") or "3.12"
    arguments = ["pip", "compile", "--no-header", "-", "--python-version", python]
    if options.get("universal"):
        arguments.append("--universal")
    if options.get("prereleases"):
        arguments += ["--prerelease", "allow"]
    if options.get("prerelease"):
        arguments += ["--prerelease", options["prerelease"]]
    for name in options.get("no_build", ()):
        arguments += ["--only-binary", name]
    for name in options.get("no_binary", ()):
        arguments += ["--no-binary", name]
    if options.get("python_platform"):
        arguments += ["--python-platform", options["python_platform"]]
    return arguments


def record(uv: str, path: Path) -> tuple[str, str | None]:
    """The scenario's name and uv's stderr if it fails (else None)."""
    scenario = _load(path)
    arguments = uv_arguments(scenario.resolver_options, scenario.environment)
    with PackageIndex(scenario.packages) as index, tempfile.TemporaryDirectory() as cache:
        result = subprocess.run(
            [uv, *arguments, "--index-url", index.url, "--cache-dir", cache],
            input="\n".join(scenario.root_requires), capture_output=True, text=True,
            env={**os.environ, "NO_COLOR": "1", "UV_PYTHON_DOWNLOADS": "never"}, check=False)
    if result.returncode != 1:
        return scenario.name, None
    lines = [line for line in result.stderr.splitlines()
             if not line.lstrip().startswith(_NOT_INSTALLED)]
    return scenario.name, "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uv", required=True, help="the uv executable to record")
    parser.add_argument("scenarios", nargs="*", type=Path)
    arguments = parser.parse_args()
    reports = {name: entry["stderr"] for name, entry in tomllib.loads(
        REPORTS.read_text(encoding="utf-8")).items()}
    header = REPORTS.read_text(encoding="utf-8").split('\n["', 1)[0]
    for path in arguments.scenarios or (SHARED + OWN):
        if _forks(_load(path)):
            continue
        name, stderr = record(arguments.uv, path)
        if stderr is None:
            reports.pop(name, None)
        else:
            assert "'''" not in stderr
            reports[name] = stderr
        print(name, "fails" if stderr else "resolves", flush=True)
    body = "".join(f"\n[{json.dumps(name)}]\nstderr = '''\n{reports[name]}'''\n"
                   for name in sorted(reports))
    REPORTS.write_text(header.rstrip("\n") + "\n" + body, encoding="utf-8")


if __name__ == "__main__":
    main()
