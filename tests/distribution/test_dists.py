"""Distribution kinds, direct references, messages and `direct_url.json`
(`puv.distribution.dists`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from puv.core.hashes import Hash
from puv.distribution import (
    DirectoryDist,
    GitDist,
    SourceDist,
    UrlDist,
    describe,
    direct_url,
    parse_direct_reference,
)
from puv.errors import RequirementsError


def test_git_reference_with_revision_subdirectory_and_egg() -> None:
    dist = parse_direct_reference(
        "git+https://github.com/org/repo.git@v1.0#subdirectory=pkgs/a&egg=a")
    assert dist == GitDist(repository="https://github.com/org/repo.git", rev="v1.0",
                           subdirectory="pkgs/a", name="a")
    assert dist.url == "git+https://github.com/org/repo.git@v1.0#subdirectory=pkgs/a"


def test_git_reference_keeps_user_info_apart_from_the_revision() -> None:
    dist = parse_direct_reference("git+ssh://git@github.com/org/repo.git", name="A_B")
    assert dist == GitDist(repository="ssh://git@github.com/org/repo.git", name="a-b")
    token = parse_direct_reference("git+https://user:s3cret@host/repo@main")
    assert isinstance(token, GitDist)
    assert (token.repository, token.rev) == ("https://user:s3cret@host/repo", "main")
    assert describe(token) == "git+https://user:****@host/repo@main"
    assert "s3cret" not in str(direct_url(token))


def test_https_archive_with_hash() -> None:
    dist = parse_direct_reference("https://files.example/a-1.0.tar.gz#sha256=ABCD", name="a")
    assert dist == UrlDist(url="https://files.example/a-1.0.tar.gz", name="a",
                           hashes=(Hash("sha256", "abcd"),))
    assert dist.filename == "a-1.0.tar.gz" and not dist.is_wheel and dist.sha256 == "abcd"


def test_paths_become_directories_or_archives(tmp_path: Path) -> None:
    (tmp_path / "proj").mkdir()
    (tmp_path / "a-1.0.tar.gz").write_bytes(b"")
    assert parse_direct_reference("./proj", base_dir=str(tmp_path), editable=True) == \
        DirectoryDist(path=str(tmp_path / "proj"), editable=True)
    assert parse_direct_reference((tmp_path / "proj").as_uri(), name="p") == \
        DirectoryDist(path=str(tmp_path / "proj"), name="p")
    archive = parse_direct_reference(str(tmp_path / "a-1.0.tar.gz"))
    assert isinstance(archive, UrlDist)
    assert archive.local_path == str(tmp_path / "a-1.0.tar.gz")


@pytest.mark.parametrize(("reference", "editable", "words"), [
    ("hg+https://host/repo", False, "Unsupported version control system"),
    ("ftp://host/a-1.0.tar.gz", False, "Unsupported URL scheme `ftp`"),
    ("git+https://host/repo@", False, "an empty revision after `@`"),
    ("git+https://host/repo", True, "Editable must refer to a local directory, not a Git URL"),
    ("https://host/a-1.0.tar.gz", True, "Editable must refer to a local directory"),
    ("git+https://host/repo#subdirectory=../../etc", False, "Invalid subdirectory `../../etc`"),
    ("/nonexistent/a-1.0.tar.gz", False, "Distribution not found at: file:///nonexistent/"),
])
def test_invalid_references(reference: str, editable: bool, words: str) -> None:
    with pytest.raises(RequirementsError) as info:
        parse_direct_reference(reference, editable=editable)
    assert words in str(info.value)


def test_describe_as_uv_names_distributions(tmp_path: Path) -> None:
    sdist = SourceDist(name="a", version=Version("1.0"), filename="a-1.0.tar.gz",
                       url="https://x/a-1.0.tar.gz")
    assert describe(sdist) == "a==1.0"
    assert describe(DirectoryDist(path="/p/q", name="q")) == "q @ file:///p/q"
    assert describe(DirectoryDist(path="/p/with space")) == "file:///p/with%20space"
    assert describe(UrlDist(url="https://u:p@host/a.whl", name="a")) == \
        "a @ https://u:****@host/a.whl"


def test_direct_url_records_as_pep_610_says() -> None:
    assert direct_url(DirectoryDist(path="/p", editable=True)) == {
        "url": "file:///p", "dir_info": {"editable": True}}
    assert direct_url(DirectoryDist(path="/p")) == {"url": "file:///p", "dir_info": {}}
    assert direct_url(GitDist(repository="https://tok@host/r.git", rev="main",
                              commit="a" * 40, subdirectory="s")) == {
        "url": "https://host/r.git", "subdirectory": "s",
        "vcs_info": {"vcs": "git", "requested_revision": "main", "commit_id": "a" * 40}}
    assert direct_url(UrlDist(url="https://host/a-1.0.tar.gz"), sha256="ff") == {
        "url": "https://host/a-1.0.tar.gz",
        "archive_info": {"hash": "sha256=ff", "hashes": {"sha256": "ff"}}}
    assert direct_url(SourceDist(name="a", version=Version("1"), filename="a-1.tar.gz",
                                 url="https://x/a-1.tar.gz")) is None
