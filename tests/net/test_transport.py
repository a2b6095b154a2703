"""`HttpcoreTransport` against real local servers: redirects, content decoding, headers,
pooling, HTTP/2, TLS, proxies from the environment, and errors mapped to the transport's own."""

from __future__ import annotations

import asyncio
import base64
import gzip
import shutil
import time
import zlib

import pytest

from puv import __version__
from puv.errors import NetworkError
from puv.net.client import HttpOptions, TransportConnectError, TransportIncomplete
from puv.net.transport import HttpcoreTransport, decode_content
from tests.net.servers import (
    Certificates,
    H2Server,
    HTTPServer,
    Reply,
    Seen,
    SOCKSServer,
    make_certificates,
)


def run(work, *, environ=None, **options):
    """`work(transport)` on a fresh transport (no proxy variables unless given)."""

    async def main():
        transport = HttpcoreTransport(HttpOptions(**options), environ=environ or {})
        try:
            return await work(transport)
        finally:
            await transport.aclose()

    return asyncio.run(main())


def get(url, headers=None, *, verify=True, method="GET", **options):
    return run(lambda t: t.request(method, url, headers or {}, verify=verify), **options)


def streamed(url, headers=None, **options) -> tuple[int, bytes]:
    async def work(transport):
        async with transport.stream(url, headers or {}, verify=True) as response:
            return response.status, b"".join([c async for c in response.iter_bytes()])

    return run(work, **options)


# Redirects


def redirecting(routes: dict[str, Reply]):
    return lambda seen: routes.get(seen.path, Reply(404, b"missing"))


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_followed_and_the_final_url_reported(status):
    routes = {"/simple/A/": Reply(status, b"", [("Location", "../a/")]),
              "/simple/a/": Reply(200, b"page")}
    with HTTPServer(redirecting(routes)) as server:
        response = get(f"{server.url}/simple/A/")
    assert (response.status, response.content) == (200, b"page")
    assert response.url == f"{server.url}/simple/a/"
    assert [seen.path for seen in server.seen] == ["/simple/A/", "/simple/a/"]


def test_see_other_turns_a_post_into_a_get_and_307_keeps_the_method():
    routes = {"/303": Reply(303, b"", [("Location", "/target")]),
              "/307": Reply(307, b"", [("Location", "/target")]),
              "/target": Reply(200, b"here")}
    with HTTPServer(redirecting(routes)) as server:
        get(f"{server.url}/303", method="POST")
        get(f"{server.url}/307", method="POST")
        get(f"{server.url}/303", method="HEAD")
    assert [(s.method, s.path) for s in server.seen] == [
        ("POST", "/303"), ("GET", "/target"), ("POST", "/307"), ("POST", "/target"),
        ("HEAD", "/303"), ("HEAD", "/target")]


def test_authorization_is_dropped_on_a_redirect_to_another_host_and_kept_on_the_same():
    with HTTPServer(lambda seen: Reply(200, b"other")) as other:
        routes = {"/away": Reply(302, b"", [("Location", f"{other.url}/files/a.whl")]),
                  "/here": Reply(302, b"", [("Location", "/files/a.whl")]),
                  "/files/a.whl": Reply(200, b"same")}
        with HTTPServer(redirecting(routes)) as index:
            auth = {"Authorization": "Basic dXNlcjpzZWNyZXQ="}
            away = get(f"{index.url}/away", auth)
            here = get(f"{index.url}/here", auth)
    assert (away.content, away.url) == (b"other", f"{other.url}/files/a.whl")
    assert [s.headers.get("authorization") for s in other.seen] == [None]
    assert here.content == b"same"
    assert [s.headers.get("authorization") for s in index.seen] == [auth["Authorization"]] * 3


def test_streams_follow_redirects_and_report_the_final_url():
    routes = {"/files/a.whl": Reply(302, b"", [("Location", "/mirror/a.whl")]),
              "/mirror/a.whl": Reply(200, b"wheel bytes")}
    with HTTPServer(redirecting(routes)) as server:
        async def work(transport):
            async with transport.stream(server.url + "/files/a.whl", {}, verify=True) as r:
                return r.status, r.url, b"".join([c async for c in r.iter_bytes()])

        answer = run(work)
    assert answer == (200, f"{server.url}/mirror/a.whl", b"wheel bytes")


