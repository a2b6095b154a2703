"""The HTTP cache seen through the registry: fresh pages need no request, stale ones are
revalidated (304 reuses the stored page), `--refresh` revalidates once per run, `--offline`
works from a warm cache and fails clearly on a cold one."""

from __future__ import annotations

import pytest

from puv.errors import OfflineError

DESCRIPTION = {"a": {"1.0.0": {"requires": ["b"]}}, "b": ["1.0.0"]}


def page_requests(index, name: str = "a"):
    return [r for r in index.requests if r.path == f"/simple/{name}/"]


def versions(reg, name: str = "a") -> list[str]:
    return [str(v) for v in reg.fetch_projects([name])[name].versions]


def test_page_within_max_age_is_not_fetched_again(package_index, registry):
    index = package_index(DESCRIPTION, max_age=600)
    assert versions(registry(index.url)) == ["1.0.0"]
    assert len(page_requests(index)) == 1
    assert versions(registry(index.url)) == ["1.0.0"]  # another run, same cache
    assert len(page_requests(index)) == 1


def test_stale_page_is_revalidated_and_a_304_reuses_the_stored_page(package_index, registry):
    index = package_index(DESCRIPTION, max_age=0)
    assert versions(registry(index.url)) == ["1.0.0"]
    first = page_requests(index)
    assert len(first) == 1 and "if-none-match" not in first[0].headers
    index.clear_requests()
    assert versions(registry(index.url)) == ["1.0.0"]
    [again] = page_requests(index)
    assert again.headers.get("if-none-match")
    assert again.headers.get("if-modified-since")


def test_revalidation_sees_a_changed_page(package_index, registry):
    index = package_index(DESCRIPTION, max_age=0)
    assert versions(registry(index.url)) == ["1.0.0"]
    index.add({"a": ["2.0.0"]})
    assert versions(registry(index.url)) == ["2.0.0", "1.0.0"]


def test_refresh_revalidates_fresh_pages_once_per_run(package_index, registry):
    index = package_index(DESCRIPTION, max_age=600)
    versions(registry(index.url))
    index.clear_requests()
    reg = registry(index.url, refresh=True)
    assert versions(reg) == ["1.0.0"]
    assert versions(reg) == ["1.0.0"]
    [revalidated] = page_requests(index)
    assert revalidated.headers.get("if-none-match")


def test_refresh_package_revalidates_only_that_package(package_index, registry):
    index = package_index(DESCRIPTION, max_age=600)
    registry(index.url).fetch_projects(["a", "b"])
    index.clear_requests()
    reg = registry(index.url, refresh_packages=("A",))
    reg.fetch_projects(["a", "b"])
    reg.fetch_projects(["a", "b"])
    assert [r.path for r in index.requests] == ["/simple/a/"]


def test_refresh_fetches_metadata_again(package_index, registry):
    index = package_index(DESCRIPTION, max_age=600)
    reg = registry(index.url)
    candidate = reg.fetch_projects(["a"])["a"].files(
        reg.fetch_projects(["a"])["a"].versions[0])[0]
    reg.fetch_metadata([candidate])
    index.clear_requests()
    refreshed = registry(index.url, refresh=True)
    project = refreshed.fetch_projects(["a"])["a"]
    refreshed.fetch_metadata(project.files(project.versions[0]))
    refreshed.fetch_metadata(project.files(project.versions[0]))
    assert [r.path for r in index.requests] == [
        "/simple/a/", "/files/a-1.0.0-py3-none-any.whl.metadata"]


def test_metadata_is_kept_even_when_pages_expire_at_once(package_index, registry):
    index = package_index(DESCRIPTION, max_age=0)
    reg = registry(index.url)
    project = reg.fetch_projects(["a"])["a"]
    reg.fetch_metadata(project.files(project.versions[0]))
    index.clear_requests()
    again = registry(index.url)
    project = again.fetch_projects(["a"])["a"]
    again.fetch_metadata(project.files(project.versions[0]))
    assert [r.path for r in index.requests] == ["/simple/a/"]  # the page only, revalidated


def test_offline_with_a_warm_cache_makes_no_request(package_index, registry):
    index = package_index(DESCRIPTION, max_age=0)  # stale pages: still usable offline
    online = registry(index.url)
    project = online.fetch_projects(["a"])["a"]
    candidate = project.files(project.versions[0])[0]
    [expected] = online.fetch_metadata([candidate])
    path = online.loop.run(online.download(candidate))
    index.clear_requests()

    offline = registry(index.url, offline=True)
    project = offline.fetch_projects(["a"])["a"]
    assert [str(v) for v in project.versions] == ["1.0.0"]
    candidate = project.files(project.versions[0])[0]
    [metadata] = offline.fetch_metadata([candidate])
    assert (metadata.name, metadata.version) == (expected.name, expected.version)
    assert offline.loop.run(offline.download(candidate)) == path
    assert index.requests == []


