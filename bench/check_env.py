"""Check that an environment holds exactly the pins of a requirements file, files included.

    DIR/.venv/bin/python bench/check_env.py ../shared/requirements/trio.txt

Run by the environment's own interpreter after a timed install (untimed), so that a tool that
exits 0 without installing everything counts as failed: every `name==version` line of the file
must be installed at that version, and every file its RECORD lists must exist. Other
distributions (pip itself in pip's environments) are allowed. Standard library only. Prints one
line (`38 distributions, 3121 files`); exits 1 with the problems on stderr otherwise.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#\\]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(requirements: str) -> int:
    wanted = {}
    for line in Path(requirements).read_text().splitlines():
        match = PIN.match(line)
        if match:
            wanted[canonical(match.group(1))] = match.group(2)
    installed = {canonical(d.metadata["Name"]): d for d in metadata.distributions()}
    problems, files = [], 0
    for name, version in sorted(wanted.items()):
        dist = installed.get(name)
        if dist is None:
            problems.append(f"{name}: not installed")
            continue
        if dist.version != version:
            problems.append(f"{name}: {dist.version} installed, {version} wanted")
        paths = dist.files
        if not paths:
            problems.append(f"{name}: no RECORD")
            continue
        files += len(paths)
        missing = [path for path in paths if not Path(path.locate()).exists()]
        if missing:
            problems.append(f"{name}: {len(missing)} of {len(paths)} files missing ({missing[0]})")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{len(problems)} problem(s) with the {len(wanted)} pins", file=sys.stderr)
        return 1
    print(f"{len(wanted)} distributions, {files} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
