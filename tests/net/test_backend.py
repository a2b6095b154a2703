"""`AsyncioBackend`, httpcore's network backend over asyncio streams: connections, TLS,
timeouts and errors raised as httpcore's own exceptions."""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import struct
import threading

import httpcore
import pytest

from puv.net.backend import AsyncioBackend, _Deadline, start_tls_by_loop
from tests.net.servers import Certificates, make_certificates


class Peer:
    """A listening socket whose accepted connection the test drives by hand."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._accepted: list[socket.socket] = []
        self._ready = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:  # closed before a client came (a test that never connected)
            return
        self._accepted.append(connection)
        self._ready.set()

    @property
    def connection(self) -> socket.socket:
        assert self._ready.wait(5)
        return self._accepted[0]

    def reset(self) -> None:
        """Close with a TCP reset rather than an orderly end."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def close(self) -> None:
        for connection in self._accepted:
            connection.close()
        self.listener.close()


@pytest.fixture
def peer():
    made = Peer()
    yield made
    made.close()


def test_connect_read_and_write_and_addresses(peer):
    async def main():
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", peer.port, timeout=5)
        await stream.write(b"ping", timeout=5)
        assert peer.connection.recv(4) == b"ping"
        peer.connection.sendall(b"pong")
        assert await stream.read(100, timeout=5) == b"pong"
        assert stream.get_extra_info("server_addr") == ("127.0.0.1", peer.port)
        assert stream.get_extra_info("client_addr")[0] == "127.0.0.1"
        assert stream.get_extra_info("socket") is not None
        assert stream.get_extra_info("ssl_object") is None
        assert stream.get_extra_info("anything else") is None
        await stream.aclose()

    asyncio.run(main())


def test_a_refused_connection_is_a_connect_error_caused_by_the_os_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def main():
        await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)

    with pytest.raises(httpcore.ConnectError) as caught:
        asyncio.run(main())
    assert isinstance(caught.value.__cause__, ConnectionRefusedError)


def test_a_connection_that_does_not_complete_is_a_connect_timeout(monkeypatch):
    async def never(*args, **kwargs):
        await asyncio.sleep(60)

    monkeypatch.setattr(asyncio, "open_connection", never)

    async def main():
        await AsyncioBackend().connect_tcp("127.0.0.1", 9, timeout=0.05)

    with pytest.raises(httpcore.ConnectTimeout):
        asyncio.run(main())


def test_socket_options_and_local_address_are_applied(peer):
    async def main():
        stream = await AsyncioBackend().connect_tcp(
            "127.0.0.1", peer.port, timeout=5, local_address="127.0.0.1",
            socket_options=[(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)])
        sock = stream.get_extra_info("socket")
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        await stream.aclose()

    asyncio.run(main())


def test_a_silent_server_is_a_read_timeout(peer):
    async def main():
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", peer.port, timeout=5)
        try:
            await stream.read(100, timeout=0.05)
        finally:
            await stream.aclose()

    with pytest.raises(httpcore.ReadTimeout):
        asyncio.run(main())


def test_a_reset_connection_is_a_read_error(peer):
    async def main():
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", peer.port, timeout=5)
        peer.reset()
        try:
            await stream.read(100, timeout=5)
        finally:
            await stream.aclose()

    with pytest.raises(httpcore.ReadError):
        asyncio.run(main())


def test_an_orderly_end_reads_as_no_bytes(peer):
    async def main():
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", peer.port, timeout=5)
        peer.connection.close()
        assert await stream.read(100, timeout=5) == b""
        await stream.aclose()

    asyncio.run(main())


def test_a_server_that_does_not_read_is_a_write_timeout(peer):
    async def main():
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", peer.port, timeout=5)
        _ = peer.connection  # accepted, never read
        try:
            await stream.write(b"x" * (64 << 20), timeout=0.1)
        finally:
            await stream.aclose()

    with pytest.raises(httpcore.WriteTimeout):
        asyncio.run(main())


def test_writing_to_a_reset_connection_is_a_write_error(peer):
    async def main():
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", peer.port, timeout=5)
        peer.reset()
        await asyncio.sleep(0.1)  # the reset reaches the client
        try:
            await stream.write(b"data", timeout=5)
        finally:
            await stream.aclose()

    with pytest.raises(httpcore.WriteError):
        asyncio.run(main())


def test_is_readable_tells_an_idle_connection_from_a_closed_one(peer):
    async def main():
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", peer.port, timeout=5)
        assert stream.get_extra_info("is_readable") is False
        peer.connection.close()
        # Seen by the poll before asyncio reads the end, and by the reader after.
        await asyncio.sleep(0.05)
        first = stream.get_extra_info("is_readable")
        await asyncio.sleep(0.05)
        assert first is True and stream.get_extra_info("is_readable") is True
        await stream.aclose()

    asyncio.run(main())


def test_sleep_sleeps():
    async def main():
        loop = asyncio.get_running_loop()
        started = loop.time()
        await AsyncioBackend().sleep(0.05)
        return loop.time() - started

    assert asyncio.run(main()) >= 0.04


# TLS


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Certificates:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test certificates")
    return make_certificates(tmp_path_factory.mktemp("certs"))


class TLSPeer:
    """A TLS echo server (one connection) offering ALPN `h2` and `http/1.1`."""

    def __init__(self, certificates: Certificates) -> None:
        context = certificates.server_context()
        context.set_alpn_protocols(["h2", "http/1.1"])
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]

        def serve() -> None:
            raw, _ = self.listener.accept()
            try:
                with context.wrap_socket(raw, server_side=True) as connection:
                    while data := connection.recv(65536):
                        connection.sendall(data.upper())
            except OSError:
                pass

        threading.Thread(target=serve, daemon=True).start()


