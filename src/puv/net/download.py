"""Downloads streamed to a file, hashed on the fly, renamed into place only when complete.

The body goes to a temporary file beside the target. Every expected digest is checked as the
bytes arrive; a body shorter than its `Content-Length` (or cut by the server) and a transient
answer (5xx, 408, 429) are retried like a failed request; a digest that differs deletes the
temporary file and fails naming both digests. The target appears only by an atomic rename, so an interrupted or failed download leaves
nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from puv.core.hashes import Hash, HashChecker
from puv.errors import NetworkError
from puv.fs import temporary_name
from puv.net.auth import redact_url
from puv.net.client import (
    HttpClient,
    TransportConnectError,
    TransportIncomplete,
    is_transient,
    status_text,
)
from puv.types import Reporter

__all__ = ["download"]


class _Transient(Exception):
    """A failure worth retrying: a body cut short, or a transient answer."""


async def download(http: HttpClient, url: str, target: str, *, hashes: Iterable[Hash] = (),
                   what: str | None = None, reporter: Reporter | None = None) -> Hash:
    """Fetch `url` into `target`; return the file's sha256. Retries on incomplete bodies.
    `reporter` hears of the bytes as they arrive (for a progress bar)."""
    expected = tuple(hashes)
    label = what or redact_url(url)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    attempt = 0
    while True:
        attempt += 1
        tmp = temporary_name(target)
        try:
            digest = await _fetch_once(http, url, tmp, expected, label, reporter)
        except (_Transient, TransportIncomplete, TransportConnectError) as exc:
            _unlink(tmp)
            if attempt > http.options.retries:
                reason = str(exc) or "the connection was closed before the body was complete"
                raise http.failure(url, reason, attempt) from None
            await http.backoff(attempt)
            continue
        except BaseException:
            _unlink(tmp)
            raise
        os.replace(tmp, target)
        return digest


async def _fetch_once(http: HttpClient, url: str, tmp: str, expected: tuple[Hash, ...],
                      label: str, reporter: Reporter | None) -> Hash:
    checker = HashChecker(expected, what=label)
    received = 0
    async with http.stream(url, {"Accept-Encoding": "identity"}) as response:
        if is_transient(response.status):
            raise _Transient(f"HTTP status {status_text(response.status)}")
        if response.status != 200:
            raise NetworkError(f"Failed to download `{label}`: HTTP status {response.status}"
                               f" from `{redact_url(url)}`")
        length = response.headers.get("content-length")
        total = int(length) if length is not None and length.isdigit() else None
        if reporter is not None:
            reporter.start(tmp, label, total)
        try:
            with open(tmp, "wb") as handle:
                async for chunk in response.iter_bytes():
                    checker.update(chunk)
                    handle.write(chunk)
                    received += len(chunk)
                    if reporter is not None:
                        reporter.advance(tmp, len(chunk))
        finally:
            if reporter is not None:
                reporter.finish(tmp)
    if total is not None and received < total:
        raise _Transient(f"the body ended after {received} of {length} bytes")
    return checker.verify()


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
