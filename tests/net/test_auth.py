"""Credentials: splitting them off URLs, redacting them, and scoping them to their realm."""

from __future__ import annotations

import base64

import pytest

from puv.net.auth import (
    Credentials,
    CredentialStore,
    realm_of,
    redact_text,
    redact_url,
    split_credentials,
)


def test_split_credentials_unquotes_user_and_password():
    clean, credentials = split_credentials("https://us%40er:p%40ss@host.example/simple/")
    assert clean == "https://host.example/simple/"
    assert credentials is not None
    assert (credentials.username, credentials.password) == ("us@er", "p@ss")


def test_split_credentials_token_only_user_has_no_password():
    clean, credentials = split_credentials("https://token@host.example:8443/simple/")
    assert clean == "https://host.example:8443/simple/"
    assert credentials is not None
    assert (credentials.username, credentials.password) == ("token", None)


def test_split_credentials_without_user_info_returns_url_unchanged():
    assert split_credentials("https://host.example/simple/") == (
        "https://host.example/simple/", None)


@pytest.mark.parametrize(("url", "shown"), [
    ("https://user:secret@host/simple/", "https://user:****@host/simple/"),
    ("https://token@host/simple/", "https://****@host/simple/"),
    ("https://user:@host/", "https://user:****@host/"),
    ("https://user:secret@host:8080", "https://user:****@host:8080"),
    ("https://user:se@cret@host/a", "https://user:****@host/a"),
    ("https://user:secret@host?next=a@b", "https://user:****@host?next=a@b"),
    ("https://user:secret@host#x@y", "https://user:****@host#x@y"),
    ("https://host/simple/", "https://host/simple/"),
    ("https://host/path@x/", "https://host/path@x/"),
    ("not a url", "not a url"),
])
def test_redact_url_forms(url, shown):
    assert redact_url(url) == shown
    assert "secret" not in redact_url(url)


def test_redact_text_redacts_every_url_in_a_message():
    text = ("error sending request for url (https://u:secret@host/x): connection refused; "
            "also 'http://tok3n@h:1/simple/' and https://plain/ok")
    redacted = redact_text(text)
    assert "secret" not in redacted and "tok3n" not in redacted
    assert "https://u:****@host/x" in redacted
    assert "'http://****@h:1/simple/'" in redacted
    assert "https://plain/ok" in redacted


def test_credentials_repr_hides_the_password():
    credentials = Credentials("user", "secret")
    assert "secret" not in repr(credentials)
    assert credentials.header() == "Basic " + base64.b64encode(b"user:secret").decode()
    assert Credentials("token", None).header() == "Basic " + base64.b64encode(b"token:").decode()


def test_realm_is_scheme_host_and_port_with_default_ports():
    assert realm_of("HTTPS://Host.Example/simple/") == ("https", "host.example", 443)
    assert realm_of("http://host:8080/") == ("http", "host", 8080)
    assert realm_of("https://host:443/x") == realm_of("https://host/y")


def store(**kwargs) -> CredentialStore:
    kwargs.setdefault("use_netrc", False)
    return CredentialStore(**kwargs)


def test_credentials_apply_to_every_url_on_their_realm():
    credentials = store()
    clean = credentials.add_url("https://user:secret@index.example/simple/")
    assert clean == "https://index.example/simple/"
    found = credentials.for_url("https://index.example/files/a-1.0.tar.gz")
    assert found is not None and found.password == "secret"


@pytest.mark.parametrize("other", [
    "https://other.example/simple/",  # another host
    "https://index.example:8443/simple/",  # another port
    "http://index.example/simple/",  # another scheme
    "https://index.example.evil.com/simple/",  # a host that merely starts the same
])
def test_credentials_for_one_host_are_never_returned_for_another(other):
    credentials = store()
    credentials.add_url("https://user:secret@index.example/simple/")
    assert credentials.for_url(other) is None


def test_longest_matching_prefix_wins_on_a_shared_host():
    credentials = store()
    credentials.add("https://h.example/team-a/", Credentials("a", "pa"))
    credentials.add("https://h.example/", Credentials("root", "pr"))
    credentials.add("https://h.example/team-b/", Credentials("b", "pb"))
    assert credentials.for_url("https://h.example/team-a/simple/x/").username == "a"
    assert credentials.for_url("https://h.example/team-b/simple/x/").username == "b"
    assert credentials.for_url("https://h.example/other/").username == "root"


def test_credentials_in_the_request_url_win():
    credentials = store()
    credentials.add("https://h.example/", Credentials("stored", "x"))
    assert credentials.for_url("https://inline:y@h.example/a").username == "inline"


def test_netrc_file_supplies_credentials_by_host(tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine index.example login nuser password npass\n")
    credentials = CredentialStore(netrc_path=str(netrc))
    found = credentials.for_url("https://index.example/simple/a/")
    assert found is not None and (found.username, found.password) == ("nuser", "npass")
    assert credentials.for_url("https://other.example/simple/a/") is None


def test_explicit_credentials_take_precedence_over_netrc(tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine index.example login nuser password npass\n")
    credentials = CredentialStore(netrc_path=str(netrc))
    credentials.add("https://index.example/simple/", Credentials("url", "upass"))
    assert credentials.for_url("https://index.example/simple/a/").username == "url"


def test_netrc_is_ignored_when_disabled_missing_or_unparsable(tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine index.example login nuser password npass\n")
    assert CredentialStore(netrc_path=str(netrc), use_netrc=False).for_url(
        "https://index.example/") is None
    assert CredentialStore(netrc_path=str(tmp_path / "missing")).for_url(
        "https://index.example/") is None
    broken = tmp_path / "broken"
    broken.write_text("machine index.example login nuser password npass\nbogus token\n")
    assert CredentialStore(netrc_path=str(broken)).for_url("https://index.example/") is None


def test_netrc_environment_variable_names_the_file(tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine index.example login envuser password envpass\n")
    monkeypatch.setenv("NETRC", str(netrc))
    found = CredentialStore().for_url("https://index.example/simple/")
    assert found is not None and found.username == "envuser"
