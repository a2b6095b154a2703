"""An asyncio network backend for httpcore: sockets and TLS from asyncio's own streams.

httpcore's default backend under asyncio goes through anyio (task groups, a cancel scope and a
memory stream per read); this one calls `asyncio.open_connection` and the `StreamReader` /
`StreamWriter` pair directly, which is cheaper on the network thread (docs/net.md has the
figures). Every failure is raised as httpcore's own exception (`ConnectTimeout`,
`ConnectError`, `ReadTimeout`, `ReadError`, `WriteTimeout`, `WriteError`) with the OS error as
its cause, so the transport reports the system's reason ("Connection refused").

Timeouts use `asyncio.timeout` (3.11+), or a small equivalent on 3.10; TLS is started with
`StreamWriter.start_tls` (3.11+), or on 3.10 by `loop.start_tls` under a new reader.
"""

from __future__ import annotations

import asyncio
import select
import sys
from collections.abc import Awaitable, Iterable
from types import TracebackType
from typing import Any

import httpcore

__all__ = ["AsyncioBackend", "AsyncioStream"]

# The reader's buffer limit: asyncio stops reading from the socket when more than twice this
# is buffered. httpcore reads 64 KiB at a time; pages are up to a few MB.
LIMIT = 1 << 20
# Seconds before trying a host's next address while the first one is still connecting.
HAPPY_EYEBALLS_DELAY = 0.25


class _Deadline:
    """`asyncio.timeout` for Python 3.10: cancel the task after `delay` seconds and turn that
    cancellation into `TimeoutError`."""

    def __init__(self, delay: float | None) -> None:
        self._delay = delay
        self._handle: asyncio.TimerHandle | None = None
        self._expired = False

    async def __aenter__(self) -> _Deadline:
        if self._delay is not None:
            task = asyncio.current_task()
            assert task is not None
            self._handle = asyncio.get_running_loop().call_later(self._delay, self._expire,
                                                                 task)
        return self

    def _expire(self, task: asyncio.Task[Any]) -> None:
        self._expired = True
        task.cancel()

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        traceback: TracebackType | None) -> None:
        if self._handle is not None:
            self._handle.cancel()
        if self._expired and kind is asyncio.CancelledError:
            raise TimeoutError from exc


if sys.version_info >= (3, 11):
    _deadline = asyncio.timeout
else:  # pragma: no cover - exercised on 3.10, and by the tests through `_Deadline`
    _deadline = _Deadline

# `StreamWriter.start_tls` is new in 3.11 (a variable, so that tests can take the 3.10 path).
_WRITER_START_TLS = sys.version_info >= (3, 11)

# `asyncio.TimeoutError` is the built-in one from 3.11 on; a distinct class before.
_TIMEOUT = (TimeoutError, asyncio.TimeoutError)


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection (plain, or TLS after `start_tls`) as httpcore reads and writes it."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._tcp_writer: asyncio.StreamWriter | None = None  # see `start_tls_by_loop`
        self._poller: Any = None  # select.poll, made by the first `is_readable`

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with _deadline(timeout):
                return await self._reader.read(max_bytes)
        except _TIMEOUT as exc:
            raise httpcore.ReadTimeout(exc) from exc
        except OSError as exc:
            raise httpcore.ReadError(exc) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            self._writer.write(buffer)
            async with _deadline(timeout):
                await self._writer.drain()
        except _TIMEOUT as exc:
            raise httpcore.WriteTimeout(exc) from exc
        except (OSError, RuntimeError) as exc:  # RuntimeError: written after close
            raise httpcore.WriteError(exc) from exc

    async def aclose(self) -> None:
        # Aborted, not closed: the socket closes on the loop's next turn, before the run's
        # loop stops. A close would first send what is still buffered (after a write
        # timeout: possibly forever) and shut TLS down (waiting up to 30 s for the server's
        # close_notify; httpcore's anyio backend does not wait either). httpcore closes a
        # connection between requests, or after a failure: nothing buffered is wanted.
        self._writer.transport.abort()

    async def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        handshake = timeout if timeout is not None and timeout > 0 else None
        try:
            async with _deadline(timeout):
                upgrade = getattr(self._writer, "start_tls", None) if _WRITER_START_TLS else None
                if upgrade is not None:
                    await upgrade(ssl_context, server_hostname=server_hostname,
                                  ssl_handshake_timeout=handshake)
                else:
                    self._tcp_writer = self._writer
                    self._reader, self._writer = await start_tls_by_loop(
                        self._reader, self._writer, ssl_context, server_hostname, handshake)
        except BaseException as exc:
            self._writer.close()
            if isinstance(exc, _TIMEOUT):
                raise httpcore.ConnectTimeout(exc) from exc
            if isinstance(exc, OSError):  # ssl.SSLError included
                raise httpcore.ConnectError(exc) from exc
            raise
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            return self.is_readable()
        return None

    def is_readable(self) -> bool:
        """Whether an idle connection has something to read: for a pooled connection, the
        server closed it (or sent bytes nobody asked for), so httpcore drops it.

        asyncio reads the socket on its own, so the end of the stream is usually already in
        the reader (`at_eof`, or an error set on it); what it has not yet seen, a zero-timeout
        poll of the socket does.
        """
        reader = self._reader
        if reader.at_eof() or reader.exception() is not None:
            return True
        if self._writer.transport.is_closing():
            return True
        # httpcore asks for every idle connection each time it assigns a request (with many
        # HTTP/1.1 connections, thousands of times per second): the socket's poller is made
        # once. TLS keeps the same socket, and a closed one answers `is_closing` above.
        if self._poller is None:
            sock = self._writer.get_extra_info("socket")
            if sock is None:
                return False
            fd = sock.fileno()
            if fd < 0:
                return True
            if not hasattr(select, "poll"):  # pragma: no cover - Windows
                readable, _, _ = select.select([fd], [], [], 0)
                return bool(readable)
            self._poller = select.poll()
            self._poller.register(fd, select.POLLIN)
        return bool(self._poller.poll(0))