def test_more_than_twenty_redirects_fail_without_retrying():
    with HTTPServer(lambda seen: Reply(302, b"", [("Location", "/loop")])) as server, \
            pytest.raises(NetworkError) as caught:
        get(f"{server.url}/start")
    assert str(caught.value) == (f"Failed to fetch `{server.url}/start`: more than 20 redirects"
                                 f" (the last to `{server.url}/loop`)")
    assert len(server.seen) == 21


def test_a_redirect_without_location_is_the_answer():
    with HTTPServer(lambda seen: Reply(302, b"moved, somewhere")) as server:
        response = get(f"{server.url}/a")
    assert (response.status, response.content) == (302, b"moved, somewhere")


# Content and headers


def test_gzip_and_deflate_bodies_are_decoded_and_asked_for():
    text = b"<a href='a-1.0.tar.gz'>a</a>\n" * 200
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    routes = {
        "/gzip": Reply(200, gzip.compress(text), [("Content-Encoding", "gzip")]),
        "/deflate": Reply(200, zlib.compress(text), [("Content-Encoding", "deflate")]),
        "/raw-deflate": Reply(200, raw_deflate.compress(text) + raw_deflate.flush(),
                              [("Content-Encoding", "deflate")]),
        "/twice": Reply(200, gzip.compress(zlib.compress(text)),
                        [("Content-Encoding", "deflate, gzip")]),
    }
    with HTTPServer(redirecting(routes)) as server:
        for path in routes:
            response = get(server.url + path)
            assert response.content == text, path
            assert response.headers["content-encoding"] == routes[path].headers[0][1]
    assert {s.headers["accept-encoding"] for s in server.seen} == {"gzip, deflate"}


def test_a_corrupt_gzip_body_is_an_incomplete_answer():
    body = gzip.compress(b"x" * 1000)
    with HTTPServer(lambda seen: Reply(200, body[:-20], [("Content-Encoding", "gzip")])
                    ) as server, pytest.raises(TransportIncomplete, match="gzip body"):
        get(server.url + "/a")


def test_several_gzip_members_are_one_body():
    assert decode_content(gzip.compress(b"one ") + gzip.compress(b"two"), "gzip") == b"one two"


def test_unknown_encodings_leave_the_body_as_it_is():
    assert decode_content(b"\x00brotli", "br") == b"\x00brotli"
    assert decode_content(b"plain", "identity") == b"plain"


def test_caller_accept_encoding_is_sent_and_nothing_is_decoded():
    body = gzip.compress(b"zip member bytes")
    with HTTPServer(lambda seen: Reply(206, body, [("Content-Encoding", "gzip")])) as server:
        # A server that encodes anyway: the caller asked for identity, so no decoding.
        response = get(server.url + "/a.whl", {"Accept-Encoding": "identity",
                                               "Range": "bytes=-10"})
    assert response.content == decode_content(body, "gzip")
    assert server.seen[0].headers["accept-encoding"] == "identity"
    assert server.seen[0].headers["range"] == "bytes=-10"


def test_streams_yield_the_bytes_as_received_and_ask_for_identity():
    body = gzip.compress(b"wheel bytes" * 100)
    with HTTPServer(lambda seen: Reply(200, body, [("Content-Encoding", "gzip")])) as server:
        status, received = streamed(server.url + "/a.whl")
    assert (status, received) == (200, body)
    assert server.seen[0].headers["accept-encoding"] == "identity"


def test_user_agent_host_and_accept_are_sent():
    with HTTPServer(lambda seen: Reply()) as server:
        get(server.url + "/a", {"Accept": "application/vnd.pypi.simple.v1+json"})
        get(server.url + "/b", {"User-Agent": "custom"})
    first, second = server.seen
    assert first.headers["user-agent"] == f"puv/{__version__}"
    assert first.headers["host"] == f"127.0.0.1:{server.port}"
    assert first.headers["accept"] == "application/vnd.pypi.simple.v1+json"
    assert (second.headers["user-agent"], second.headers["accept"]) == ("custom", "*/*")


def test_response_headers_are_lower_case_and_repeated_ones_joined():
    reply = Reply(200, b"", [("X-Thing", "a"), ("x-thing", "b"), ("ETag", '"v1"')])
    with HTTPServer(lambda seen: reply) as server:
        response = get(server.url + "/a")
    assert response.headers["x-thing"] == "a, b"
    assert response.headers["etag"] == '"v1"'


