"""Which indexes to ask, in which order, and how to combine their answers.

`IndexLocations.from_settings` turns the settings (`--index`, `--default-index`,
`[[tool.uv.index]]`, the legacy `--index-url` / `--extra-index-url`, `--find-links`,
`--no-index`, their `UV_*` variables) into an ordered list: non-default indexes first, in the
order given, then the default index (PyPI unless replaced). Credentials embedded in a URL, or
given as `UV_INDEX_<NAME>_USERNAME` / `_PASSWORD`, go to the `CredentialStore` and the URL
keeps none.

An `explicit = true` index is asked only for the packages pinned to it in
`[tool.uv.sources]` (`{ index = "name" }`); `for_package` applies that rule.

Index strategies (`--index-strategy`), as uv defines them:

- `first-index` (default): the first index that has the project at all is the only one used
  for it. This is the guard against dependency confusion: a name squatted on a later index is
  never considered.
- `unsafe-first-match`: every index is asked; versions are tried index by index, the first
  index's versions before the next one's.
- `unsafe-best-match`: every index is asked; the best version wins wherever it is; a version
  on several indexes is taken from the first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from puv.errors import SettingsError
from puv.net.auth import Credentials, CredentialStore, split_credentials
from puv.settings import env

__all__ = ["PYPI_URL", "STRATEGIES", "Index", "IndexLocations"]

PYPI_URL = "https://pypi.org/simple/"
STRATEGIES = ("first-index", "unsafe-first-match", "unsafe-best-match")


def _normalize(url: str) -> str:
    """Index URLs end with `/` (a project page is `<url><name>/`)."""
    if "://" not in url:  # a local directory given as an index: a file URL
        import os
        from urllib.parse import quote

        return "file://" + quote(os.path.abspath(url).rstrip("/")) + "/"
    return url if url.endswith("/") else url + "/"


class Index:
    """One package index (or flat index, `format = "flat"`)."""

    __slots__ = ("authenticate", "default", "explicit", "flat", "given", "ignore_error_codes",
                 "name", "url")

    def __init__(self, url: str, *, name: str | None = None, explicit: bool = False,
                 default: bool = False, flat: bool = False, authenticate: str = "auto",
                 ignore_error_codes: Iterable[int] | None = None) -> None:
        # As configured (what `uv.lock` records: uv writes PyPI as `https://pypi.org/simple`).
        self.given = "https://pypi.org/simple" if url == PYPI_URL else url
        self.url = url if flat else _normalize(url)
        self.name = name
        self.explicit = explicit
        self.default = default
        self.flat = flat
        # `always`: never asked without credentials; `never`: credentials never sent.
        self.authenticate = authenticate
        # HTTP statuses that mean "not here, ask the next index" (uv: 404 and 410 always;
        # 403 too on the PyTorch index, whose missing projects answer 403).
        codes = set(ignore_error_codes) if ignore_error_codes is not None else (
            {403} if "download.pytorch.org" in self.url else set())
        self.ignore_error_codes = frozenset(codes | {404, 410})

    @property
    def cache_key(self) -> str:
        """The directory of this index's entries below a bucket: `pypi.org`, or `idx_<16 hex
        digits of sha256(url)>`. Neither can be a normalized package name, so `puv cache
        clean NAME` never mistakes an index's directory for a package's (docs/cache.md)."""
        if self.url == PYPI_URL:
            return "pypi.org"
        return "idx_" + hashlib.sha256(self.url.encode()).hexdigest()[:16]

    def project_url(self, name: str) -> str:
        return f"{self.url}{name}/"

    def __repr__(self) -> str:
        return f"Index({self.url!r}, name={self.name!r})"


class IndexLocations:
    """The indexes of a run, highest priority first (the default index last)."""

    def __init__(self, indexes: Iterable[Index], *, find_links: Iterable[str] = (),
                 no_index: bool = False, strategy: str = "first-index") -> None:
        self.indexes = () if no_index else tuple(indexes)
        self.find_links = tuple(find_links)
        self.no_index = no_index
        self.strategy = strategy

    @classmethod
    def from_settings(cls, settings: Any, credentials: CredentialStore,
                      environ: Mapping[str, str] | None = None) -> IndexLocations:
        """From a `Settings` (its `indexes`, `default_index`, `find_links`, `no_index`,
        `index_strategy`); learns credentials into `credentials`."""
        indexes: list[Index] = []
        names: set[str] = set()
        for number, table in enumerate(settings.indexes):
            url, embedded = split_credentials(str(table["url"]))
            name = table.get("name")
            if name is not None:
                _check_name(name, number)
                if name in names:
                    continue  # a higher-priority definition of the same name wins
                names.add(name)
            index = Index(url, name=name, explicit=bool(table.get("explicit")),
                          default=bool(table.get("default")),
                          flat=table.get("format") == "flat",
                          authenticate=str(table.get("authenticate", "auto")),
                          ignore_error_codes=table.get("ignore-error-codes"))
            if index.authenticate == "never":
                credentials.deny(index.url)
            else:
                _learn(credentials, index, embedded, environ)
            indexes.append(index)
        default_url = settings.default_index or PYPI_URL
        url, embedded = split_credentials(default_url)
        default = Index(url, default=True)
        for index in indexes:  # a named `default = true` index keeps its name
            if index.default and index.url == default.url:
                default = index
        indexes = [i for i in indexes if i is not default]
        _learn(credentials, default, embedded, environ)
        indexes.append(default)
        find_links = [credentials.add_url(location) for location in settings.find_links]
        return cls(indexes, find_links=find_links, no_index=settings.no_index,
                   strategy=settings.index_strategy)

    def named(self, name: str) -> Index | None:
        return next((i for i in self.indexes if i.name == name), None)

    def for_package(self, pinned: str | None = None) -> list[Index]:
        """The indexes to ask for a package: the one it is pinned to, else every index that
        is not `explicit`, in priority order."""
        if pinned is not None:
            index = self.named(pinned)
            if index is None:
                known = ", ".join(f"`{i.name}`" for i in self.indexes if i.name) or "none"
                raise SettingsError(
                    f"Package source refers to the index `{pinned}`, which is not defined",
                    hint=f"define it with `[[tool.uv.index]]` and `name = \"{pinned}\"` "
                    f"(defined names: {known})",
                )
            return [index]
        return [i for i in self.indexes if not i.explicit]


def _check_name(name: object, number: int) -> None:
    text = str(name)
    if not text or not all(c.isalnum() or c in "-_." for c in text) or not text.isascii():
        raise SettingsError(
            f"Invalid index name `{text}` in `index[{number}].name`: index names may contain "
            "only letters, digits, `-`, `_` and `.`"
        )


def _learn(store: CredentialStore, index: Index, embedded: Credentials | None,
           environ: Mapping[str, str] | None) -> None:
    if embedded is not None:
        store.add(index.url, embedded)
    if index.name:
        username, password = env.index_credentials(index.name, environ)
        if username is not None or password is not None:
            store.add(index.url, Credentials(username or "", password))
