"""The httpcore implementation of `Transport` (see docs/net.md for why httpcore, not httpx).

httpcore does the connections: pooling, HTTP/1.1, and HTTP/2 (when the `h2` package is
present and the server offers it through ALPN), over `net.backend`'s asyncio streams. This
module adds what httpx used to add on top:

- redirects (301, 302, 303, 307, 308; at most 20): a relative `Location` is resolved against
  the request's URL, 303 turns the request into a GET (301/302 too, for a POST), and
  `Authorization` is dropped when the redirect leaves the origin (other than for an upgrade of
  the same host from `http` to `https`); `Response.url` is the final URL;
- proxies from the environment (`net.proxies`): `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`,
  `NO_PROXY`; `https://` requests go through an HTTP proxy by `CONNECT`, and `socks5://`
  proxies need the optional `socksio` package;
- TLS verified against:

  - `SSL_CERT_FILE` / `SSL_CERT_DIR` when set,
  - the platform's store with `--system-certs` / `UV_SYSTEM_CERTS` (alias `--native-tls`),
  - otherwise the Mozilla bundle shipped as `certifi`;

  and a second set of connections without verification, made only if needed, for
  `--allow-insecure-host`;
- `Accept-Encoding: gzip, deflate` on `request()` unless the caller chose (range requests ask
  for `identity`), and the body decoded by `zlib`; `stream()` asks for `identity` and yields
  the bytes as received, so a download hashes what the index published;
- one timeout for connecting, each read, each write and waiting for a pooled connection;
- the `User-Agent`.

httpcore's exceptions are turned into the transport's own three here, and nowhere else.
"""

from __future__ import annotations

import contextlib
import os
import re
import ssl
import zlib
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit

import httpcore

from puv.errors import NetworkError
from puv.net.auth import redact_url
from puv.net.backend import AsyncioBackend
from puv.net.client import (
    HttpOptions,
    Response,
    TransportConnectError,
    TransportIncomplete,
    TransportTimeout,
)
from puv.net.proxies import DEFAULT_PORTS, Proxy, ProxyEnvironment
from puv.settings import env

__all__ = ["HttpcoreTransport", "decode_content", "ssl_context"]

MAX_REDIRECTS = 20
REDIRECT_STATUSES = frozenset((301, 302, 303, 307, 308))
# Seconds an idle pooled connection is kept (httpx's default).
KEEPALIVE_EXPIRY = 5.0


def ssl_context(native_tls: bool) -> ssl.SSLContext:
    """The TLS context for verified requests (see the module docstring for the order)."""
    cafile = env.string("SSL_CERT_FILE")
    capath = env.string("SSL_CERT_DIR")
    if cafile or capath:
        return ssl.create_default_context(
            cafile=cafile if cafile and os.path.isfile(cafile) else None,
            capath=capath if capath and os.path.isdir(capath) else None,
        )
    if native_tls:
        return ssl.create_default_context()
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _unverified_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _has_h2() -> bool:
    try:
        import h2  # noqa: F401
    except ImportError:  # pragma: no cover - h2 is a dependency, but keep working without
        return False
    return True


class _Target:
    """A URL as httpcore takes it, and the `Host` header that goes with it."""

    __slots__ = ("host", "host_header", "port", "scheme", "url")

    def __init__(self, url: str) -> None:
        if not url.isascii():
            url = _ascii_url(url)
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise TransportConnectError(f"invalid URL ({exc})") from None
        scheme = parts.scheme.lower()
        host = parts.hostname or ""
        self.scheme = scheme
        self.host = host
        self.port = port
        shown = f"[{host}]" if ":" in host else host
        if port is not None and port != DEFAULT_PORTS.get(scheme):
            shown = f"{shown}:{port}"
        self.host_header = shown.encode("ascii")
        target = parts.path or "/"
        if parts.query:
            target = f"{target}?{parts.query}"
        self.url = httpcore.URL(scheme=scheme.encode("ascii"), host=host.encode("ascii"),
                                port=port, target=target.encode("ascii"))


