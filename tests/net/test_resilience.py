"""The HTTP client and downloads against a real local index with injected faults: retries,
timeouts, bodies cut short, corrupt files. Every failure must be clean and leave nothing."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from puv.core.hashes import Hash
from puv.errors import HashMismatch, NetworkError
from puv.net.auth import CredentialStore
from puv.net.client import HttpClient, HttpOptions
from puv.net.download import download

WHEEL = "a-1.0.0-py3-none-any.whl"


async def no_wait(_seconds: float) -> None:
    """Backoff without waiting: these tests are about outcomes, not delays."""


def run(options: HttpOptions, work):
    """Run `work(http)` with a fresh client on the real transport, closed afterwards."""

    async def main():
        http = HttpClient(options, CredentialStore(use_netrc=False), sleep=no_wait)
        try:
            return await work(http), http.requests_sent
        finally:
            await http.aclose()

    return asyncio.run(main())


@pytest.fixture
def index(package_index):
    return package_index({"a": ["1.0.0"]})


def leftovers(directory) -> list[str]:
    return sorted(os.listdir(directory)) if os.path.isdir(directory) else []


def test_server_error_then_success_is_retried(index):
    index.fail("/simple/a/", status=500, times=1)
    response, sent = run(HttpOptions(retries=3), lambda http: http.get(index.url + "a/"))
    assert response.status == 200
    assert sent == 2
    assert [r.path for r in index.requests] == ["/simple/a/", "/simple/a/"]


def test_persistent_server_error_fails_naming_url_and_retries(index):
    index.fail("/simple/a/", status=500, times=None)
    with pytest.raises(NetworkError) as caught:
        run(HttpOptions(retries=3), lambda http: http.get(index.url + "a/"))
    assert str(caught.value) == (f"Failed to fetch `{index.url}a/`: HTTP status 500 Internal "
                                 "Server Error (after 3 retries)")
    assert len(index.requests) == 4


@pytest.mark.parametrize("retries", [0, 1])
def test_number_of_retries_is_configurable(index, retries):
    index.fail("/simple/a/", status=503, times=None)
    with pytest.raises(NetworkError, match="503 Service Unavailable"):
        run(HttpOptions(retries=retries), lambda http: http.get(index.url + "a/"))
    assert len(index.requests) == retries + 1


def test_dropped_connection_without_answer_is_retried(index):
    index.hang("/simple/a/", seconds=0, times=1)
    response, _sent = run(HttpOptions(retries=2), lambda http: http.get(index.url + "a/"))
    assert response.status == 200
    assert len(index.requests) == 2


def test_hanging_server_times_out_within_the_configured_timeout(index):
    index.hang("/simple/a/", seconds=60, times=None)
    started = time.monotonic()
    with pytest.raises(NetworkError) as caught:
        run(HttpOptions(timeout=1, retries=3), lambda http: http.get(index.url + "a/"))
    elapsed = time.monotonic() - started
    assert str(caught.value) == f"Request timed out after 1 s fetching `{index.url}a/`"
    assert elapsed < 10
    assert len(index.requests) == 1  # a timeout is not retried


def test_hanging_download_times_out(index, tmp_path):
    index.hang(f"/files/{WHEEL}", seconds=60, times=None)
    target = tmp_path / "cache" / WHEEL
    started = time.monotonic()
    with pytest.raises(NetworkError, match="timed out after 1 s"):
        run(HttpOptions(timeout=1), lambda http: download(http, index.file_url(WHEEL),
                                                          str(target)))
    assert time.monotonic() - started < 10
    assert leftovers(target.parent) == []


def test_truncated_download_is_retried_and_then_succeeds(index, tmp_path):
    built = index.file(WHEEL)
    index.truncate(f"/files/{WHEEL}", times=1)
    target = tmp_path / "cache" / WHEEL
    digest, _sent = run(HttpOptions(retries=2), lambda http: download(
        http, index.file_url(WHEEL), str(target), hashes=[Hash("sha256", built.sha256)]))
    assert digest == Hash("sha256", built.sha256)
    assert target.read_bytes() == built.path.read_bytes()
    assert leftovers(target.parent) == [WHEEL]  # no temporary file left beside it
    assert len(index.requests) == 2


def test_download_truncated_every_time_fails_and_leaves_nothing(index, tmp_path):
    index.truncate(f"/files/{WHEEL}", times=None)
    target = tmp_path / "cache" / WHEEL
    with pytest.raises(NetworkError) as caught:
        run(HttpOptions(retries=2), lambda http: download(http, index.file_url(WHEEL),
                                                          str(target)))
    message = str(caught.value)
    assert message.startswith(f"Failed to fetch `{index.file_url(WHEEL)}`: ")
    assert message.endswith("(after 2 retries)")
    assert len(index.requests) == 3
    assert leftovers(target.parent) == []


def test_corrupt_download_is_rejected_naming_both_hashes_and_leaves_nothing(index, tmp_path):
    built = index.file(WHEEL)
    index.corrupt(f"/files/{WHEEL}")
    target = tmp_path / "cache" / WHEEL
    with pytest.raises(HashMismatch) as caught:
        run(HttpOptions(), lambda http: download(
            http, index.file_url(WHEEL), str(target), hashes=[Hash("sha256", built.sha256)],
            what=WHEEL))
    message = str(caught.value)
    assert message.startswith(f"Hash mismatch for `{WHEEL}`:\n  Expected: sha256:{built.sha256}\n"
                              "  Computed: sha256:")
    computed = message.rsplit("sha256:", 1)[1]
    assert len(computed) == 64 and computed != built.sha256
    assert leftovers(target.parent) == []
    assert len(index.requests) == 1  # a wrong digest is not a transient failure


def test_download_of_a_missing_file_fails_with_the_status(index, tmp_path):
    target = tmp_path / "cache" / "nope-1.0.tar.gz"
    with pytest.raises(NetworkError) as caught:
        run(HttpOptions(), lambda http: download(http, index.file_url("nope-1.0.tar.gz"),
                                                 str(target), what="nope-1.0.tar.gz"))
    assert str(caught.value) == (f"Failed to download `nope-1.0.tar.gz`: HTTP status 404 from "
                                 f"`{index.file_url('nope-1.0.tar.gz')}`")
    assert leftovers(target.parent) == []


def test_download_server_error_is_retried(index, tmp_path):
    index.fail(f"/files/{WHEEL}", status=502, times=1)
    target = tmp_path / "cache" / WHEEL
    run(HttpOptions(retries=2), lambda http: download(http, index.file_url(WHEEL), str(target)))
    assert target.read_bytes() == index.file(WHEEL).path.read_bytes()


def test_download_failing_with_server_errors_every_time_names_the_status(index, tmp_path):
    index.fail(f"/files/{WHEEL}", status=503, times=None)
    target = tmp_path / "cache" / WHEEL
    with pytest.raises(NetworkError) as caught:
        run(HttpOptions(retries=1), lambda http: download(http, index.file_url(WHEEL),
                                                          str(target)))
    assert str(caught.value) == (f"Failed to fetch `{index.file_url(WHEEL)}`: HTTP status 503 "
                                 "Service Unavailable (after 1 retry)")
    assert len(index.requests) == 2
    assert leftovers(target.parent) == []


def test_too_many_requests_honours_retry_after_then_succeeds(index, tmp_path):
    index.fail("/simple/a/", status=429, times=1, headers={"Retry-After": "0"})
    index.fail(f"/files/{WHEEL}", status=429, times=1, headers={"Retry-After": "0"})
    response, _sent = run(HttpOptions(retries=1), lambda http: http.get(index.url + "a/"))
    assert response.status == 200
    target = tmp_path / "cache" / WHEEL
    run(HttpOptions(retries=1), lambda http: download(http, index.file_url(WHEEL), str(target)))
    assert target.read_bytes() == index.file(WHEEL).path.read_bytes()


def test_refused_connection_is_retried_and_says_why():
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/simple/a/"
    started = time.monotonic()
    with pytest.raises(NetworkError) as caught:
        run(HttpOptions(retries=2), lambda http: http.get(url))
    message = str(caught.value)
    assert message.startswith(f"Failed to fetch `{url}`: ")
    assert message.endswith("(Connection refused) (after 2 retries)")
    assert time.monotonic() - started < 10
