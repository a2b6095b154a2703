"""HTTP cache policy (RFC 9111, the parts an index client needs). Pure: headers and clocks in,
decisions out.

A stored response is *fresh* while its age (counting the `Age` a shared cache reported) is
below `max-age` (or `s-maxage`; `immutable` counts as fresh forever); past that, or with
`no-cache`, it must be revalidated (a conditional request with `If-None-Match` /
`If-Modified-Since`); `no-store` means it is not stored at all.
Without any freshness information, a response is stale and is revalidated every time
(heuristic freshness is not used: index pages change).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["CachePolicy", "parse_cache_control"]


def parse_cache_control(value: str | None) -> dict[str, str | None]:
    """`max-age=600, public` -> {"max-age": "600", "public": None} (directives lower-case)."""
    directives: dict[str, str | None] = {}
    if not value:
        return directives
    for part in value.split(","):
        name, eq, argument = part.strip().partition("=")
        if not name:
            continue
        directives[name.strip().lower()] = argument.strip().strip('"') if eq else None
    return directives


class CachePolicy:
    """What a response's headers allow a cache to do with it."""

    __slots__ = ("etag", "immutable", "last_modified", "max_age", "no_cache", "no_store")

    def __init__(self, *, max_age: float | None = None, no_cache: bool = False,
                 no_store: bool = False, immutable: bool = False, etag: str | None = None,
                 last_modified: str | None = None) -> None:
        self.max_age = max_age
        self.no_cache = no_cache
        self.no_store = no_store
        self.immutable = immutable
        self.etag = etag
        self.last_modified = last_modified

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> CachePolicy:
        """From response headers (keys lower-case)."""
        directives = parse_cache_control(headers.get("cache-control"))
        max_age = None
        for key in ("s-maxage", "max-age"):
            if directives.get(key):
                try:
                    max_age = max(0.0, float(directives[key] or 0))
                except ValueError:
                    max_age = 0.0
                break
        age = headers.get("age", "")
        if max_age is not None and age.isdigit():
            # Already this old in a shared cache (a CDN, a proxy): that much less left here.
            max_age = max(0.0, max_age - int(age))
        return cls(
            max_age=max_age,
            no_cache="no-cache" in directives,
            no_store="no-store" in directives,
            immutable="immutable" in directives,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
        )

    def to_tuple(self) -> tuple[float | None, bool, bool, str | None, str | None]:
        """A marshal-friendly form (see `from_tuple`)."""
        return (self.max_age, self.no_cache, self.immutable, self.etag, self.last_modified)

    @classmethod
    def from_tuple(cls, data: tuple[float | None, bool, bool, str | None, str | None]
                   ) -> CachePolicy:
        max_age, no_cache, immutable, etag, last_modified = data
        return cls(max_age=max_age, no_cache=no_cache, immutable=immutable, etag=etag,
                   last_modified=last_modified)

    def is_fresh(self, age: float) -> bool:
        """Whether a response stored `age` seconds ago may be used without asking the server."""
        if self.no_cache:
            return False
        if self.immutable:
            return True
        return self.max_age is not None and age < self.max_age

    def revalidation_headers(self) -> dict[str, str]:
        """The conditional-request headers for revalidating the stored response."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers
