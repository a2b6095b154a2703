"""`download` over a fake transport: bodies that stall or end early, statuses, clean-up."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os

import pytest

from puv.core.hashes import Hash
from puv.errors import HashMismatch, NetworkError
from puv.net.auth import CredentialStore
from puv.net.client import HttpClient, HttpOptions, TransportIncomplete, TransportTimeout
from puv.net.download import download

URL = "https://files.example/a-1.0.tar.gz"
BODY = b"0123456789" * 100
DIGEST = Hash("sha256", hashlib.sha256(BODY).hexdigest())


class Body:
    def __init__(self, status: int, chunks: list[bytes | BaseException],
                 length: int | None) -> None:
        self.status = status
        self.headers = {} if length is None else {"content-length": str(length)}
        self.url = URL
        self._chunks = chunks

    async def iter_bytes(self):
        for chunk in self._chunks:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk


class StreamTransport:
    """Each stream answers the next `Body` of the script."""

    def __init__(self, *bodies: Body) -> None:
        self.bodies = list(bodies)
        self.streams = 0

    async def request(self, method, url, headers, *, verify):
        raise AssertionError("not used")

    @contextlib.asynccontextmanager
    async def stream(self, url, headers, *, verify):
        self.streams += 1
        yield self.bodies.pop(0)

    async def aclose(self):
        pass


async def no_wait(_seconds: float) -> None:
    pass


def fetch(transport, target, *, hashes=(DIGEST,), retries=2, timeout=5.0):
    http = HttpClient(HttpOptions(retries=retries, timeout=timeout),
                      CredentialStore(use_netrc=False), transport=transport, sleep=no_wait)
    return asyncio.run(download(http, URL, str(target), hashes=hashes, what="a-1.0.tar.gz"))


def whole() -> Body:
    return Body(200, [BODY[:300], BODY[300:]], len(BODY))


def test_complete_body_is_verified_and_renamed_into_place(tmp_path):
    target = tmp_path / "cache" / "a-1.0.tar.gz"
    assert fetch(StreamTransport(whole()), target) == DIGEST
    assert target.read_bytes() == BODY
    assert os.listdir(target.parent) == ["a-1.0.tar.gz"]


def test_body_shorter_than_its_length_is_retried(tmp_path):
    transport = StreamTransport(Body(200, [BODY[:10]], len(BODY)), whole())
    target = tmp_path / "a-1.0.tar.gz"
    fetch(transport, target)
    assert transport.streams == 2 and target.read_bytes() == BODY


def test_body_cut_by_the_connection_is_retried(tmp_path):
    transport = StreamTransport(Body(200, [BODY[:10], TransportIncomplete("peer closed")],
                                     len(BODY)), whole())
    fetch(transport, tmp_path / "a-1.0.tar.gz")
    assert transport.streams == 2


def test_short_body_every_time_fails_saying_how_short(tmp_path):
    transport = StreamTransport(*(Body(200, [BODY[:10]], len(BODY)) for _ in range(3)))
    with pytest.raises(NetworkError) as caught:
        fetch(transport, tmp_path / "a-1.0.tar.gz")
    assert str(caught.value) == (f"Failed to fetch `{URL}`: the body ended after 10 of 1000 "
                                 "bytes (after 2 retries)")
    assert os.listdir(tmp_path) == []


def test_body_that_stalls_times_out_and_leaves_nothing(tmp_path):
    transport = StreamTransport(Body(200, [BODY[:10], TransportTimeout()], len(BODY)))
    with pytest.raises(NetworkError) as caught:
        fetch(transport, tmp_path / "a-1.0.tar.gz", timeout=3)
    assert str(caught.value) == f"Request timed out after 3 s fetching `{URL}`"
    assert transport.streams == 1
    assert os.listdir(tmp_path) == []


def test_hash_mismatch_is_not_retried_and_leaves_nothing(tmp_path):
    transport = StreamTransport(Body(200, [BODY[:-1] + b"!"], len(BODY)))
    with pytest.raises(HashMismatch):
        fetch(transport, tmp_path / "a-1.0.tar.gz")
    assert transport.streams == 1
    assert os.listdir(tmp_path) == []


def test_without_content_length_the_body_is_taken_as_it_comes(tmp_path):
    target = tmp_path / "a-1.0.tar.gz"
    fetch(StreamTransport(Body(200, [BODY], None)), target)
    assert target.read_bytes() == BODY


def test_existing_file_is_replaced_only_by_a_complete_download(tmp_path):
    target = tmp_path / "a-1.0.tar.gz"
    target.write_bytes(b"previous")
    with pytest.raises(NetworkError):
        fetch(StreamTransport(Body(404, [], 0)), target)
    assert target.read_bytes() == b"previous"