def client_context(certificates: Certificates) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(certificates.ca))
    context.set_alpn_protocols(["h2", "http/1.1"])
    return context


def test_start_tls_negotiates_and_carries_data(certificates):
    server = TLSPeer(certificates)

    async def main():
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", server.port, timeout=5)
        stream = await stream.start_tls(client_context(certificates), "localhost", timeout=5)
        assert stream.get_extra_info("ssl_object").selected_alpn_protocol() == "h2"
        await stream.write(b"hello", timeout=5)
        assert await stream.read(100, timeout=5) == b"HELLO"
        assert stream.get_extra_info("is_readable") is False
        await stream.aclose()

    asyncio.run(main())
    server.listener.close()


def test_start_tls_by_loop_works_where_stream_writer_has_no_start_tls(certificates):
    # The Python 3.10 path, exercised on any version.
    server = TLSPeer(certificates)

    async def main():
        tcp_reader, tcp_writer = await asyncio.open_connection("127.0.0.1", server.port)
        reader, writer = await start_tls_by_loop(tcp_reader, tcp_writer,
                                                 client_context(certificates), "localhost", 5)
        assert writer.get_extra_info("ssl_object") is not None
        writer.write(b"over tls")
        await writer.drain()
        assert await reader.read(100) == b"OVER TLS"
        writer.transport.abort()

    asyncio.run(main())
    server.listener.close()


def test_an_untrusted_certificate_is_a_connect_error(certificates):
    server = TLSPeer(certificates)

    async def main():
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", server.port, timeout=5)
        await stream.start_tls(ssl.create_default_context(cafile=None, capath=None,
                                                          cadata=None), "localhost", timeout=5)

    with pytest.raises(httpcore.ConnectError) as caught:
        asyncio.run(main())
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    server.listener.close()


def test_a_handshake_that_does_not_complete_is_a_connect_timeout(peer, certificates):
    async def main():
        stream = await AsyncioBackend().connect_tcp("127.0.0.1", peer.port, timeout=5)
        await stream.start_tls(client_context(certificates), "localhost", timeout=0.1)

    with pytest.raises(httpcore.ConnectTimeout):
        asyncio.run(main())


# The 3.10 timeout


def test_deadline_turns_its_expiry_into_timeout_error():
    async def main():
        async with _Deadline(0.02):
            await asyncio.sleep(5)

    with pytest.raises(TimeoutError):
        asyncio.run(main())


def test_deadline_lets_quick_work_and_no_deadline_through():
    async def main():
        async with _Deadline(5):
            await asyncio.sleep(0)
        async with _Deadline(None):
            await asyncio.sleep(0.01)
        return "done"

    assert asyncio.run(main()) == "done"


def test_deadline_leaves_other_cancellations_alone():
    async def main():
        async def body():
            async with _Deadline(5):
                await asyncio.sleep(5)

        task = asyncio.ensure_future(body())
        await asyncio.sleep(0.01)
        task.cancel()
        await task

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(main())


def test_https_requests_work_without_stream_writer_start_tls(monkeypatch, certificates):
    # What Python 3.10 does, end to end: TLS by `loop.start_tls` under a new reader.
    from puv.net import backend
    from puv.net.client import HttpOptions
    from puv.net.transport import HttpcoreTransport
    from tests.net.servers import HTTPServer, Reply

    monkeypatch.setattr(backend, "_WRITER_START_TLS", False)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))

    async def main(url):
        import gc

        transport = HttpcoreTransport(HttpOptions(), environ={})
        answers = []
        try:
            for _ in range(3):
                answers.append(await transport.request("GET", url, {}, verify=True))
                gc.collect()  # the TCP writer must not close the connection under TLS
                await asyncio.sleep(0.01)
            return answers
        finally:
            await transport.aclose()

    with HTTPServer(lambda seen: Reply(200, b"tls on 3.10"),
                    tls=certificates.server_context()) as server:
        answers = asyncio.run(main(server.url + "/a"))
    assert [a.content for a in answers] == [b"tls on 3.10"] * 3
    assert len(server.connections) == 1


def test_an_address_that_does_not_answer_gives_way_to_the_next(monkeypatch, peer):
    # Happy eyeballs: the first address (as a dead IPv6 route would) never connects; the
    # second is tried after the delay instead of after the whole timeout.
    import puv.net.backend as backend

    addresses = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.255.255.1", peer.port)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", peer.port)),
    ]

    async def main():
        loop = asyncio.get_running_loop()

        async def getaddrinfo(*args, **kwargs):
            return addresses

        real_connect = loop.sock_connect

        async def sock_connect(sock, address):
            if address[0] == "10.255.255.1":
                await asyncio.sleep(60)
            return await real_connect(sock, address)

        monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(loop, "sock_connect", sock_connect)
        monkeypatch.setattr(backend, "HAPPY_EYEBALLS_DELAY", 0.05)
        started = loop.time()
        stream = await AsyncioBackend().connect_tcp("index.example", peer.port, timeout=5)
        elapsed = loop.time() - started
        assert stream.get_extra_info("server_addr") == ("127.0.0.1", peer.port)
        await stream.aclose()
        return elapsed

    assert asyncio.run(main()) < 2
