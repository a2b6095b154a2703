"""Check what a project scenario produced (run after each timed run, untimed).

    python check_project.py lock DIR   # DIR's lock file locks every dependency of the project
    DIR/.venv/bin/python check_project.py env DIR   # the environment holds what the lock says

The lock file is whichever of uv.lock, pdm.lock and poetry.lock DIR has; all three list
`[[package]]` tables with `name` and `version`. `lock` checks that every dependency named in
DIR/pyproject.toml is locked. `env`, run by the environment's own interpreter, checks that every
dependency without a marker is installed, and that every distribution installed is in the lock
at the locked version (so nothing is missing from the top, nothing is extra and nothing is at
another version). Markers are not evaluated: a dependency with one (`cffi; os_name == "nt"`) may
be absent. Exit status 1 with the problems on stderr. Python 3.11+ (tomllib).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info < (3, 11):
    raise SystemExit("check_project.py needs Python 3.11 or later (tomllib)")

import tomllib

LOCKFILES = ("uv.lock", "pdm.lock", "poetry.lock")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(directory: Path) -> dict[str, str]:
    for filename in LOCKFILES:
        path = directory / filename
        if path.exists():
            with path.open("rb") as handle:
                data = tomllib.load(handle)
            return {normalize(p["name"]): str(p["version"]) for p in data.get("package", [])}
    raise SystemExit(f"no lock file ({', '.join(LOCKFILES)}) in {directory}")


def dependencies(directory: Path) -> list[tuple[str, bool]]:
    """(normalized name, has a marker) of each `[project] dependencies` entry."""
    with (directory / "pyproject.toml").open("rb") as handle:
        listed = tomllib.load(handle)["project"]["dependencies"]
    found = []
    for requirement in listed:
        match = NAME.match(requirement.strip())
        assert match is not None, requirement
        found.append((normalize(match.group()), ";" in requirement))
    return found


def check_lock(directory: Path) -> list[str]:
    versions = locked(directory)
    return [f"{name} is not locked" for name, _ in dependencies(directory) if name not in versions]


def check_env(directory: Path) -> list[str]:
    from importlib import metadata

    versions = locked(directory)
    installed = {normalize(d.metadata["Name"]): d.version for d in metadata.distributions()}
    problems = [
        f"{name} is not installed"
        for name, marker in dependencies(directory)
        if not marker and name not in installed
    ]
    for name, version in sorted(installed.items()):
        if name not in versions:
            problems.append(f"{name} {version} is installed but not locked")
        elif versions[name] != version:
            problems.append(f"{name} {version} is installed, {versions[name]} is locked")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("lock", "env"):
        print(__doc__, file=sys.stderr)
        return 2
    directory = Path(argv[1])
    problems = check_lock(directory) if argv[0] == "lock" else check_env(directory)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
