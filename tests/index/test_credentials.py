"""Credentials against an index that requires Basic auth: every way of giving them works, and
the password never shows up in an error, in the cache, or in a request to another host."""

from __future__ import annotations

import base64
import os

import pytest

from puv.core.metadata import CoreMetadata
from puv.errors import NetworkError, PackageIndexError, PuvError
from puv.index.locations import IndexLocations
from puv.net.auth import CredentialStore
from tests.index.conftest import settings

AUTH = ("user", "secret")
DESCRIPTION = {"a": {"1.0.0": {"requires": ["b"]}}, "b": ["1.0.0"]}
SECRETS = (b"secret", base64.b64encode(b"user:secret"))


def url_with_credentials(index) -> str:
    return index.auth_url


def locations_for(store: CredentialStore, environ=None, **values) -> IndexLocations:
    return IndexLocations.from_settings(settings(**values), store, environ=environ or {})


def fetch_everything(reg, name: str = "a"):
    """A project, the metadata of its newest file, and that file: every kind of request."""
    project = reg.fetch_projects([name])[name]
    candidate = project.files(project.versions[0])[0]
    [metadata] = reg.fetch_metadata([candidate])
    path = reg.loop.run(reg.download(candidate))
    return project, metadata, path


def assert_no_secret(error: PuvError) -> None:
    text = f"{error}\n{error.hint or ''}"
    for secret in SECRETS:
        assert secret.decode() not in text


def test_without_credentials_the_index_refuses_with_a_hint(package_index, registry):
    index = package_index(DESCRIPTION, auth=AUTH)
    with pytest.raises(PackageIndexError) as caught:
        registry(index.url).fetch_projects(["a"])
    assert str(caught.value) == f"The index `{index.url}` refused access to `a` (HTTP 401)"
    assert "UV_INDEX_<NAME>_USERNAME" in (caught.value.hint or "")


def test_credentials_in_the_index_url(package_index, registry):
    index = package_index(DESCRIPTION, auth=AUTH)
    store = CredentialStore(use_netrc=False)
    locations = locations_for(store, default_index=url_with_credentials(index))
    assert locations.indexes[0].url == index.url  # stored without them
    _project, metadata, _path = fetch_everything(registry(locations=locations,
                                                          credentials=store))
    assert isinstance(metadata, CoreMetadata)
    assert all(r.headers.get("authorization") for r in index.requests)


def test_credentials_from_netrc(package_index, registry, tmp_path):
    index = package_index(DESCRIPTION, auth=AUTH)
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine {index.host} login {AUTH[0]} password {AUTH[1]}\n")
    store = CredentialStore(netrc_path=str(netrc))
    locations = locations_for(store, default_index=index.url)
    _project, metadata, _path = fetch_everything(registry(locations=locations,
                                                          credentials=store))
    assert str(metadata.version) == "1.0.0"


def test_credentials_from_named_index_environment_variables(package_index, registry):
    index = package_index(DESCRIPTION, auth=AUTH)
    store = CredentialStore(use_netrc=False)
    environ = {"UV_INDEX_PRIVATE_REPO_USERNAME": AUTH[0],
               "UV_INDEX_PRIVATE_REPO_PASSWORD": AUTH[1]}
    locations = locations_for(store, environ, indexes=(
        {"name": "private-repo", "url": index.url, "default": True},),
        default_index=index.url)
    _project, metadata, _path = fetch_everything(registry(locations=locations,
                                                          credentials=store))
    assert str(metadata.version) == "1.0.0"


def test_wrong_password_is_refused_without_showing_it(package_index, registry):
    index = package_index(DESCRIPTION, auth=AUTH)
    store = CredentialStore(use_netrc=False)
    wrong = index.auth_url.replace(":secret@", ":secret-but-wrong@")
    locations = locations_for(store, default_index=wrong)
    with pytest.raises(PackageIndexError) as caught:
        registry(locations=locations, credentials=store).fetch_projects(["a"])
    assert "(HTTP 401)" in str(caught.value)
    assert_no_secret(caught.value)


@pytest.mark.parametrize("fault", ["page-500", "page-hang", "file-truncated", "file-500"])
def test_password_never_appears_in_error_messages(package_index, registry, fault):
    index = package_index(DESCRIPTION, auth=AUTH)
    store = CredentialStore(use_netrc=False)
    locations = locations_for(store, default_index=url_with_credentials(index))
    reg = registry(locations=locations, credentials=store, timeout=1)
    if fault == "page-500":
        index.fail("/simple/a/", status=500, times=None)
    elif fault == "page-hang":
        index.hang("/simple/a/", seconds=30, times=None)
    elif fault == "file-truncated":
        index.truncate("/files/*", times=None)
    else:
        index.fail("/files/*", status=500, times=None)
    with pytest.raises(NetworkError) as caught:
        fetch_everything(reg)
    assert index.url in str(caught.value) or index.files_url in str(caught.value)
    assert_no_secret(caught.value)


