"""Fixtures of the build and distribution tests (imported by `tests/build/conftest.py` and
`tests/distribution/conftest.py`): the running interpreter, inspected once; a fresh puv
cache per test; a directory of wheels and a fake `BuildContext` that installs them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from puv.cache import Cache
from puv.python.interpreter import Interpreter, query_interpreter

from .builder import build_description
from .builds import FakeBuildContext


@pytest.fixture(scope="session")
def interpreter(tmp_path_factory: pytest.TempPathFactory) -> Interpreter:
    return query_interpreter(sys.executable, tmp_path_factory.mktemp("interpreters"))


@pytest.fixture
def puv_cache(tmp_path: Path) -> Cache:
    cache = Cache(tmp_path / "cache", lock_timeout=120)
    cache.init()
    return cache


@pytest.fixture(scope="session")
def build_wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels the fake context installs into build environments."""
    directory = tmp_path_factory.mktemp("build-wheels")
    build_description({"buildtool": ["1.0", "2.0"], "helper": ["1.0"], "dyn": ["1.0"]},
                      directory)
    return directory


@pytest.fixture
def context(build_wheels: Path, puv_cache: Cache) -> FakeBuildContext:
    return FakeBuildContext(build_wheels, puv_cache)
