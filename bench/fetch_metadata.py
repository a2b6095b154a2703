"""Fetch the core metadata of every pin of a requirements file through puv's index layer.

    python bench/fetch_metadata.py ../shared/requirements/trio.txt [--cache-dir DIR]

What a resolver asks of the index layer for a resolution it already knows: every project's
page (in parallel), then the metadata of the pinned version's best file (in parallel): a
PEP 658 file, else range requests into the wheel, else a download. Indexes, credentials and
`--offline` come from the usual settings (`UV_INDEX_URL`, `[tool.uv]`, ...). Prints one line:
how many metadata files were read and how many requests went out. Run by the `metadata-cold`
and `metadata-warm` scenarios of bench/run.py, with puv's own interpreter.
"""

from __future__ import annotations

import argparse
import os
import re
import sys


def pins(path: str) -> list[tuple[str, str]]:
    found = []
    with open(path) as handle:
        for line in handle:
            match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#\\]+)", line)
            if match:
                found.append((match.group(1), match.group(2)))
    return found


def main() -> int:
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    from puv.cache import Cache
    from puv.index.locations import IndexLocations
    from puv.index.registry import Registry
    from puv.net.auth import CredentialStore
    from puv.net.client import HttpOptions
    from puv.settings import CliSettings, load_settings

    parser = argparse.ArgumentParser()
    parser.add_argument("requirements")
    parser.add_argument("--cache-dir")
    parser.add_argument("--offline", action="store_true")
    args = parser.parse_args()
    settings = load_settings(CliSettings(cache_dir=args.cache_dir, offline=args.offline),
                             project_dir=os.getcwd())
    credentials = CredentialStore()
    locations = IndexLocations.from_settings(settings, credentials)
    registry = Registry(locations, Cache(settings.cache_dir), HttpOptions.from_settings(settings),
                        credentials=credentials)
    try:
        wanted = pins(args.requirements)
        projects = registry.fetch_projects(name for name, _ in wanted)
        candidates = []
        for name, version in wanted:
            files = projects[canonicalize_name(name)]
            choices = files.files(Version(version))
            if not choices:
                print(f"{name}=={version}: not on the index", file=sys.stderr)
                return 1
            # Prefer a pure-Python wheel, then any wheel, then the sdist.
            choices.sort(key=lambda c: (not c.is_wheel,
                                        "none-any" not in c.file.filename))
            candidates.append(choices[0])
        results = registry.fetch_metadata(candidates)
        sent = registry._http.requests_sent if registry._http is not None else 0
        print(f"{len(results)} metadata, {sent} requests")
    finally:
        registry.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