def _ascii_url(url: str) -> str:
    """`url` with an internationalized host in IDNA and other non-ASCII characters
    percent-encoded as UTF-8 (as browsers and httpx send them)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    host = parts.hostname or ""
    if not host.isascii():
        try:
            encoded = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise TransportConnectError(f"invalid host name {host!r} ({exc})") from None
        netloc = netloc.lower().replace(host, encoded)
    safe = "/%:@!$&'()*+,;=~?"
    return SplitResult(parts.scheme, netloc, quote(parts.path, safe=safe),
                       quote(parts.query, safe=safe), "").geturl()


def _text(value: bytes) -> str:
    try:
        return value.decode("ascii")
    except UnicodeDecodeError:
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("latin-1")


def _headers(raw: Sequence[tuple[bytes, bytes]]) -> dict[str, str]:
    """Response headers with lower-case names; a repeated header's values joined by ", "."""
    merged: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = _text(value)
        merged[key] = f"{merged[key]}, {text}" if key in merged else text
    return merged


class _DecodingError(Exception):
    pass


def decode_content(content: bytes, content_encoding: str | None) -> bytes:
    """The body as sent before `Content-Encoding` (`gzip`, `deflate`, in the order applied);
    an encoding we do not know leaves the bytes as they are, as httpx did."""
    if not content_encoding or not content:
        return content
    for coding in reversed(content_encoding.lower().split(",")):
        coding = coding.strip()
        if coding in ("gzip", "x-gzip"):
            content = _inflate(content, zlib.MAX_WBITS | 16, coding)
        elif coding == "deflate":
            try:  # RFC 9110's "deflate" is zlib-wrapped; some servers send it raw
                content = _inflate(content, zlib.MAX_WBITS, coding)
            except _DecodingError:
                content = _inflate(content, -zlib.MAX_WBITS, coding)
    return content


def _inflate(content: bytes, wbits: int, coding: str) -> bytes:
    parts = []
    while True:
        decoder = zlib.decompressobj(wbits)
        try:
            parts.append(decoder.decompress(content))
            parts.append(decoder.flush())
        except zlib.error as exc:
            raise _DecodingError(f"the {coding} body could not be decoded ({exc})") from None
        if not decoder.eof:
            raise _DecodingError(f"the {coding} body ended early")
        content = decoder.unused_data
        # gzip allows several members one after the other; anything else after the end
        # is ignored.
        if not (content and wbits & 16 and content[:2] == b"\x1f\x8b"):
            return b"".join(parts)


class _Stream:
    """A streamed response: status, headers, final URL, and the body as received."""

    def __init__(self, response: httpcore.Response, url: str) -> None:
        self._response = response
        self.status = response.status
        self.headers = _headers(response.headers)
        self.url = url

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        with _mapped_errors():
            async for chunk in self._response.aiter_stream():
                yield chunk


