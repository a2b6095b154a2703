"""The HTTP cache: responses stored under the cache root in their parsed form, beside their
validators, so that a warm run neither downloads nor parses again.

An entry is one file (written atomically: a reader never sees half of it, and concurrent puv
processes at worst both write a complete entry) holding two `marshal` objects: the header
`(FORMAT, url, stored_at, policy, body_digest)`, then the payload. `policy` is
`CachePolicy.to_tuple()`, `payload` whatever the caller's `parse` made of the body (plain
tuples, bytes, strings: marshal-friendly values) and `body_digest` a BLAKE2b digest of the
body. The payload is read only when it is used: a stale entry costs its header (a large
index page's payload is most of the CPU of a warm run). A corrupt or foreign entry counts as
missing.

`get` decides, in order: offline -> the entry or `OfflineError`; a fresh entry (not refreshed
by `--refresh`) -> its payload with no request at all; else a request, conditional when the
entry has validators: 304 -> the stored payload (its age reset), 200 -> parse and store
(unless `no-store`). A server that sends no validators (some mirrors and proxies) makes every
run download the page again; when its body is the one stored, the stored payload is used
without parsing it again. `immutable=True` callers (files named by their content, like a wheel's
metadata on a registry) keep an entry until `--refresh`.
"""

from __future__ import annotations

import hashlib
import marshal
import time
from collections.abc import Callable, Mapping
from typing import Any

from puv.errors import OfflineError
from puv.fs import write_atomic
from puv.net.auth import redact_url
from puv.net.client import HttpClient, Response
from puv.net.policy import CachePolicy

__all__ = ["CachedResult", "HttpCache", "read_entry", "store_entry"]

# 3: HTML pages may be kept as raw anchors per version (index.registry.Page); 4: HTML upload
# times; 5: the header apart from the payload.
FORMAT = 5


class CachedResult:
    """What `HttpCache.get` found: `status` (200, or the error status such as 404, which is
    never cached), the payload, and whether the network was used."""

    __slots__ = ("from_network", "payload", "status")

    def __init__(self, status: int, payload: Any, from_network: bool) -> None:
        self.status = status
        self.payload = payload
        self.from_network = from_network


def read_entry(path: str, url: str) -> tuple[float, CachePolicy, Any] | None:
    """(stored_at, policy, payload) of the entry at `path` for `url`, or `None`."""
    found = _Entry.open(path, url)
    if found is None:
        return None
    payload = found.payload()
    return None if payload is _MISSING else (found.stored_at, found.policy, payload)


def _body_digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=16).digest()


_MISSING = object()


class _Entry:
    """A stored entry whose header is read; its payload is read on demand."""

    __slots__ = ("_path", "body_digest", "policy", "stored_at")

    def __init__(self, path: str, stored_at: float, policy: CachePolicy,
                 body_digest: bytes | None) -> None:
        self._path = path
        self.stored_at = stored_at
        self.policy = policy
        self.body_digest = body_digest

    @classmethod
    def open(cls, path: str, url: str) -> _Entry | None:
        try:
            with open(path, "rb") as handle:
                header = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if not isinstance(header, tuple) or len(header) != 5 or header[0] != FORMAT \
                or header[1] != url or not isinstance(header[2], float):
            return None
        try:
            return cls(path, header[2], CachePolicy.from_tuple(header[3]), header[4])
        except (ValueError, TypeError):  # a damaged entry that still unmarshals
            return None

    def payload(self) -> Any:
        """The stored payload, or `_MISSING` when the file changed or broke meanwhile."""
        try:
            with open(self._path, "rb") as handle:
                marshal.load(handle)  # the header
                return marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            return _MISSING


def store_entry(path: str, url: str, payload: Any, policy: CachePolicy | None = None,
                body_digest: bytes | None = None) -> None:
    """Store `payload` for `url` at `path` (no freshness information unless `policy`)."""
    policy = policy or CachePolicy()
    try:
        write_atomic(path, marshal.dumps((FORMAT, url, time.time(), policy.to_tuple(),
                                          body_digest)) + marshal.dumps(payload))
    except OSError:
        pass  # a cache that cannot be written is slower, not wrong


