"""`HttpClient` over a fake `Transport`: retries, backoff, timeouts, offline, credentials."""

from __future__ import annotations

import asyncio
import base64
import contextlib

import pytest

from puv.errors import NetworkError, OfflineError
from puv.net.auth import Credentials, CredentialStore
from puv.net.client import (
    HttpClient,
    HttpOptions,
    Response,
    TransportConnectError,
    TransportIncomplete,
    TransportTimeout,
)

URL = "https://index.example/simple/a/"


class FakeTransport:
    """Answers requests from a script: each item a `Response` (or a status) or an exception."""

    def __init__(self, *script: object) -> None:
        self.script = list(script)
        self.calls: list[tuple[str, str, dict[str, str]]] = []
        self.closed = False

    async def request(self, method, url, headers, *, verify):
        self.calls.append((method, url, dict(headers)))
        outcome = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(outcome, BaseException):
            raise outcome
        if isinstance(outcome, int):
            return Response(outcome, {}, b"", url)
        return outcome

    def stream(self, url, headers, *, verify):
        raise AssertionError("not used")

    async def aclose(self):
        self.closed = True


class Sleeps:
    """A `sleep` that records its delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def client(transport, *, credentials=None, **options) -> tuple[HttpClient, Sleeps]:
    sleeps = Sleeps()
    http = HttpClient(HttpOptions(**options), credentials or CredentialStore(use_netrc=False),
                      transport=transport, sleep=sleeps)
    return http, sleeps


def get(http: HttpClient, url: str = URL) -> Response:
    return asyncio.run(http.get(url))


def test_server_errors_are_retried_until_success():
    transport = FakeTransport(500, 503, Response(200, {}, b"ok", URL))
    http, sleeps = client(transport, retries=3)
    assert get(http).content == b"ok"
    assert len(transport.calls) == 3
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize("retries", [0, 1, 4])
def test_retry_count_honours_the_retries_option(retries):
    transport = FakeTransport(500)
    http, sleeps = client(transport, retries=retries)
    with pytest.raises(NetworkError) as caught:
        get(http)
    assert len(transport.calls) == retries + 1
    assert len(sleeps.delays) == retries
    expected = f"Failed to fetch `{URL}`: HTTP status 500 Internal Server Error"
    if retries:
        expected += f" (after {retries} {'retry' if retries == 1 else 'retries'})"
    assert str(caught.value) == expected


def test_client_errors_are_returned_not_retried():
    transport = FakeTransport(404)
    http, sleeps = client(transport)
    assert get(http).status == 404
    assert len(transport.calls) == 1 and sleeps.delays == []


def test_connection_errors_and_cut_bodies_are_retried():
    transport = FakeTransport(TransportConnectError("connection refused"),
                              TransportIncomplete("peer closed"), 200)
    http, _sleeps = client(transport, retries=3)
    assert get(http).status == 200
    assert len(transport.calls) == 3


def test_persistent_connection_error_names_the_reason_and_redacts_it():
    transport = FakeTransport(
        TransportConnectError("cannot reach https://user:secret@index.example/simple/a/"))
    http, _sleeps = client(transport, retries=2)
    with pytest.raises(NetworkError) as caught:
        get(http, "https://user:secret@index.example/simple/a/")
    message = str(caught.value)
    assert "secret" not in message
    assert message == ("Failed to fetch `https://index.example/simple/a/`: cannot reach "
                       "https://user:****@index.example/simple/a/ (after 2 retries)")


def test_retry_after_is_honoured_and_capped():
    transport = FakeTransport(Response(503, {"retry-after": "4"}, b"", URL),
                              Response(503, {"retry-after": "3600"}, b"", URL), 200)
    http, sleeps = client(transport, retries=3)
    assert get(http).status == 200
    assert sleeps.delays == [4.0, 10.0]


def test_backoff_grows_without_retry_after():
    transport = FakeTransport(500)
    http, sleeps = client(transport, retries=4)
    with pytest.raises(NetworkError):
        get(http)
    assert all(0 < s <= 2.0 for s in sleeps.delays)
    # Exponential with jitter in [50%, 100%]: the fourth wait is longer than the first.
    assert sleeps.delays[3] > sleeps.delays[0]


def test_timeout_is_not_retried_and_says_how_long_with_a_redacted_url():
    transport = FakeTransport(TransportTimeout())
    credentials = CredentialStore(use_netrc=False)
    http, sleeps = client(transport, credentials=credentials, timeout=7, retries=3)
    with pytest.raises(NetworkError) as caught:
        get(http, "https://user:secret@index.example/simple/a/")
    assert str(caught.value) == (
        "Request timed out after 7 s fetching `https://index.example/simple/a/`")
    assert "UV_HTTP_TIMEOUT" in (caught.value.hint or "")
    assert len(transport.calls) == 1 and sleeps.delays == []


def test_fractional_timeout_is_shown_as_given():
    http, _sleeps = client(FakeTransport(TransportTimeout()), timeout=0.5)
    with pytest.raises(NetworkError, match=r"timed out after 0\.5 s fetching"):
        get(http)


def test_offline_raises_without_calling_the_transport():
    transport = FakeTransport(200)
    http, _sleeps = client(transport, offline=True)
    with pytest.raises(OfflineError) as caught:
        get(http, "https://user:secret@index.example/simple/a/")
    assert transport.calls == []
    assert str(caught.value) == ("Network connectivity is disabled, but "
                                 "`https://user:****@index.example/simple/a/` was needed")

    async def stream() -> None:
        async with http.stream(URL):
            pass

    with pytest.raises(OfflineError):
        asyncio.run(stream())


def test_credentials_are_sent_only_to_their_realm():
    credentials = CredentialStore(use_netrc=False)
    credentials.add("https://index.example/simple/", Credentials("user", "secret"))
    transport = FakeTransport(200)
    http, _sleeps = client(transport, credentials=credentials)
    get(http, "https://index.example/files/a.whl")
    get(http, "https://cdn.example/files/a.whl")
    first, second = (headers for _m, _u, headers in transport.calls)
    assert first["Authorization"] == "Basic " + base64.b64encode(b"user:secret").decode()
    assert "Authorization" not in second


def test_embedded_credentials_are_moved_into_a_header():
    transport = FakeTransport(200)
    http, _sleeps = client(transport)
    get(http, "https://user:secret@index.example/simple/a/")
    _method, url, headers = transport.calls[0]
    assert url == "https://index.example/simple/a/"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"user:secret").decode()


def test_aclose_closes_the_transport():
    transport = FakeTransport(200)
    http, _sleeps = client(transport)
    with contextlib.closing(asyncio.new_event_loop()) as loop:
        loop.run_until_complete(http.aclose())
    assert transport.closed


@pytest.mark.parametrize("status", [408, 429, 502, 503])
def test_transient_statuses_are_retried(status):
    transport = FakeTransport(Response(status, {"retry-after": "1"}, b"", URL), 200)
    http, sleeps = client(transport, retries=1)
    assert get(http).status == 200
    assert sleeps.delays == [1.0]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_other_client_errors_are_not_retried(status):
    transport = FakeTransport(status)
    http, _sleeps = client(transport, retries=3)
    assert get(http).status == status
    assert len(transport.calls) == 1


def test_options_from_settings_and_environment(tmp_path):
    from puv.settings import CliSettings, load_settings

    environ = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c"),
               "XDG_CONFIG_DIRS": str(tmp_path / "d"), "UV_HTTP_TIMEOUT": "7",
               "UV_HTTP_RETRIES": "5", "UV_CONCURRENT_DOWNLOADS": "4"}
    settings = load_settings(CliSettings(offline=True, no_config=True,
                                         allow_insecure_host=("internal.example",)),
                             project_dir=str(tmp_path), environ=environ)
    options = HttpOptions.from_settings(settings)
    assert (options.timeout, options.retries, options.offline, options.concurrency) == (
        7, 5, True, 4)
    assert options.insecure_hosts == ("internal.example",)


def test_options_from_default_settings(tmp_path):
    from puv.settings import CliSettings, load_settings

    environ = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c"),
               "XDG_CONFIG_DIRS": str(tmp_path / "d")}
    settings = load_settings(CliSettings(no_config=True), project_dir=str(tmp_path),
                             environ=environ)
    options = HttpOptions.from_settings(settings)
    assert (options.timeout, options.retries, options.offline, options.concurrency) == (
        30, 3, False, 50)
