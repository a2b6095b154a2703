"""Hashes as indexes publish them, and the streaming checker downloads use."""

from __future__ import annotations

import hashlib

import pytest

from puv.core.hashes import Hash, HashChecker, from_mapping, parse_fragment, strongest
from puv.errors import HashMismatch

DIGEST = hashlib.sha256(b"payload").hexdigest()


@pytest.mark.parametrize("text", [f"sha256={DIGEST}", f"sha256:{DIGEST}",
                                  f"SHA256={DIGEST.upper()}"])
def test_hash_parses_both_separators_and_lowercases(text):
    assert Hash.parse(text) == Hash("sha256", DIGEST)
    assert str(Hash.parse(text)) == f"sha256:{DIGEST}"


@pytest.mark.parametrize("text", ["sha1=abcd", "sha256=", "sha256=xyz", "abcdef", "sha256",
                                  "sha256=0x1f", "sha256=-1f", "sha256=1_f", "sha256= 1f"])
def test_hash_rejects_unknown_algorithms_and_non_hex_digests(text):
    with pytest.raises(ValueError, match="not a hash"):
        Hash.parse(text)


def test_fragment_without_a_hash_is_none():
    assert parse_fragment("") is None
    assert parse_fragment("egg=foo") is None
    assert parse_fragment(f"sha256={DIGEST}") == Hash("sha256", DIGEST)


def test_from_mapping_keeps_known_algorithms_strongest_first():
    hashes = from_mapping({"md5": "aa", "sha256": "bb", "blake2b": "cc", "sha512": "dd"})
    assert [h.algorithm for h in hashes] == ["sha512", "sha256", "md5"]


def test_strongest_prefers_sha512_over_sha256_over_md5():
    md5, sha256, sha512 = Hash("md5", "aa"), Hash("sha256", "bb"), Hash("sha512", "cc")
    assert strongest([md5, sha256]) == sha256
    assert strongest([sha256, sha512, md5]) == sha512
    assert strongest([Hash("blake2b", "dd")]) is None
    assert strongest([]) is None


def test_checker_accepts_matching_digest_fed_in_chunks():
    checker = HashChecker([Hash("sha256", DIGEST)], what="a.whl")
    checker.update(b"pay")
    checker.update(b"load")
    assert checker.verify() == Hash("sha256", DIGEST)


def test_checker_always_computes_sha256_even_when_only_md5_is_expected():
    md5 = hashlib.md5(b"payload").hexdigest()
    checker = HashChecker([Hash("md5", md5)], what="a.whl")
    checker.update(b"payload")
    assert checker.verify() == Hash("sha256", DIGEST)


def test_checker_mismatch_names_the_file_and_both_digests():
    wrong = "0" * 64
    checker = HashChecker([Hash("sha256", wrong)], what="a-1.0-py3-none-any.whl")
    checker.update(b"payload")
    with pytest.raises(HashMismatch) as caught:
        checker.verify()
    assert str(caught.value) == (
        "Hash mismatch for `a-1.0-py3-none-any.whl`:\n"
        f"  Expected: sha256:{wrong}\n"
        f"  Computed: sha256:{DIGEST}"
    )
    assert caught.value.hint
