"""`ProxyEnvironment`: which proxy a URL goes through, from the proxy variables."""

from __future__ import annotations

import pytest

from puv.net.proxies import Proxy, ProxyEnvironment

PROXY = "http://proxy.example:3128"


def proxy_for(url: str, **environ: str) -> str | None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    found = ProxyEnvironment(environ).for_url(parts.scheme, parts.hostname or "", parts.port)
    return found.url if found is not None else None


def test_each_scheme_has_its_variable():
    environ = {"HTTP_PROXY": "http://plain:1", "HTTPS_PROXY": "http://secure:2"}
    assert proxy_for("http://pypi.org/simple/", **environ) == "http://plain:1"
    assert proxy_for("https://pypi.org/simple/", **environ) == "http://secure:2"


def test_all_proxy_serves_a_scheme_without_its_own():
    environ = {"ALL_PROXY": "http://everything:1", "HTTPS_PROXY": "http://secure:2"}
    assert proxy_for("http://pypi.org/", **environ) == "http://everything:1"
    assert proxy_for("https://pypi.org/", **environ) == "http://secure:2"


def test_lower_case_variables_win_and_empty_ones_are_unset():
    assert proxy_for("https://pypi.org/", HTTPS_PROXY="http://upper:1",
                     https_proxy="http://lower:2") == "http://lower:2"
    assert proxy_for("https://pypi.org/", HTTPS_PROXY="http://upper:1",
                     https_proxy="") is None
    assert proxy_for("https://pypi.org/", HTTPS_PROXY="") is None
    assert proxy_for("https://pypi.org/") is None


def test_a_proxy_without_scheme_is_http():
    assert proxy_for("https://pypi.org/", HTTPS_PROXY="proxy.example:3128") == PROXY


def test_http_proxy_is_ignored_in_a_cgi_script():
    assert proxy_for("http://pypi.org/", HTTP_PROXY=PROXY, REQUEST_METHOD="GET") is None


def test_the_variable_is_named_for_error_messages():
    found = ProxyEnvironment({"all_proxy": "socks5://p:1080"}).for_url("https", "pypi.org", None)
    assert found == Proxy("socks5://p:1080", "all_proxy")


@pytest.mark.parametrize(("no_proxy", "url", "direct"), [
    ("*", "https://pypi.org/", True),
    ("pypi.org", "https://pypi.org/", True),
    ("pypi.org", "https://files.pypi.org/", True),
    ("pypi.org", "https://notpypi.org/", False),
    (".pypi.org", "https://files.pypi.org/", True),
    (".pypi.org", "https://pypi.org/", True),
    ("*.pypi.org", "https://files.pypi.org/", True),
    ("PyPI.org.", "https://pypi.org/", True),
    ("other.org, pypi.org ", "https://pypi.org/", True),
    ("localhost", "http://localhost:8080/", True),
    ("127.0.0.1", "http://127.0.0.1:8080/", True),
    ("127.0.0.1", "http://127.0.0.2:8080/", False),
    ("10.0.0.0/8", "http://10.1.2.3/", True),
    ("10.0.0.0/8", "http://11.1.2.3/", False),
    ("::1", "http://[::1]:8080/", True),
    ("[::1]:8080", "http://[::1]:8080/", True),
    ("[::1]:8080", "http://[::1]:9090/", False),
    ("pypi.org:443", "https://pypi.org/", True),
    ("pypi.org:8443", "https://pypi.org/", False),
    ("pypi.org:8443", "https://pypi.org:8443/", True),
    ("http://pypi.org", "http://pypi.org/", True),
    ("http://pypi.org", "https://pypi.org/", False),
    ("1password.com", "https://my.1password.com/", True),
    ("", "https://pypi.org/", False),
])
def test_no_proxy(no_proxy, url, direct):
    found = proxy_for(url, ALL_PROXY=PROXY, NO_PROXY=no_proxy)
    assert (found is None) == direct
