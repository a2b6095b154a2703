"""The httpx implementation of `Transport` (see docs/net.md for why httpx).

One `httpx.AsyncClient` with HTTP/2 (when the `h2` package is present and the server offers it
through ALPN), connection pooling, redirects followed, proxies from the environment
(`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`), and TLS verified against:

- `SSL_CERT_FILE` / `SSL_CERT_DIR` when set,
- the platform's store with `--system-certs` / `UV_SYSTEM_CERTS` (alias `--native-tls`),
- otherwise the Mozilla bundle shipped as `certifi`.

A second client without verification is made, only if needed, for `--allow-insecure-host`.
httpx's exceptions are turned into the transport's own three here, and nowhere else.
"""

from __future__ import annotations

import contextlib
import os
import ssl
from collections.abc import AsyncIterator, Iterator, Mapping

import httpx

from puv.net.client import (
    HttpOptions,
    Response,
    TransportConnectError,
    TransportIncomplete,
    TransportTimeout,
)
from puv.settings import env

__all__ = ["HttpxTransport", "ssl_context"]


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


def _has_h2() -> bool:
    try:
        import h2  # noqa: F401
    except ImportError:  # pragma: no cover - h2 is a dependency, but keep working without
        return False
    return True


class _Stream:
    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status = response.status_code
        self.headers = _headers(response.headers)
        self.url = str(response.url)

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        with _mapped_errors():
            async for chunk in self._response.aiter_raw():
                yield chunk


def _headers(headers: httpx.Headers) -> dict[str, str]:
    merged: dict[str, str] = {}
    for key, value in headers.multi_items():
        key = key.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


class HttpxTransport:
    def __init__(self, options: HttpOptions) -> None:
        self.options = options
        self._clients: dict[bool, httpx.AsyncClient] = {}

    def _client(self, verify: bool) -> httpx.AsyncClient:
        client = self._clients.get(verify)
        if client is None:
            limits = httpx.Limits(max_connections=self.options.concurrency,
                                  max_keepalive_connections=self.options.concurrency)
            client = httpx.AsyncClient(
                http2=_has_h2(),
                verify=ssl_context(self.options.native_tls) if verify else False,
                timeout=httpx.Timeout(self.options.timeout),
                limits=limits,
                follow_redirects=True,
                trust_env=True,
                headers={"User-Agent": _user_agent()},
            )
            self._clients[verify] = client
        return client

    async def request(self, method: str, url: str, headers: Mapping[str, str], *,
                      verify: bool) -> Response:
        with _mapped_errors():
            response = await self._client(verify).request(method, url, headers=dict(headers))
        return Response(response.status_code, _headers(response.headers), response.content,
                        str(response.url))

    @contextlib.asynccontextmanager
    async def stream(self, url: str, headers: Mapping[str, str], *, verify: bool
                     ) -> AsyncIterator[_Stream]:
        with _mapped_errors():
            async with self._client(verify).stream("GET", url, headers=dict(headers)) as r:
                yield _Stream(r)

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()


@contextlib.contextmanager
def _mapped_errors() -> Iterator[None]:
    """httpx's exceptions as the transport's own three (the only place that knows both)."""
    try:
        yield
    except httpx.TimeoutException:
        raise TransportTimeout() from None
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        raise TransportIncomplete(_reason(exc)) from None
    except httpx.TransportError as exc:
        raise TransportConnectError(_reason(exc)) from None


def _reason(exc: Exception) -> str:
    text = str(exc)
    if not text and exc.__context__ is not None:
        text = str(exc.__context__)
    # "All connection attempts failed" says nothing of why: add the system's reason
    # ("Connection refused"), found at the bottom of the exception chain.
    cause: BaseException | None = exc
    while cause is not None:
        number = getattr(cause, "errno", None)
        if isinstance(cause, OSError) and isinstance(number, int) and number > 0:
            detail = os.strerror(number)
            if detail not in text:
                text = f"{text} ({detail})" if text else detail
            break
        cause = cause.__cause__ or cause.__context__
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return (f"TLS certificate verification failed ({text}); use `--allow-insecure-host`"
                " for a host you trust, or `SSL_CERT_FILE` / `--system-certs` for a private CA")
    return text or type(exc).__name__


def _user_agent() -> str:
    from puv import __version__

    return f"puv/{__version__}"
