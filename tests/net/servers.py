"""Small real servers for the transport tests: scripted HTTP/1.1 (optionally over TLS), an
HTTP proxy (absolute-form requests and `CONNECT` tunnels), an HTTP/2 server built on `h2`, and
a certificate authority made with the `openssl` command.

Each server listens on 127.0.0.1 on an ephemeral port, serves from daemon threads, logs what it
saw, and is a context manager.
"""

from __future__ import annotations

import select
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Seen:
    """One request as a server saw it (header names lower-case)."""

    method: str
    path: str
    headers: dict[str, str]
    client_port: int
    protocol: str = "HTTP/1.1"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"ok"
    headers: list[tuple[str, str]] = field(default_factory=list)
    close: bool = False  # close the connection after answering, without saying so
    delay: float = 0.0


App = Callable[[Seen], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _HTTPServer

    def _answer(self) -> None:
        seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                    self.client_address[1])
        owner = self.server.owner
        with owner.lock:
            owner.seen.append(seen)
            owner.active += 1
            owner.most_active = max(owner.most_active, owner.active)
        try:
            reply = owner.app(seen)
            if reply.delay:
                threading.Event().wait(reply.delay)
        finally:
            with owner.lock:
                owner.active -= 1
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name, _ in reply.headers):
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)
        self.wfile.flush()
        if reply.close:
            self.close_connection = True

    do_GET = do_HEAD = do_POST = _answer

    def do_CONNECT(self) -> None:
        owner = self.server.owner
        with owner.lock:
            owner.seen.append(Seen("CONNECT", self.path, dict(self.headers.items()),
                                   self.client_address[1]))
        host, _, port = self.path.rpartition(":")
        upstream = socket.create_connection((host, int(port)), timeout=5)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        _relay(self.connection, upstream)
        self.close_connection = True

    def log_message(self, *args: Any) -> None:
        pass


def _relay(one: socket.socket, other: socket.socket) -> None:
    sockets = [one, other]
    try:
        while True:
            readable, _, _ = select.select(sockets, [], [], 5)
            if not readable:
                return
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                (other if source is one else one).sendall(data)
    except OSError:
        return
    finally:
        other.close()


class SOCKSServer:
    """A SOCKS5 proxy without authentication: relays each connection to the host it names
    (by name or IPv4 address) and logs the (host, port) asked for."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int]] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self) -> SOCKSServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        import struct

        reader = client.makefile("rb")
        _version, methods = reader.read(2)
        reader.read(methods)
        client.sendall(b"\x05\x00")  # no authentication
        _version, _command, _reserved, kind = reader.read(4)
        if kind == 3:
            host = reader.read(reader.read(1)[0]).decode()
        else:
            host = socket.inet_ntoa(reader.read(4))
        port = struct.unpack("!H", reader.read(2))[0]
        self.seen.append((host, port))
        upstream = socket.create_connection((host, port), timeout=5)
        client.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1")
                       + struct.pack("!H", port))
        _relay(client, upstream)
        client.close()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: HTTPServer


class HTTPServer:
    """`app` answers every request; `tls` (a server-side context) serves HTTPS."""

    def __init__(self, app: App, *, tls: ssl.SSLContext | None = None) -> None:
        self.app = app
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.active = 0
        self.most_active = 0
        self._server = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        scheme = "https" if tls is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def __enter__(self) -> HTTPServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def connections(self) -> set[int]:
        """The client ports seen: one per connection."""
        return {seen.client_port for seen in self.seen}


class H2Server:
    """HTTP/2 over TLS (ALPN `h2`): answers every request with `body`, logs the requests and
    counts the connections."""

    def __init__(self, tls: ssl.SSLContext, body: bytes = b"over h2") -> None:
        tls.set_alpn_protocols(["h2", "http/1.1"])
        self.body = body
        self.seen: list[Seen] = []
        self.connections = 0
        self._tls = tls
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"https://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self) -> H2Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed = True
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                raw, address = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(raw, address[1]), daemon=True).start()

    def _serve(self, raw: socket.socket, client_port: int) -> None:
        import h2.config
        import h2.connection
        import h2.events

        try:
            conn = self._tls.wrap_socket(raw, server_side=True)
        except OSError:
            raw.close()
            return
        protocol = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        protocol.initiate_connection()
        conn.sendall(protocol.data_to_send())
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                for event in protocol.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        headers = {_str(k): _str(v) for k, v in event.headers}
                        self.seen.append(Seen(headers[":method"], headers[":path"], headers,
                                              client_port, "HTTP/2"))
                        protocol.send_headers(event.stream_id, [
                            (":status", "200"), ("content-length", str(len(self.body)))])
                        protocol.send_data(event.stream_id, self.body, end_stream=True)
                conn.sendall(protocol.data_to_send())
        except OSError:
            return
        finally:
            conn.close()


def _str(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


@dataclass
class Certificates:
    """A throw-away CA (`ca`, a PEM file) and a server certificate for 127.0.0.1 and
    localhost signed by it."""

    ca: Path
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certificates(directory: Path) -> Certificates:
    """Certificates made by `openssl` (the caller skips when it is missing)."""
    openssl = shutil.which("openssl")
    assert openssl is not None

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], check=True, capture_output=True, cwd=directory)

    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run("req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=puv test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", *curve, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    (directory / "ext.cnf").write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")
    return Certificates(directory / "ca.pem", directory / "server.pem", directory / "server.key")
