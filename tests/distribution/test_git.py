"""Git sources: revisions to commits, a fetch cache, checkouts per commit, credentials kept
out of messages (`puv.distribution.git`, and `GitDist` through `Distributions`)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from puv.build import Builder, BuildError
from puv.cache import Bucket, Cache
from puv.distribution import (
    BuiltWheel,
    DistMetadata,
    Distributions,
    GitDist,
    GitError,
    GitSource,
    parse_direct_reference,
)
from puv.errors import OfflineError
from puv.python.interpreter import Interpreter
from tests.support.builds import GitRepository, git_repository, recording_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


class Repo:
    def __init__(self, repository: GitRepository, first: str, second: str) -> None:
        self.repository = repository
        self.first = first  # main, tagged v1.0
        self.second = second  # branch `feature`


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repository = git_repository(tmp_path / "origin")
    recording_project(repository.path, name="root-pkg", dynamic=["dependencies"],
                      dependencies=["x"], log=tmp_path / "root.log")
    recording_project(repository.path / "sub", name="sub-pkg", static=True,
                      dependencies=["y"], log=tmp_path / "sub.log")
    first = repository.commit("first")
    repository.tag("v1.0")
    repository.branch("feature")
    (repository.path / "feature.txt").write_text("new\n")
    second = repository.commit("second")
    repository.switch("main")
    return Repo(repository, first, second)


def test_revisions_resolve_to_full_commits(repo: Repo, puv_cache: Cache) -> None:
    git = GitSource(puv_cache)
    url = repo.repository.url
    assert git.resolve(url, "v1.0") == repo.first
    assert git.resolve(url, "feature") == repo.second
    assert git.resolve(url, None) == repo.first  # the default branch
    assert git.resolve(url, "main") == repo.first
    assert git.resolve(url, repo.second[:8]) == repo.second
    assert git.resolve(url, repo.first) == repo.first


def test_unknown_revision_is_a_clear_error(repo: Repo, puv_cache: Cache) -> None:
    with pytest.raises(GitError) as info:
        GitSource(puv_cache).resolve(repo.repository.url, "nope")
    assert str(info.value) == (f"Failed to resolve the Git reference `nope` of "
                               f"`{repo.repository.url}`: no branch, tag or commit has that name")


def test_a_branch_is_fetched_once_per_run(repo: Repo, puv_cache: Cache) -> None:
    url = repo.repository.url
    git = GitSource(puv_cache)
    assert git.resolve(url, "main") == repo.first
    (repo.repository.path / "later.txt").write_text("later\n")
    third = repo.repository.commit("third")
    assert git.resolve(url, "main") == repo.first  # this run already knows `main`
    assert GitSource(puv_cache).resolve(url, "main") == third  # the next run fetches


def test_a_known_commit_needs_no_fetch_and_checkouts_are_kept(repo: Repo, puv_cache: Cache,
                                                              tmp_path: Path) -> None:
    url = repo.repository.url
    git = GitSource(puv_cache)
    checkout = Path(git.checkout(url, git.resolve(url, "feature")))
    assert (checkout / "feature.txt").read_text() == "new\n"
    assert checkout.parent.parent == Path(puv_cache.bucket(Bucket.GIT), "checkouts")
    marker = checkout / "untouched"
    marker.write_text("")
    repo.repository.path.rename(tmp_path / "gone")  # the origin is unreachable from now on
    later = GitSource(puv_cache)
    assert later.resolve(url, repo.second) == repo.second
    assert Path(later.checkout(url, repo.second)) == checkout and marker.exists()
    with pytest.raises(GitError) as info:
        later.resolve(url, "main")  # a branch must be fetched, and cannot be
    assert str(info.value).startswith(f"Failed to fetch `{url}`\n  cause: ")


def test_offline_resolves_from_the_cache(repo: Repo, puv_cache: Cache, tmp_path: Path) -> None:
    url = repo.repository.url
    GitSource(puv_cache).resolve(url, "feature")
    repo.repository.path.rename(tmp_path / "gone")
    offline = GitSource(puv_cache, offline=True)
    assert offline.resolve(url, "feature") == repo.second
    with pytest.raises(OfflineError) as info:
        offline.resolve(url, "never-fetched")
    assert "Network connectivity is disabled" in str(info.value)


def test_credentials_never_appear_in_errors_or_the_cache(puv_cache: Cache) -> None:
    url = "https://user:s3cret-token@127.0.0.1:9/org/repo.git"
    with pytest.raises(GitError) as info:
        GitSource(puv_cache).resolve(url, "main")
    assert "s3cret" not in str(info.value) and "s3cret" not in str(info.value.hint)
    assert "https://user:****@127.0.0.1:9/org/repo.git" in str(info.value)
    for directory, _dirs, files in os.walk(puv_cache.bucket(Bucket.GIT)):
        for name in files:
            assert b"s3cret" not in Path(directory, name).read_bytes()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served_url(repo: Repo, tmp_path: Path) -> Iterator[str]:
    """The repository over git's dumb HTTP protocol on 127.0.0.1, its URL with credentials."""
    bare = tmp_path / "served" / "repo.git"
    subprocess.run(["git", "clone", "--bare", "--quiet", str(repo.repository.path), str(bare)],
                   check=True, capture_output=True)
    subprocess.run(["git", "update-server-info"], cwd=bare, check=True, capture_output=True)
    handler = functools.partial(_QuietHandler, directory=str(tmp_path / "served"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://user:s3cret-token@127.0.0.1:{server.server_address[1]}/repo.git"
    server.shutdown()
    server.server_close()


def test_credentials_are_not_written_by_a_successful_fetch(
        served_url: str, repo: Repo, puv_cache: Cache, interpreter: Interpreter) -> None:
    dist = GitDist(repository=served_url, rev="v1.0", subdirectory="sub")
    result = Distributions(puv_cache, Builder(puv_cache, interpreter)).wheel(dist)
    assert isinstance(result, BuiltWheel)
    assert result.dist == GitDist(repository=served_url, rev="v1.0", commit=repo.first,
                                  subdirectory="sub")
    assert result.direct_url is not None
    assert result.direct_url["url"] == served_url.replace("user:s3cret-token@", "")
    for root in (puv_cache.bucket(Bucket.GIT), puv_cache.bucket(Bucket.BUILT_WHEELS)):
        for directory, _dirs, files in os.walk(root):
            for name in files:
                path = Path(directory, name)
                if not path.is_symlink():
                    assert b"s3cret" not in path.read_bytes(), path


def database(cache: Cache, interpreter: Interpreter) -> Distributions:
    return Distributions(cache, Builder(cache, interpreter))


def test_git_dist_in_a_subdirectory(repo: Repo, puv_cache: Cache, tmp_path: Path,
                                    interpreter: Interpreter) -> None:
    dist = parse_direct_reference(f"git+{repo.repository.url}@v1.0#subdirectory=sub",
                                  name="sub-pkg")
    assert isinstance(dist, GitDist)
    result = database(puv_cache, interpreter).metadata(dist)
    assert isinstance(result, DistMetadata)
    assert result.origin == "pyproject"
    assert [str(r) for r in result.metadata.requires_dist] == ["y"]
    assert result.dist == GitDist(repository=repo.repository.url, rev="v1.0",
                                  commit=repo.first, subdirectory="sub", name="sub-pkg")
    wheel = database(puv_cache, interpreter).wheel(dist)
    assert isinstance(wheel, BuiltWheel) and wheel.filename == "sub_pkg-1.0-py3-none-any.whl"
    assert wheel.direct_url == {
        "url": repo.repository.url, "subdirectory": "sub",
        "vcs_info": {"vcs": "git", "requested_revision": "v1.0", "commit_id": repo.first}}


def test_git_dist_builds_are_cached_by_commit(repo: Repo, puv_cache: Cache, tmp_path: Path,
                                              interpreter: Interpreter) -> None:
    dist = GitDist(repository=repo.repository.url, rev="main")
    result = database(puv_cache, interpreter).metadata(dist)
    assert isinstance(result, DistMetadata) and result.origin == "backend"
    assert result.metadata.name == "root-pkg"
    log = tmp_path / "root.log"
    calls = log.read_text().count("\n")
    again = database(puv_cache, interpreter).metadata(GitDist(repository=repo.repository.url,
                                                              rev=repo.first))
    assert isinstance(again, DistMetadata)
    assert log.read_text().count("\n") == calls  # the same commit: no hook at all
    entry = Path(puv_cache.bucket(Bucket.BUILT_WHEELS), "git")
    assert [p.name for p in entry.glob("*/*")] == [repo.first]


def test_git_dist_with_a_missing_subdirectory(repo: Repo, puv_cache: Cache,
                                              interpreter: Interpreter) -> None:
    dist = GitDist(repository=repo.repository.url, rev="v1.0", subdirectory="nope")
    with pytest.raises(BuildError) as info:
        database(puv_cache, interpreter).metadata(dist)
    assert str(info.value) == (f"The Git repository `git+{repo.repository.url}@v1.0"
                               f"#subdirectory=nope` has no subdirectory `nope` at "
                               f"`{repo.first}`")


def test_git_subdirectory_that_is_a_link_out_of_the_checkout(
        repo: Repo, puv_cache: Cache, interpreter: Interpreter, tmp_path: Path) -> None:
    recording_project(tmp_path / "elsewhere", name="elsewhere", static=True)
    os.symlink(tmp_path / "elsewhere", repo.repository.path / "escape")
    commit = repo.repository.commit("a link out")
    dist = GitDist(repository=repo.repository.url, rev="main", subdirectory="escape")
    with pytest.raises(BuildError) as info:
        database(puv_cache, interpreter).metadata(dist)
    assert str(info.value).endswith(f"has no subdirectory `escape` at `{commit}`")
