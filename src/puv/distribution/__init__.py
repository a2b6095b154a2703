"""Distributions that are not registry wheels -> core metadata, or -> a wheel. Cached.

- `dists.py`: the kinds (`SourceDist`, `UrlDist`, `DirectoryDist`, `GitDist`), parsing a
  requirement's URL or path into one (`parse_direct_reference`), and the results
  (`DistMetadata`, `BuiltWheel`, `BuildDisabled`);
- `database.py`: `Distributions`, which answers `metadata(dist)` and `wheel(dist)`, cheapest
  way first, keeping what builds produce in `built-wheels-v1/`;
- `archive.py`: sdists read (`PKG-INFO`) and unpacked safely;
- `static.py`: metadata without a build (`PKG-INFO`, `[project]`, declared metadata) and the
  cache key of a local tree;
- `git.py`: Git repositories fetched, resolved and checked out into `git-v1/`.

See docs/builds.md.
"""

from puv.distribution.database import Distributions, Fetch, registry_fetch
from puv.distribution.dists import (
    BuildDisabled,
    BuiltWheel,
    DirectoryDist,
    Dist,
    DistMetadata,
    GitDist,
    SourceDist,
    UrlDist,
    describe,
    direct_url,
    parse_direct_reference,
    registry_sdist,
)
from puv.distribution.git import GitError, GitSource
from puv.distribution.static import DeclaredMetadata, parse_declared

__all__ = [
    "BuildDisabled",
    "BuiltWheel",
    "DeclaredMetadata",
    "DirectoryDist",
    "Dist",
    "DistMetadata",
    "Distributions",
    "Fetch",
    "GitDist",
    "GitError",
    "GitSource",
    "SourceDist",
    "UrlDist",
    "describe",
    "direct_url",
    "parse_declared",
    "parse_direct_reference",
    "registry_fetch",
    "registry_sdist",
]