class HttpCache:
    """Cached GETs through one `HttpClient` (created on first use: a fresh cache needs none)."""

    def __init__(self, client: HttpClient | Callable[[], HttpClient], *,
                 offline: bool = False, run_started: float | None = None) -> None:
        self._client = client
        self.offline = offline
        # Entries stored before this instant are stale for a refreshed URL; later ones were
        # fetched by this very run and are not fetched again.
        self.run_started = time.time() if run_started is None else run_started

    @property
    def client(self) -> HttpClient:
        if not isinstance(self._client, HttpClient):
            self._client = self._client()
        return self._client

    def fresh(self, path: str, url: str, *, refresh: bool = False, immutable: bool = False
              ) -> Any | None:
        """The payload of a fresh entry (no request needed), else `None`. Synchronous: warm
        runs answer from here without starting an event loop."""
        entry = _Entry.open(path, url)
        if entry is None:
            return None
        if self.offline or self._usable(entry, refresh=refresh, immutable=immutable):
            payload = entry.payload()
            return None if payload is _MISSING else payload
        return None

    def _usable(self, entry: _Entry, *, refresh: bool, immutable: bool) -> bool:
        """Whether a stored entry may be used without asking the server."""
        if refresh and entry.stored_at < self.run_started:
            return False
        return immutable or entry.policy.is_fresh(time.time() - entry.stored_at)

    async def get(self, url: str, path: str, parse: Callable[[Response], Any], *,
                  headers: Mapping[str, str] | None = None, refresh: bool = False,
                  immutable: bool = False, what: str | None = None) -> CachedResult:
        """GET `url` through the cache entry at `path`; `parse` turns a 200 into the payload."""
        entry = _Entry.open(path, url)
        if self.offline:
            payload = _MISSING if entry is None else entry.payload()
            if payload is _MISSING:
                raise OfflineError(
                    f"Network connectivity is disabled, but the cache lacks "
                    f"{what or f'`{redact_url(url)}`'}",
                    hint="run once without `--offline` to fill the cache",
                )
            return CachedResult(200, payload, False)
        request_headers = dict(headers or {})
        if entry is not None:
            if self._usable(entry, refresh=refresh, immutable=immutable):
                payload = entry.payload()
                if payload is not _MISSING:
                    return CachedResult(200, payload, False)
                entry = None
            else:
                request_headers.update(entry.policy.revalidation_headers())
        response = await self.client.get(url, request_headers)
        if response.status == 304 and entry is not None:
            payload = entry.payload()
            if payload is not _MISSING:
                old = entry.policy
                fresh = CachePolicy.from_headers(response.headers)
                policy = CachePolicy(
                    max_age=fresh.max_age, no_cache=fresh.no_cache, immutable=fresh.immutable,
                    etag=fresh.etag or old.etag,
                    last_modified=fresh.last_modified or old.last_modified,
                )
                store_entry(path, url, payload, policy, entry.body_digest)
                return CachedResult(200, payload, True)
            # The entry went away under us: ask again, unconditionally.
            response = await self.client.get(url, dict(headers or {}))
        if response.status != 200:
            return CachedResult(response.status, None, True)
        policy = CachePolicy.from_headers(response.headers)
        digest = _body_digest(response.content)
        if entry is not None and entry.body_digest == digest:
            # The same body as stored (a server without validators): no need to parse it,
            # nor to store it again unless its freshness changed.
            payload = entry.payload()
            if payload is not _MISSING:
                if policy.to_tuple() != entry.policy.to_tuple() or policy.max_age:
                    store_entry(path, url, payload, policy, digest)
                return CachedResult(200, payload, True)
        payload = parse(response)
        if not policy.no_store:
            store_entry(path, url, payload, policy, digest)
        return CachedResult(200, payload, True)
