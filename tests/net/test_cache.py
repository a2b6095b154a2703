"""`HttpCache` over a fake transport: what is stored, what counts as fresh, what is asked."""

from __future__ import annotations

import asyncio
import marshal
import os

import pytest

from puv.errors import OfflineError
from puv.net.auth import CredentialStore
from puv.net.cache import HttpCache, read_entry, store_entry
from puv.net.client import HttpClient, HttpOptions, Response
from puv.net.policy import CachePolicy

URL = "https://index.example/simple/a/"


class Server:
    """A fake transport answering from a list of responses; records request headers."""

    def __init__(self, *responses: Response) -> None:
        self.responses = list(responses)
        self.headers: list[dict[str, str]] = []

    async def request(self, method, url, headers, *, verify):
        self.headers.append(dict(headers))
        return self.responses.pop(0)

    def stream(self, url, headers, *, verify):
        raise AssertionError("not used")

    async def aclose(self):
        pass


def ok(body: bytes, **headers: str) -> Response:
    return Response(200, {k.replace("_", "-"): v for k, v in headers.items()}, body, URL)


def get(server: Server, path: str, **kwargs):
    cache = HttpCache(HttpClient(HttpOptions(), CredentialStore(use_netrc=False),
                                 transport=server), offline=kwargs.pop("offline", False))
    return asyncio.run(cache.get(URL, path, lambda r: r.content.decode(), **kwargs))


def test_fresh_entry_is_used_without_a_request(tmp_path):
    path = str(tmp_path / "a.marshal")
    server = Server(ok(b"page", cache_control="max-age=600", etag='"1"'))
    assert get(server, path).payload == "page"
    again = get(server, path)
    assert (again.payload, again.from_network) == ("page", False)
    assert len(server.headers) == 1


def test_stale_entry_is_revalidated_and_304_keeps_the_payload_with_new_freshness(tmp_path):
    path = str(tmp_path / "a.marshal")
    server = Server(ok(b"page", cache_control="max-age=0", etag='"1"'),
                    Response(304, {"cache-control": "max-age=600"}, b"", URL))
    get(server, path)
    result = get(server, path)
    assert (result.status, result.payload, result.from_network) == (200, "page", True)
    assert server.headers[1]["If-None-Match"] == '"1"'
    stored = read_entry(path, URL)
    assert stored is not None and stored[1].max_age == 600 and stored[1].etag == '"1"'
    assert get(server, path).from_network is False  # fresh again: no third request


def test_no_store_is_not_written(tmp_path):
    path = str(tmp_path / "a.marshal")
    assert get(Server(ok(b"page", cache_control="no-store")), path).payload == "page"
    assert not os.path.exists(path)


def test_error_statuses_are_returned_and_not_stored(tmp_path):
    path = str(tmp_path / "a.marshal")
    result = get(Server(Response(404, {}, b"", URL)), path)
    assert (result.status, result.payload) == (404, None)
    assert not os.path.exists(path)


def test_immutable_entry_is_used_even_without_freshness(tmp_path):
    path = str(tmp_path / "a.marshal")
    store_entry(path, URL, "kept")
    server = Server()
    assert get(server, path, immutable=True).payload == "kept"
    assert server.headers == []


def test_refresh_revalidates_entries_older_than_the_run(tmp_path):
    path = str(tmp_path / "a.marshal")
    store_entry(path, URL, "old", CachePolicy(max_age=600, etag='"1"'))
    server = Server(ok(b"new", cache_control="max-age=600"))
    assert get(server, path, refresh=True).payload == "new"
    assert server.headers[0]["If-None-Match"] == '"1"'


@pytest.mark.parametrize("content", [
    b"", b"garbage", marshal.dumps((1, URL)), marshal.dumps((99, URL, 0.0, (None,) * 5, "x")),
    marshal.dumps((1, URL, 0.0, (1, 2), "x")), marshal.dumps((1, URL, "now", (None,) * 5, "x")),
    marshal.dumps((1, URL, 0.0, None, "x")),
    # A header without its payload.
    marshal.dumps((5, URL, 0.0, (None, False, False, False, None, None), None)),
])
def test_corrupt_or_foreign_entry_counts_as_missing(tmp_path, content):
    path = tmp_path / "a.marshal"
    path.write_bytes(content)
    assert read_entry(str(path), URL) is None
    assert get(Server(ok(b"page")), str(path)).payload == "page"
    assert read_entry(str(path), URL) is not None


def test_entry_for_another_url_counts_as_missing(tmp_path):
    path = str(tmp_path / "a.marshal")
    store_entry(path, "https://other.example/simple/a/", "other")
    assert read_entry(path, URL) is None


def test_offline_uses_stale_entries_and_never_asks(tmp_path):
    path = str(tmp_path / "a.marshal")
    store_entry(path, URL, "stale", CachePolicy(max_age=0))
    server = Server()
    assert get(server, path, offline=True).payload == "stale"
    with pytest.raises(OfflineError) as caught:
        get(server, str(tmp_path / "missing.marshal"), offline=True, what="the page of `a`")
    assert str(caught.value) == ("Network connectivity is disabled, but the cache lacks the "
                                 "page of `a`")
    assert server.headers == []


def test_unwritable_cache_is_slower_not_wrong(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    path = str(blocker / "a.marshal")  # its directory is a file
    assert get(Server(ok(b"page", cache_control="max-age=600")), path).payload == "page"


def test_a_stale_entry_is_judged_by_its_header_alone(tmp_path, monkeypatch):
    """The payload (most of a large page) is read only when it is used: not for an entry that
    must be fetched again, and once when the body fetched is the one stored."""
    import puv.net.cache as cache_module

    path = str(tmp_path / "a.marshal")
    server = Server(ok(b"page"), ok(b"page"), ok(b"changed"))
    get(server, path)
    loads: list[str] = []
    real = cache_module._Entry.payload

    def counted(entry):
        loads.append("payload")
        return real(entry)

    monkeypatch.setattr(cache_module._Entry, "payload", counted)
    cache = HttpCache(HttpClient(HttpOptions(), CredentialStore(use_netrc=False),
                                 transport=server))
    assert cache.fresh(path, URL) is None and loads == []
    assert get(server, path).payload == "page" and loads == ["payload"]  # same body
    assert get(server, path).payload == "changed" and loads == ["payload"]  # parsed anew