def test_non_ascii_urls_are_percent_encoded():
    with HTTPServer(lambda seen: Reply()) as server:
        get(server.url + "/files/ünïcode-1.0.tar.gz")
    assert server.seen[0].path == "/files/%C3%BCn%C3%AFcode-1.0.tar.gz"


# Connections


def test_sequential_requests_share_one_pooled_connection():
    with HTTPServer(lambda seen: Reply()) as server:
        async def work(transport):
            for _ in range(5):
                await transport.request("GET", server.url + "/a", {}, verify=True)

        run(work)
    assert len(server.seen) == 5 and len(server.connections) == 1


def test_a_pooled_connection_the_server_closed_is_replaced():
    # The server closes each connection after answering, without `Connection: close`:
    # the idle connection in the pool is dead, and must not be used for the next request.
    with HTTPServer(lambda seen: Reply(close=True)) as server:
        async def work(transport):
            answers = []
            for _ in range(3):
                answers.append(await transport.request("GET", server.url + "/a", {},
                                                       verify=True))
                await asyncio.sleep(0.1)  # the close reaches the client
            return answers

        answers = run(work)
    assert [a.status for a in answers] == [200, 200, 200]
    assert len(server.connections) == 3


def test_the_concurrency_option_bounds_the_connections():
    with HTTPServer(lambda seen: Reply(delay=0.2)) as server:
        async def work(transport):
            await asyncio.gather(*(transport.request("GET", f"{server.url}/{i}", {},
                                                     verify=True) for i in range(6)))

        run(work, concurrency=2)
    assert len(server.seen) == 6
    assert server.most_active == 2 and len(server.connections) == 2


def test_a_hanging_server_times_out():
    from puv.net.client import TransportTimeout

    with HTTPServer(lambda seen: Reply(delay=3)) as server:
        started = time.monotonic()
        with pytest.raises(TransportTimeout):
            get(server.url + "/a", timeout=0.3)
    assert time.monotonic() - started < 2


def test_a_refused_connection_names_the_reason():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransportConnectError) as caught:
        get(f"http://127.0.0.1:{port}/a")
    assert str(caught.value).endswith("(Connection refused)")
    assert "[Errno" not in str(caught.value)


def test_a_connection_dropped_before_the_answer_is_incomplete():
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))

    def drop():
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.close()

    threading.Thread(target=drop, daemon=True).start()
    with listener, pytest.raises(TransportIncomplete, match="disconnected"):
        get(f"http://127.0.0.1:{listener.getsockname()[1]}/a")


# TLS and HTTP/2


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Certificates:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test certificates")
    return make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture
