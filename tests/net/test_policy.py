"""The HTTP cache policy: freshness and revalidation from response headers."""

from __future__ import annotations

import pytest

from puv.net.policy import CachePolicy, parse_cache_control


def policy(cache_control: str | None = None, **headers: str) -> CachePolicy:
    if cache_control is not None:
        headers["cache-control"] = cache_control
    return CachePolicy.from_headers(headers)


def test_parse_cache_control_lowercases_and_unquotes():
    assert parse_cache_control('Max-Age="600", public,, no-cache') == {
        "max-age": "600", "public": None, "no-cache": None}
    assert parse_cache_control(None) == {}


def test_max_age_is_fresh_until_it_expires():
    fresh = policy("max-age=600, public")
    assert fresh.max_age == 600
    assert fresh.is_fresh(599)
    assert not fresh.is_fresh(600)


def test_s_maxage_takes_precedence_over_max_age():
    assert policy("max-age=10, s-maxage=100").max_age == 100
    assert policy("s-maxage=100, max-age=10").is_fresh(50)


@pytest.mark.parametrize("value", ["max-age=0", "max-age=-5", "max-age=soon"])
def test_zero_negative_or_bad_max_age_is_never_fresh(value):
    assert not policy(value).is_fresh(0)


def test_no_cache_always_revalidates_even_with_max_age():
    assert not policy("no-cache, max-age=600").is_fresh(0)


def test_no_store_is_reported():
    assert policy("no-store").no_store
    assert not policy("max-age=1").no_store


def test_immutable_is_fresh_forever():
    assert policy("max-age=1, immutable").is_fresh(10**9)


def test_without_freshness_information_a_response_is_stale():
    assert not policy().is_fresh(0)
    assert not policy("public").is_fresh(0)


def test_revalidation_headers_from_validators():
    both = policy("max-age=0", etag='"abc"', **{"last-modified": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert both.revalidation_headers() == {
        "If-None-Match": '"abc"', "If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}
    assert policy(etag='W/"x"').revalidation_headers() == {"If-None-Match": 'W/"x"'}
    assert policy("max-age=5").revalidation_headers() == {}


def test_tuple_round_trip_keeps_what_freshness_needs():
    original = policy("max-age=30, immutable", etag='"e"',
                      **{"last-modified": "Mon, 01 Jan 2024 00:00:00 GMT"})
    copy = CachePolicy.from_tuple(original.to_tuple())
    assert (copy.max_age, copy.immutable, copy.etag, copy.last_modified) == (
        30, True, '"e"', "Mon, 01 Jan 2024 00:00:00 GMT")
    assert copy.is_fresh(10**6)


def test_age_from_a_shared_cache_counts_against_max_age():
    aged = policy("max-age=600", age="550")
    assert aged.is_fresh(49)
    assert not aged.is_fresh(50)
    assert not policy("max-age=600", age="900").is_fresh(0)
    assert policy("max-age=600", age="soon").max_age == 600
