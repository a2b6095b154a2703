"""One async HTTP client per run: retries, timeouts, credentials, offline mode, redaction.

`HttpClient` speaks to a `Transport` (our own three-method interface); `net.transport` has the
httpcore implementation, tests may pass a fake. The client adds what every request needs:

- credentials from the `CredentialStore` for the request's realm (never for another host; the
  transport drops `Authorization` on a cross-origin redirect);
- retries with exponential backoff on connection errors, 5xx, 408 and 429 answers and bodies
  cut short (`UV_HTTP_RETRIES`, default 3), honouring a short `Retry-After`;
- one timeout (`UV_HTTP_TIMEOUT`, default 30 s) reported as "timed out after N s fetching URL";
  a timeout is not retried, so a hanging server fails within the configured time;
- `--offline`: no request at all;
- a bound on requests in flight (`UV_CONCURRENT_DOWNLOADS`, default 50).

Every URL in an error message goes through `redact_url`.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast

from puv.errors import NetworkError, OfflineError
from puv.net.auth import CredentialStore, redact_text, redact_url, split_credentials

if TYPE_CHECKING:
    import asyncio  # imported when a request is made: 25 ms that a cached run does not pay

__all__ = [
    "HttpClient",
    "HttpOptions",
    "Response",
    "StreamResponse",
    "Transport",
    "TransportConnectError",
    "TransportIncomplete",
    "TransportTimeout",
    "is_transient",
    "status_text",
]


class Response:
    """A complete response: status, headers (lower-case keys), body, final URL."""

    __slots__ = ("content", "headers", "status", "url")

    def __init__(self, status: int, headers: Mapping[str, str], content: bytes, url: str
                 ) -> None:
        self.status = status
        self.headers = headers
        self.content = content
        self.url = url


class StreamResponse(Protocol):
    status: int
    headers: Mapping[str, str]
    url: str

    def iter_bytes(self) -> AsyncIterator[bytes]:
        """The body, chunk by chunk."""
        ...


class TransportTimeout(Exception):
    """The server did not answer (or stopped sending) within the timeout."""


class TransportConnectError(Exception):
    """The connection could not be made or was dropped before an answer."""


class TransportIncomplete(Exception):
    """The body ended before its announced length."""


class Transport(Protocol):
    """What `HttpClient` needs from an HTTP library."""

    async def request(self, method: str, url: str, headers: Mapping[str, str], *,
                      verify: bool) -> Response:
        """Send the request, follow redirects, read the whole body."""
        ...

    def stream(self, url: str, headers: Mapping[str, str], *, verify: bool
               ) -> contextlib.AbstractAsyncContextManager[StreamResponse]:
        """A GET whose body is read chunk by chunk inside the context."""
        ...

    async def aclose(self) -> None: ...


class HttpOptions:
    """The settings the network layer reads (from `Settings`, see `HttpOptions.from_settings`)."""

    __slots__ = ("concurrency", "insecure_hosts", "native_tls", "offline", "retries",
                 "timeout")

    def __init__(self, *, timeout: float = 30.0, retries: int = 3, offline: bool = False,
                 insecure_hosts: tuple[str, ...] = (), native_tls: bool = False,
                 concurrency: int = 50) -> None:
        self.timeout = timeout
        self.retries = retries
        self.offline = offline
        self.insecure_hosts = insecure_hosts
        self.native_tls = native_tls
        self.concurrency = max(1, concurrency)

    @classmethod
    def from_settings(cls, settings: Any) -> HttpOptions:
        """From a `Settings` (`http_timeout`, `http_retries`, `offline`,
        `allow_insecure_host`, `system_certs`, `concurrent_downloads`)."""
        return cls(timeout=settings.http_timeout, retries=settings.http_retries,
                   offline=settings.offline, insecure_hosts=tuple(settings.allow_insecure_host),
                   native_tls=settings.system_certs,
                   concurrency=settings.concurrent_downloads or 50)


def _host_matches(url: str, patterns: tuple[str, ...]) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    with_port = f"{host}:{parts.port}" if parts.port else host
    for pattern in patterns:
        pattern = pattern.lower()
        if "://" in pattern:  # `--allow-insecure-host https://host:port` is accepted too
            pattern = pattern.split("://", 1)[1].rstrip("/")
        if pattern in (host, with_port):
            return True
    return False


def is_transient(status: int) -> bool:
    """Whether an answer with `status` is worth retrying: 5xx, 408 Request Timeout and
    429 Too Many Requests (as uv)."""
    return status >= 500 or status in (408, 429)


def status_text(status: int) -> str:
    """`500 Internal Server Error` for 500; the bare number for unknown codes."""
    from http import HTTPStatus

    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class HttpClient:
    """The run's HTTP client. Create it once; `await aclose()` at the end."""

    def __init__(self, options: HttpOptions, credentials: CredentialStore | None = None, *,
                 transport: Transport | None = None,
                 transport_factory: Callable[[HttpOptions], Transport] | None = None,
                 sleep: Callable[[float], Awaitable[object]] | None = None) -> None:
        self.options = options
        self.credentials = credentials or CredentialStore()
        self._transport = transport
        self._transport_factory = transport_factory
        self._gate: asyncio.Semaphore | None = None
        self._sleep = sleep
        self.requests_sent = 0  # for tests and `-v` summaries

    @property
    def transport(self) -> Transport:
        if self._transport is None:
            if self._transport_factory is not None:
                self._transport = self._transport_factory(self.options)
            else:
                from puv.net.transport import HttpcoreTransport  # the HTTP stack: only now

                self._transport = cast("Transport", HttpcoreTransport(self.options))
        return self._transport

    def _gate_for_loop(self) -> asyncio.Semaphore:
        if self._gate is None:
            import asyncio

            self._gate = asyncio.Semaphore(self.options.concurrency)
        return self._gate

    async def _pause(self, seconds: float) -> None:
        if self._sleep is not None:
            await self._sleep(seconds)
        else:
            import asyncio

            await asyncio.sleep(seconds)

    def _prepare(self, url: str, headers: Mapping[str, str] | None
                 ) -> tuple[str, dict[str, str], bool]:
        if self.options.offline:
            raise OfflineError(
                f"Network connectivity is disabled, but `{redact_url(url)}` was needed",
                hint="run without `--offline` (or `UV_OFFLINE`) to allow network access",
            )
        clean, _embedded = split_credentials(url)
        request_headers = dict(headers or {})
        credentials = self.credentials.for_url(url)
        if credentials is not None and "Authorization" not in request_headers:
            request_headers["Authorization"] = credentials.header()
        verify = not _host_matches(clean, self.options.insecure_hosts)
        return clean, request_headers, verify

    def _retry_delay(self, attempt: int, headers: Mapping[str, str] | None) -> float:
        if headers is not None:
            retry_after = str(headers.get("retry-after", ""))
            if retry_after.isdigit():
                return min(float(retry_after), 10.0)
        base: float = min(0.1 * 2.0**attempt, 2.0)
        return base * (0.5 + random.random() / 2)

    def timeout_error(self, url: str) -> NetworkError:
        """The error for a request to `url` that timed out."""
        seconds = self.options.timeout
        shown = f"{seconds:g}"
        return NetworkError(
            f"Request timed out after {shown} s fetching `{redact_url(url)}`",
            hint=f"on a slow network, raise `UV_HTTP_TIMEOUT` (now {shown} s)",
        )

    def failure(self, url: str, reason: str, attempts: int = 1) -> NetworkError:
        """The error for a request that failed `attempts` times for `reason`."""
        retries = attempts - 1
        retried = (f" (after {retries} {'retry' if retries == 1 else 'retries'})"
                   if retries else "")
        return NetworkError(f"Failed to fetch `{redact_url(url)}`: {redact_text(reason)}"
                            f"{retried}")

    async def get(self, url: str, headers: Mapping[str, str] | None = None, *,
                  method: str = "GET") -> Response:
        """The response to a GET (any status but a transient one, see `is_transient`, after
        retries); `NetworkError` otherwise.

        4xx answers are returned: the caller knows whether a 404 means "not on this index".
        """
        clean, request_headers, verify = self._prepare(url, headers)
        attempt = 0
        async with self._gate_for_loop():
            while True:
                attempt += 1
                retry_headers: Mapping[str, str] | None = None
                try:
                    self.requests_sent += 1
                    response = await self.transport.request(method, clean, request_headers,
                                                            verify=verify)
                except TransportTimeout:
                    raise self.timeout_error(clean) from None
                except (TransportConnectError, TransportIncomplete) as exc:
                    reason = str(exc) or type(exc).__name__
                    if attempt > self.options.retries:
                        raise self.failure(clean, reason, attempt) from None
                else:
                    if not is_transient(response.status):
                        return response
                    if attempt > self.options.retries:
                        raise self.failure(clean, f"HTTP status {status_text(response.status)}",
                                           attempt)
                    retry_headers = response.headers
                await self._pause(self._retry_delay(attempt - 1, retry_headers))

    @contextlib.asynccontextmanager
    async def stream(self, url: str, headers: Mapping[str, str] | None = None
                     ) -> AsyncIterator[StreamResponse]:
        """A streamed GET (no retries here: the caller retries the whole download)."""
        clean, request_headers, verify = self._prepare(url, headers)
        async with self._gate_for_loop():
            self.requests_sent += 1
            try:
                async with self.transport.stream(clean, request_headers, verify=verify) as r:
                    yield r
            except TransportTimeout:
                raise self.timeout_error(clean) from None

    async def backoff(self, attempt: int) -> None:
        """Wait before retry number `attempt` (1-based) of a streamed download."""
        await self._pause(self._retry_delay(attempt - 1, None))

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()
            self._transport = None