def test_offline_with_a_cold_cache_names_the_package(package_index, registry):
    index = package_index(DESCRIPTION)
    with pytest.raises(OfflineError) as caught:
        registry(index.url, offline=True).fetch_projects(["a"])
    assert str(caught.value) == ("Network connectivity is disabled, but the cache lacks the "
                                 f"index page of `a` on `{index.url}`")
    assert caught.value.hint == "run once without `--offline` to fill the cache"
    assert index.requests == []


def test_offline_without_cached_metadata_names_the_file(package_index, registry):
    index = package_index(DESCRIPTION)
    online = registry(index.url)
    project = online.fetch_projects(["a"])["a"]
    candidate = project.files(project.versions[0])[0]
    index.clear_requests()
    offline = registry(index.url, offline=True)
    with pytest.raises(OfflineError) as caught:
        offline.fetch_metadata([candidate])
    assert str(caught.value) == ("Network connectivity is disabled, but the cache lacks the "
                                 "metadata of `a-1.0.0-py3-none-any.whl`")
    with pytest.raises(OfflineError, match=r"lacks `a-1\.0\.0-py3-none-any\.whl`"):
        offline.loop.run(offline.download(candidate))
    assert index.requests == []


def test_not_found_is_not_cached(package_index, registry):
    index = package_index(DESCRIPTION, max_age=600)
    assert versions(registry(index.url), "c") == []
    index.add({"c": ["1.0"]})
    assert versions(registry(index.url), "c") == ["1.0"]


@pytest.mark.parametrize("metadata", [True, False], ids=["pep658", "ranges"])
def test_warm_metadata_is_answered_from_the_cache_alone(package_index, registry, metadata):
    index = package_index(DESCRIPTION, metadata=metadata)
    online = registry(index.url)
    project = online.fetch_projects(["a"])["a"]
    candidate = project.files(project.versions[0])[0]
    online.fetch_metadata([candidate])
    warm = registry(index.url)
    cached = warm.cached_metadata(candidate)
    assert cached is not None and cached.requires_dist[0].name == "b"


def test_find_links_page_is_cached_like_index_pages(package_index, registry):
    index = package_index({"a": ["0.5.0"]})
    links = package_index({"a": ["1.0.0"]}, max_age=600)
    registry(index.url, find_links=(links.find_links_html_url,)).fetch_projects(["a"])
    assert [r.path for r in links.requests] == ["/flat/"]
    links.clear_requests()
    warm = registry(index.url, find_links=(links.find_links_html_url,))
    assert [str(v) for v in warm.fetch_projects(["a"])["a"].versions] == ["1.0.0", "0.5.0"]
    offline = registry(index.url, find_links=(links.find_links_html_url,), offline=True)
    assert [str(v) for v in offline.fetch_projects(["a"])["a"].versions] == ["1.0.0", "0.5.0"]
    assert links.requests == []


def test_offline_without_the_find_links_page_names_it(package_index, registry):
    index = package_index({"b": ["1.0.0"]})
    links = package_index({"a": ["1.0.0"]})
    offline = registry(index.url, find_links=(links.find_links_html_url,), offline=True)
    with pytest.raises(OfflineError) as caught:
        offline.fetch_projects(["a"])
    assert str(caught.value) == ("Network connectivity is disabled, but the cache lacks the "
                                 f"find-links page `{links.find_links_html_url}`")


def test_refresh_downloads_a_cached_file_again_once_per_run(package_index, registry):
    index = package_index(DESCRIPTION)
    reg = registry(index.url)
    project = reg.fetch_projects(["b"])["b"]
    candidate = project.files(project.versions[0])[0]
    path = reg.loop.run(reg.download(candidate))
    index.clear_requests()
    for options in ({"refresh": True}, {"refresh_packages": ("b",)}):
        refreshed = registry(index.url, **options)
        assert refreshed.loop.run(refreshed.download(candidate)) == path
        assert refreshed.loop.run(refreshed.download(candidate)) == path
    offline = registry(index.url, refresh=True, offline=True)
    assert offline.loop.run(offline.download(candidate)) == path  # what there is, offline
    assert [r.path for r in index.requests] == ["/files/b-1.0.0-py3-none-any.whl"] * 2


@pytest.mark.parametrize("strategy", ["first-index", "unsafe-best-match"])
def test_offline_uses_the_cached_page_of_a_later_index(package_index, registry, strategy):
    first = package_index({"a": ["1.0.0"]})
    second = package_index({"b": ["1.0.0"]})
    registry(first.url, second.url, strategy=strategy).fetch_projects(["a", "b"])
    offline = registry(first.url, second.url, strategy=strategy, offline=True)
    projects = offline.fetch_projects(["a", "b"])
    assert [str(v) for v in projects["a"].versions] == ["1.0.0"]
    assert [str(v) for v in projects["b"].versions] == ["1.0.0"]
    assert projects["b"].found_on[0].url == second.url
    with pytest.raises(OfflineError, match="index page of `c`"):
        offline.fetch_projects(["c"])