@pytest.mark.parametrize("metadata", [True, False], ids=["pep658", "ranges"])
def test_password_never_written_to_the_cache(package_index, registry, cache_dir, metadata):
    index = package_index(DESCRIPTION, auth=AUTH, metadata=metadata)
    store = CredentialStore(use_netrc=False)
    locations = locations_for(store, default_index=url_with_credentials(index))
    reg = registry(locations=locations, credentials=store)
    fetch_everything(reg, "a")
    fetch_everything(reg, "b")
    checked = 0
    for directory, _dirs, names in os.walk(cache_dir):
        for name in names:
            with open(os.path.join(directory, name), "rb") as handle:
                data = handle.read()
            checked += 1
            for secret in SECRETS:
                assert secret not in data, os.path.join(directory, name)
            assert b"user:" not in data
    assert checked >= 4  # pages, metadata and files were all written


def test_credentials_are_not_sent_to_another_host(package_index, registry):
    private = package_index(DESCRIPTION, auth=AUTH)
    public = package_index({"a": ["2.0.0"], "b": ["2.0.0"]})  # same address, other port
    store = CredentialStore(use_netrc=False)
    locations = locations_for(store, indexes=({"url": url_with_credentials(private)},),
                              default_index=public.url, index_strategy="unsafe-best-match")
    reg = registry(locations=locations, credentials=store)
    project, _metadata, _path = fetch_everything(reg)
    assert [str(v) for v in project.versions] == ["2.0.0", "1.0.0"]
    assert public.requests
    assert not [r for r in public.requests if "authorization" in r.headers]
    assert private.requests and all("authorization" in r.headers for r in private.requests)


def test_ignore_error_codes_moves_on_to_the_next_index(package_index, registry):
    locked = package_index(DESCRIPTION, auth=AUTH)
    public = package_index(DESCRIPTION)
    store = CredentialStore(use_netrc=False)
    refused = locations_for(store, indexes=({"name": "locked", "url": locked.url},),
                            default_index=public.url)
    with pytest.raises(PackageIndexError, match=r"HTTP 401"):
        registry(locations=refused, credentials=store).fetch_projects(["a"])
    ignoring = locations_for(store, indexes=(
        {"name": "locked", "url": locked.url, "ignore-error-codes": [401]},),
        default_index=public.url)
    project = registry(locations=ignoring, credentials=store).fetch_projects(["a"])["a"]
    assert [str(v) for v in project.versions] == ["1.0.0"]
    assert any(r.path.startswith("/simple/a") for r in public.requests)


def test_authenticate_never_sends_no_credentials_even_from_netrc(package_index, registry,
                                                                 tmp_path):
    index = package_index(DESCRIPTION, auth=AUTH)
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine {index.host} login {AUTH[0]} password {AUTH[1]}\n")
    store = CredentialStore(netrc_path=str(netrc))
    locations = locations_for(store, indexes=(
        {"name": "private", "url": index.url, "authenticate": "never", "default": True},),
        default_index=index.url)
    with pytest.raises(PackageIndexError, match=r"HTTP 401"):
        registry(locations=locations, credentials=store).fetch_projects(["a"])
    assert not any(r.headers.get("authorization") for r in index.requests)


def test_authenticate_always_without_credentials_fails_before_asking(package_index, registry):
    index = package_index(DESCRIPTION)
    store = CredentialStore(use_netrc=False)
    locations = locations_for(store, indexes=(
        {"name": "private", "url": index.url, "authenticate": "always", "default": True},),
        default_index=index.url)
    with pytest.raises(PackageIndexError) as caught:
        registry(locations=locations, credentials=store).fetch_projects(["a"])
    assert "`private` requires credentials" in str(caught.value)
    assert "UV_INDEX_PRIVATE_USERNAME" in (caught.value.hint or "")
    assert not index.requests
    environ = {"UV_INDEX_PRIVATE_USERNAME": "user", "UV_INDEX_PRIVATE_PASSWORD": "pw"}
    store = CredentialStore(use_netrc=False)
    locations = locations_for(store, environ, indexes=(
        {"name": "private", "url": index.url, "authenticate": "always", "default": True},),
        default_index=index.url)
    assert registry(locations=locations, credentials=store).fetch_projects(["a"])["a"]
    assert all(r.headers.get("authorization") for r in index.requests)