def trusting(monkeypatch, certificates):
    """`SSL_CERT_FILE` names the test CA."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return certificates


def test_https_is_verified_against_ssl_cert_file(trusting):
    with HTTPServer(lambda seen: Reply(200, b"secure"), tls=trusting.server_context()
                    ) as server:
        assert get(server.url + "/a").content == b"secure"


def test_an_untrusted_certificate_fails_with_advice(monkeypatch, certificates):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with HTTPServer(lambda seen: Reply(), tls=certificates.server_context()) as server, \
            pytest.raises(TransportConnectError) as caught:
        get(server.url + "/a")
    message = str(caught.value)
    assert message.startswith("TLS certificate verification failed ([SSL: "
                              "CERTIFICATE_VERIFY_FAILED]")
    assert "use `--allow-insecure-host` for a host you trust" in message
    assert "Operation not permitted" not in message


def test_unverified_requests_accept_any_certificate(monkeypatch, certificates):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with HTTPServer(lambda seen: Reply(200, b"trusted anyway"),
                    tls=certificates.server_context()) as server:
        assert get(server.url + "/a", verify=False).content == b"trusted anyway"


def test_http2_is_used_when_the_server_offers_it_over_one_connection(trusting):
    with H2Server(trusting.server_context()) as server:
        async def work(transport):
            return await asyncio.gather(*(transport.request("GET", f"{server.url}/simple/{i}/",
                                                            {}, verify=True)
                                          for i in range(10)))

        answers = run(work)
    assert {a.content for a in answers} == {b"over h2"}
    assert {s.protocol for s in server.seen} == {"HTTP/2"} and len(server.seen) == 10
    assert server.connections == 1
    assert server.seen[0].headers[":authority"] == f"127.0.0.1:{server.port}"


# Proxies


def proxy_app(seen: Seen) -> Reply:
    return Reply(200, b"from the proxy for " + seen.path.encode())


def test_http_requests_go_through_http_proxy(monkeypatch):
    with HTTPServer(proxy_app) as proxy:
        environ = {"HTTP_PROXY": f"http://scott:tiger@127.0.0.1:{proxy.port}"}
        response = run(lambda t: t.request("GET", "http://index.invalid/simple/a/", {},
                                           verify=True), environ=environ)
    assert response.content == b"from the proxy for http://index.invalid/simple/a/"
    credentials = base64.b64encode(b"scott:tiger").decode()
    assert proxy.seen[0].headers["proxy-authorization"] == f"Basic {credentials}"


def test_no_proxy_hosts_are_reached_directly():
    with HTTPServer(proxy_app) as proxy, HTTPServer(lambda seen: Reply(200, b"direct")
                                                    ) as index:
        environ = {"http_proxy": f"127.0.0.1:{proxy.port}", "NO_PROXY": "localhost,127.0.0.1"}
        response = run(lambda t: t.request("GET", index.url + "/a", {}, verify=True),
                       environ=environ)
    assert response.content == b"direct"
    assert proxy.seen == []


def test_https_goes_through_a_connect_tunnel(trusting):
    with HTTPServer(proxy_app) as proxy, HTTPServer(
            lambda seen: Reply(200, b"tunnelled"), tls=trusting.server_context()) as index:
        environ = {"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}"}
        response = run(lambda t: t.request("GET", index.url + "/a", {}, verify=True),
                       environ=environ)
    assert response.content == b"tunnelled"
    assert [(s.method, s.path) for s in proxy.seen] == [("CONNECT", f"127.0.0.1:{index.port}")]


def test_all_proxy_serves_both_schemes():
    with HTTPServer(proxy_app) as proxy:
        environ = {"ALL_PROXY": f"http://127.0.0.1:{proxy.port}"}
        response = run(lambda t: t.request("GET", "http://index.invalid/a", {}, verify=True),
                       environ=environ)
    assert response.content.startswith(b"from the proxy")


def test_socks5_proxies_are_used_when_socksio_is_installed():
    pytest.importorskip("socksio")
    with SOCKSServer() as proxy, HTTPServer(lambda seen: Reply(200, b"via socks")) as index:
        environ = {"ALL_PROXY": f"socks5://127.0.0.1:{proxy.port}"}
        url = f"http://localhost:{index.port}/a"
        response = run(lambda t: t.request("GET", url, {}, verify=True), environ=environ)
    assert response.content == b"via socks"
    assert proxy.seen == [("localhost", index.port)]  # the name, resolved by the proxy


def test_a_socks_proxy_without_socksio_says_what_is_missing(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "socksio" else real(name, *a))
    environ = {"ALL_PROXY": "socks5://user:secret@127.0.0.1:1080"}
    with pytest.raises(NetworkError) as caught:
        run(lambda t: t.request("GET", "https://index.invalid/a", {}, verify=True),
            environ=environ)
    assert str(caught.value) == ("`ALL_PROXY` names a SOCKS proxy "
                                 "(`socks5://user:****@127.0.0.1:1080`), but the `socksio` "
                                 "package is not installed")


def test_a_proxy_of_unknown_scheme_is_an_error_naming_the_variable():
    with pytest.raises(NetworkError, match="`https_proxy` names a proxy of unknown scheme `ftp`"):
        run(lambda t: t.request("GET", "https://index.invalid/a", {}, verify=True),
            environ={"https_proxy": "ftp://127.0.0.1:21"})


def test_proxies_come_from_the_process_environment_by_default(monkeypatch):
    with HTTPServer(proxy_app) as proxy:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.port}")
        monkeypatch.delenv("http_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)

        async def work():
            transport = HttpcoreTransport(HttpOptions())
            try:
                return await transport.request("GET", "http://index.invalid/a", {},
                                               verify=True)
            finally:
                await transport.aclose()

        response = asyncio.run(work())
    assert response.content.startswith(b"from the proxy")
