"""pytest fixtures for the local package index (enabled by ``tests/conftest.py``'s
``pytest_plugins = ["tests.support.fixtures"]``).

Usage::

    def test_install(package_index):
        index = package_index({"a": {"1.0.0": {"requires": ["b"]}}, "b": ["1.0.0"]})
        other = package_index({"c": ["2.0"]}, auth=("user", "secret"), metadata=False)
        ...

``package_index(description, **options)`` starts a :class:`PackageIndex` (options as its
constructor) that is closed when the test ends.  Builds are cached for the whole session by a
hash of the description, so repeating a description costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .builder import BuildCache, Description
from .index import PackageIndex

PackageIndexFactory = Callable[..., PackageIndex]


@pytest.fixture(scope="session")
def package_builds(tmp_path_factory: pytest.TempPathFactory) -> BuildCache:
    """The session's build cache (``package_builds.build(description)`` -> built files)."""
    return BuildCache(tmp_path_factory.mktemp("package-builds"))


@pytest.fixture
def package_index(
    package_builds: BuildCache, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PackageIndexFactory]:
    """A factory: ``package_index(description=None, **options) -> PackageIndex``."""
    indexes: list[PackageIndex] = []

    def start(description: Description | str | None = None, **options: Any) -> PackageIndex:
        directory: Path = tmp_path_factory.mktemp("package-index")
        options.setdefault("builder", package_builds.build)
        index = PackageIndex(description, directory=directory, **options)
        indexes.append(index)
        return index

    yield start
    for index in indexes:
        index.close()
