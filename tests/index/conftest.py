"""A `registry` fixture: in-process `Registry` objects over a temporary cache, closed after the
test. Backoff between retries does not wait (the outcome is what these tests check)."""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any

import pytest

from puv.cache import Cache
from puv.index.locations import Index, IndexLocations
from puv.index.registry import Registry
from puv.net.auth import CredentialStore
from puv.net.client import HttpClient, HttpOptions


async def no_wait(_seconds: float) -> None:
    pass


@pytest.fixture
def cache_dir(tmp_path) -> str:
    return str(tmp_path / "cache")


@pytest.fixture
def registry(cache_dir):
    """`registry(*index_urls_or_indexes, locations=None, find_links=(), strategy=...,
    credentials=None, refresh=False, refresh_packages=(), cache=None, **http_options)`.

    Without `locations`, the indexes are used in order, the last one the default."""
    made: list[Registry] = []

    def make(*indexes: str | Index, locations: IndexLocations | None = None,
             find_links: tuple[str, ...] = (), strategy: str = "first-index",
             credentials: CredentialStore | None = None, refresh: bool = False,
             refresh_packages: tuple[str, ...] = (), cache: str | None = None,
             **options: Any) -> Registry:
        if locations is None:
            listed = [i if isinstance(i, Index) else Index(i) for i in indexes]
            if listed and not any(i.default for i in listed):
                listed[-1].default = True
            locations = IndexLocations(listed, find_links=find_links, strategy=strategy)
        options.setdefault("timeout", 10)
        options.setdefault("retries", 1)
        http_options = HttpOptions(**options)
        store = credentials if credentials is not None else CredentialStore(use_netrc=False)
        http = HttpClient(http_options, store, sleep=no_wait)
        made.append(Registry(locations, Cache(cache or cache_dir), http_options,
                             credentials=store, refresh=refresh,
                             refresh_packages=refresh_packages, http=http))
        return made[-1]

    yield make
    for registry in made:
        registry.close()


def settings(**values: Any) -> SimpleNamespace:
    """What `IndexLocations.from_settings` reads from a `Settings`."""
    defaults: dict[str, Any] = {"indexes": (), "default_index": None, "find_links": (),
                                "no_index": False, "index_strategy": "first-index"}
    return SimpleNamespace(**{**defaults, **values})


def files_under(root: str) -> list[str]:
    """Every file below `root`, as paths relative to it."""
    found = []
    for directory, _dirs, names in os.walk(root):
        for name in names:
            found.append(os.path.relpath(os.path.join(directory, name), root))
    return sorted(found)