async def start_tls_by_loop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                            ssl_context: Any, server_hostname: str | None,
                            handshake_timeout: float | None
                            ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """TLS over an open connection without `StreamWriter.start_tls` (Python 3.10): the TLS
    transport gets a new reader and protocol. The caller keeps the old writer until it closes
    the new one: a `StreamWriter` closes its transport, the TCP one under TLS, when it is
    garbage-collected (3.11.x)."""
    loop = asyncio.get_running_loop()
    await writer.drain()
    new_reader = asyncio.StreamReader(limit=LIMIT, loop=loop)
    protocol = asyncio.StreamReaderProtocol(new_reader, loop=loop)
    transport = await loop.start_tls(writer.transport, protocol, ssl_context,
                                     server_hostname=server_hostname,
                                     ssl_handshake_timeout=handshake_timeout)
    if transport is None:  # the typing allows it; asyncio returns a transport or raises
        raise ConnectionError("TLS could not be started")
    # `loop.start_tls` does not announce the new transport to its protocol (the connection
    # was made before); the reader needs it for flow control.
    protocol.connection_made(transport)
    return new_reader, asyncio.StreamWriter(transport, protocol, new_reader, loop)


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend over asyncio streams (see the module docstring)."""

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None
                          ) -> httpcore.AsyncNetworkStream:
        local = (local_address, 0) if local_address else None
        # Happy eyeballs (RFC 8305, as anyio): an address family that does not answer
        # (IPv6 routed nowhere) costs 250 ms, not the whole connect timeout.
        return await _connect(asyncio.open_connection(
            host, port, limit=LIMIT, local_addr=local,
            happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY), timeout, socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        return await _connect(asyncio.open_unix_connection(path, limit=LIMIT), timeout,
                              socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _connect(opening: Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
                   timeout: float | None, options: Iterable[Any] | None) -> AsyncioStream:
    """Await `opening` within `timeout`, its failures as httpcore's; then set `options`."""
    try:
        async with _deadline(timeout):
            reader, writer = await opening
    except _TIMEOUT as exc:
        raise httpcore.ConnectTimeout(exc) from exc
    except OSError as exc:
        raise httpcore.ConnectError(exc) from exc
    _set_options(writer, options)
    return AsyncioStream(reader, writer)


def _set_options(writer: asyncio.StreamWriter, options: Iterable[Any] | None) -> None:
    # Set once connected, as httpcore's anyio backend does (asyncio already sets
    # TCP_NODELAY on its TCP sockets).
    if not options:
        return
    sock = writer.get_extra_info("socket")
    try:
        for option in options:
            sock.setsockopt(*option)
    except OSError as exc:
        writer.close()
        raise httpcore.ConnectError(exc) from exc