class HttpcoreTransport:
    """The run's connections, by (verified or not, proxy). See the module docstring."""

    def __init__(self, options: HttpOptions, environ: Mapping[str, str] | None = None
                 ) -> None:
        self.options = options
        self._proxies = ProxyEnvironment(os.environ if environ is None else environ)
        self._pools: dict[tuple[bool, str | None], httpcore.AsyncConnectionPool] = {}
        self._contexts: dict[bool, ssl.SSLContext] = {}
        self._backend = AsyncioBackend()
        self._http2 = _has_h2()
        seconds = options.timeout
        self._extensions: dict[str, Any] = {
            "timeout": {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}}
        self._user_agent = _user_agent().encode("ascii")

    def _context(self, verify: bool) -> ssl.SSLContext:
        context = self._contexts.get(verify)
        if context is None:
            context = ssl_context(self.options.native_tls) if verify else _unverified_context()
            self._contexts[verify] = context
        return context

    def _pool(self, target: _Target, verify: bool) -> httpcore.AsyncConnectionPool:
        proxy = self._proxies.for_url(target.scheme, target.host, target.port)
        key = (verify, proxy.url if proxy is not None else None)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._make_pool(verify, proxy)
            self._pools[key] = pool
        return pool

    def _make_pool(self, verify: bool, proxy: Proxy | None
                   ) -> httpcore.AsyncConnectionPool:
        limit = self.options.concurrency
        common: dict[str, Any] = {
            "ssl_context": self._context(verify), "max_connections": limit,
            "max_keepalive_connections": limit, "keepalive_expiry": KEEPALIVE_EXPIRY,
            "http2": self._http2, "network_backend": self._backend}
        if proxy is None:
            return httpcore.AsyncConnectionPool(**common)
        parts = urlsplit(proxy.url)
        scheme = parts.scheme.lower()
        try:
            port = parts.port
        except ValueError:
            port = None
        auth = None
        if parts.username is not None:
            auth = (unquote(parts.username), unquote(parts.password or ""))
        url = httpcore.URL(scheme=scheme.encode("ascii"), host=(parts.hostname or "").encode(
            "idna"), port=port, target=b"/")
        if scheme in ("http", "https"):
            return httpcore.AsyncHTTPProxy(
                proxy_url=url, proxy_auth=auth,
                proxy_ssl_context=self._context(True) if scheme == "https" else None,
                **common)
        if scheme in ("socks5", "socks5h"):
            import importlib.util

            if importlib.util.find_spec("socksio") is None:
                raise NetworkError(
                    f"`{proxy.variable}` names a SOCKS proxy (`{redact_url(proxy.url)}`), "
                    "but the `socksio` package is not installed",
                    hint="install `socksio` beside puv, or use an HTTP proxy")
            url = httpcore.URL(scheme=b"socks5", host=url.host, port=port, target=b"/")
            return httpcore.AsyncSOCKSProxy(proxy_url=url, proxy_auth=auth, **common)
        raise NetworkError(
            f"`{proxy.variable}` names a proxy of unknown scheme `{scheme}`: "
            f"`{redact_url(proxy.url)}`",
            hint="proxies may be `http://`, `https://` or `socks5://` URLs")

    def _request(self, method: str, target: _Target, headers: Mapping[str, str], *,
                 encoding: bytes) -> httpcore.Request:
        sent: list[tuple[bytes, bytes]] = [(b"Host", target.host_header)]
        given = {name.lower() for name in headers}
        if "accept" not in given:
            sent.append((b"Accept", b"*/*"))
        if "accept-encoding" not in given:
            sent.append((b"Accept-Encoding", encoding))
        if "user-agent" not in given:
            sent.append((b"User-Agent", self._user_agent))
        sent.extend((name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in headers.items() if name.lower() != "host")
        return httpcore.Request(method.encode("ascii"), target.url, headers=sent,
                                extensions=self._extensions)

    async def _send(self, method: str, url: str, headers: Mapping[str, str], verify: bool, *,
                    encoding: bytes) -> tuple[httpcore.Response, str]:
        """The first answer that is not a redirect to follow, unread, and its URL."""
        headers = dict(headers)
        asked = url
        for _hop in range(MAX_REDIRECTS + 1):
            target = _Target(url)
            request = self._request(method, target, headers, encoding=encoding)
            response = await self._pool(target, verify).handle_async_request(request)
            location = _location(response) if response.status in REDIRECT_STATUSES else None
            if location is None:
                return response, url
            try:
                await response.aread()
            finally:
                await response.aclose()
            next_url = urljoin(url, location)
            headers = _redirect_headers(headers, url, next_url)
            if (response.status == 303 and method != "HEAD") or (
                    response.status in (301, 302) and method == "POST"):
                method = "GET"
            url = next_url
        raise NetworkError(f"Failed to fetch `{redact_url(asked)}`: more than {MAX_REDIRECTS}"
                           f" redirects (the last to `{redact_url(url)}`)")

    async def request(self, method: str, url: str, headers: Mapping[str, str], *,
                      verify: bool) -> Response:
        with _mapped_errors():
            response, final_url = await self._send(method, url, headers, verify,
                                                   encoding=b"gzip, deflate")
            try:
                content = await response.aread()
            finally:
                await response.aclose()
            answer = _headers(response.headers)
            try:
                content = decode_content(content, answer.get("content-encoding"))
            except _DecodingError as exc:
                raise TransportIncomplete(str(exc)) from None
        return Response(response.status, answer, content, final_url)

    @contextlib.asynccontextmanager
    async def stream(self, url: str, headers: Mapping[str, str], *, verify: bool
                     ) -> AsyncIterator[_Stream]:
        with _mapped_errors():
            response, final_url = await self._send("GET", url, headers, verify,
                                                   encoding=b"identity")
        try:
            yield _Stream(response, final_url)
        finally:
            with _mapped_errors():
                await response.aclose()

    async def aclose(self) -> None:
        for pool in self._pools.values():
            with contextlib.suppress(Exception):
                await pool.aclose()
        self._pools.clear()


def _location(response: httpcore.Response) -> str | None:
    for name, value in response.headers:
        if name.lower() == b"location":
            return _text(value).strip() or None
    return None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def _redirect_headers(headers: dict[str, str], url: str, next_url: str) -> dict[str, str]:
    """The headers for the redirected request: credentials only stay with their origin (or
    its upgrade from http to https), as httpx and browsers do."""
    before, after = _origin(url), _origin(next_url)
    upgrade = (before[0], after[0]) == ("http", "https") and before[1] == after[1] and (
        before[2], after[2]) == (80, 443)
    if before == after or upgrade:
        return headers
    return {name: value for name, value in headers.items() if name.lower() != "authorization"}


@contextlib.contextmanager
def _mapped_errors() -> Iterator[None]:
    """httpcore's exceptions as the transport's own three (the only place that knows both)."""
    try:
        yield
    except httpcore.TimeoutException:
        raise TransportTimeout() from None
    except (httpcore.RemoteProtocolError, httpcore.ReadError) as exc:
        raise TransportIncomplete(_reason(exc)) from None
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.ProxyError,
            httpcore.UnsupportedProtocol) as exc:
        raise TransportConnectError(_reason(exc)) from None


_ERRNO = re.compile(r"\[Errno (-?\d+)\] ")


def _reason(exc: Exception) -> str:
    text = str(exc)
    if not text and exc.__context__ is not None:
        text = str(exc.__context__)
    # Python's "[Errno 111] Connect call failed (...)" reads better without the number, and
    # with the system's words for it ("Connection refused"), found down the exception chain
    # (or in the text, for asyncio's "Multiple exceptions: ..." of several addresses).
    number: int | None = None
    cause: BaseException | None = exc
    while cause is not None:
        errno = getattr(cause, "errno", None)
        if (isinstance(cause, OSError) and not isinstance(cause, ssl.SSLError)
                and isinstance(errno, int) and errno > 0):
            number = errno
            break
        cause = cause.__cause__ or cause.__context__
    if number is None and "SSL" not in text:
        match = _ERRNO.search(text)
        if match and int(match.group(1)) > 0:
            number = int(match.group(1))
    if text.startswith("[Errno ") and text.count("[Errno ") == 1:
        text = _ERRNO.sub("", text, count=1)
    if number is not None:
        detail = os.strerror(number)
        if detail not in text:
            text = f"{text} ({detail})" if text else detail
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return (f"TLS certificate verification failed ({text}); use `--allow-insecure-host`"
                " for a host you trust, or `SSL_CERT_FILE` / `--system-certs` for a private CA")
    return text or type(exc).__name__


def _user_agent() -> str:
    from puv import __version__

    return f"puv/{__version__}"
