"""Git repositories with the `git` command: a bare fetch cache per repository, revisions
resolved to full commits, a checkout per commit (`git-v1/`).

- `git-v1/db/<key>/`: a bare repository per repository URL (`key`: a digest of the URL
  without credentials, lower-cased host, no trailing `.git` or `/`). Fetches go into it
  under `git-v1/db/<key>.lock`, with the URL given on the command line only: no remote is
  configured, so credentials in a URL are never written to disk.
- A revision is resolved to a full commit: a full commit already in the database needs no
  fetch at all; anything else (a branch, a tag, a short commit, none for the default
  branch) fetches the repository's branches and tags once per run (`--offline`: resolved
  from what the database holds).
- `git-v1/checkouts/<key>/<commit>/`: a clone of the database at that commit (submodules
  included), made in a temporary directory and renamed into place, so it is either complete
  or absent; it is never changed afterwards, so a commit is fetched and checked out once.

Every message that quotes a URL, or git's own output, goes through `redact_text`: a token in
`https://user:token@host/repo` never reaches a log or an error.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import threading
import urllib.parse
from collections.abc import Mapping

from puv.cache import Bucket
from puv.errors import OfflineError, PuvError
from puv.fs import FileLock, remove_tree, temporary_name
from puv.net.auth import redact_text, redact_url, split_credentials

TYPE_CHECKING = False
if TYPE_CHECKING:
    from puv.cache import Cache

__all__ = ["GitError", "GitSource", "repository_key"]

_FULL_COMMIT = re.compile(r"^[0-9a-f]{40}$|^[0-9a-f]{64}$")
# Variables that would point git at another repository than the one we name.
_GIT_LOCATION = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                 "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE")


class GitError(PuvError):
    """A Git operation failed (the repository is unreachable, the revision unknown...)."""


def canonical_repository(url: str) -> str:
    """The repository URL that names it in the cache: no credentials, lower-case scheme and
    host, no trailing `/` or `.git`."""
    clean, _credentials = split_credentials(url)
    parts = urllib.parse.urlsplit(clean)
    path = parts.path.rstrip("/")
    if path.endswith(".git"):
        path = path[:-4]
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path,
                                    parts.query, ""))


def repository_key(url: str) -> str:
    return hashlib.sha256(canonical_repository(url).encode()).hexdigest()[:16]


class GitSource:
    """Fetches and checks out Git repositories into the cache, for one run."""

    def __init__(self, cache: Cache, *, offline: bool = False,
                 environ: Mapping[str, str] | None = None) -> None:
        self.cache = cache
        self.offline = offline
        base = dict(os.environ if environ is None else environ)
        for name in _GIT_LOCATION:
            base.pop(name, None)
        base["GIT_TERMINAL_PROMPT"] = "0"  # fail, never ask for a password on a terminal
        base.setdefault("GIT_LFS_SKIP_SMUDGE", "1")
        self.environ = base
        self._resolved: dict[tuple[str, str | None], str] = {}
        self._fetched: set[str] = set()
        self._memo_lock = threading.Lock()

    # Running git --------------------------------------------------------------------------

    def _git(self, *args: str, cwd: str | None = None, what: str) -> str:
        try:
            proc = subprocess.run(["git", *args], cwd=cwd, env=self.environ,
                                  capture_output=True, text=True, stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise GitError("Git executable not found. Ensure that Git is installed and "
                           "available.") from None
        except OSError as exc:
            raise GitError(f"Failed to run git: {exc.strerror or exc}") from None
        if proc.returncode != 0:
            detail = redact_text(proc.stderr.strip() or proc.stdout.strip()
                                 or f"exit status {proc.returncode}")
            raise GitError(f"{what}\n  cause: {detail}")
        return proc.stdout

    def _succeeds(self, *args: str, cwd: str) -> str | None:
        try:
            proc = subprocess.run(["git", *args], cwd=cwd, env=self.environ,
                                  capture_output=True, text=True, stdin=subprocess.DEVNULL)
        except OSError:
            return None
        return proc.stdout.strip() if proc.returncode == 0 else None

    # The database -------------------------------------------------------------------------

    def _db(self, url: str) -> str:
        """The bare repository of `url`, made if needed (the caller holds its lock)."""
        path = os.path.join(self.cache.bucket(Bucket.GIT), "db", repository_key(url))
        if os.path.isfile(os.path.join(path, "HEAD")):
            return path
        staging = temporary_name(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            self._git("init", "--bare", "--quiet", staging,
                      what=f"Failed to create a Git database for `{redact_url(url)}`")
            if os.path.lexists(path):
                remove_tree(path)
            os.rename(staging, path)
        except BaseException:
            if os.path.lexists(staging):
                remove_tree(staging)
            raise
        return path

    def _lock(self, url: str) -> FileLock:
        key = repository_key(url)
        return FileLock(os.path.join(self.cache.bucket(Bucket.GIT), "db", f"{key}.lock"),
                        resource=f"Git repository {redact_url(canonical_repository(url))}",
                        timeout=self.cache.lock_timeout, on_wait=self.cache.on_wait)

    def _fetch(self, db: str, url: str, refspecs: list[str]) -> None:
        if self.offline:
            raise OfflineError(f"Network connectivity is disabled, but the Git repository "
                               f"`{redact_url(url)}` is not in the cache at the wanted "
                               "revision", hint="run once without `--offline` to fill the "
                               "cache")
        self._git("fetch", "--force", "--quiet", url, *refspecs,
                  cwd=db, what=f"Failed to fetch `{redact_url(url)}`")

    def _commit_in(self, db: str, rev: str) -> str | None:
        """The full commit `rev` names in `db` (a ref or a commit), or `None`."""
        for candidate in (f"refs/remotes/origin/{rev}", f"refs/tags/{rev}", rev):
            found = self._succeeds("rev-parse", "--verify", "--quiet",
                                   f"{candidate}^{{commit}}", cwd=db)
            if found:
                return found
        return None

    def resolve(self, url: str, rev: str | None) -> str:
        """The full commit that `rev` (a branch, tag, commit, or `None`: the default branch)
        names in the repository at `url`, fetching what is needed (once per run)."""
        memo = (canonical_repository(url), rev)
        with self._memo_lock:
            if memo in self._resolved:
                return self._resolved[memo]
        full = rev is not None and _FULL_COMMIT.match(rev.lower()) is not None
        with self._lock(url):
            db = self._db(url)
            commit = None
            if full:
                assert rev is not None
                commit = self._succeeds("rev-parse", "--verify", "--quiet",
                                        f"{rev.lower()}^{{commit}}", cwd=db)
            if commit is None:
                key = repository_key(url)
                if key not in self._fetched and not self.offline:
                    self._fetch(db, url, ["+refs/heads/*:refs/remotes/origin/*",
                                          "+refs/tags/*:refs/tags/*",
                                          "+HEAD:refs/remotes/origin/HEAD"])
                    self._fetched.add(key)
                commit = self._commit_in(db, rev.lower() if full and rev else rev or "HEAD")
            if commit is None and self.offline:
                self._fetch(db, url, [])  # raises: offline, and the cache lacks it
            if commit is None and full:
                assert rev is not None
                # A commit no branch or tag reaches (a pull request's): ask for it by name.
                try:
                    self._fetch(db, url, [f"+{rev.lower()}:refs/puv/{rev.lower()}"])
                except GitError:
                    pass
                commit = self._commit_in(db, rev.lower())
        if commit is None:
            raise GitError(f"Failed to resolve the Git reference `{rev}` of "
                           f"`{redact_url(url)}`: no branch, tag or commit has that name")
        with self._memo_lock:
            self._resolved[memo] = commit
        return commit

    def checkout(self, url: str, commit: str) -> str:
        """The checkout of `commit` (a full commit of `url`), made if needed."""
        if not _FULL_COMMIT.match(commit):
            raise ValueError(f"not a full commit: {commit!r}")
        key = repository_key(url)
        base = os.path.join(self.cache.bucket(Bucket.GIT), "checkouts", key)
        path = os.path.join(base, commit)
        if os.path.isdir(path):
            return path
        with self._lock(url):
            if os.path.isdir(path):
                return path
            db = self._db(url)
            if self._succeeds("cat-file", "-e", f"{commit}^{{commit}}", cwd=db) is None:
                self._fetch(db, url, [f"+{commit}:refs/puv/{commit}"])
            os.makedirs(base, exist_ok=True)
            staging = temporary_name(path)
            try:
                what = f"Failed to check out `{commit}` of `{redact_url(url)}`"
                self._git("clone", "--quiet", "--local", "--no-checkout", db, staging,
                          what=what)
                self._git("checkout", "--quiet", "--detach", commit, cwd=staging, what=what)
                if os.path.isfile(os.path.join(staging, ".gitmodules")):
                    self._git("submodule", "update", "--init", "--recursive", "--quiet",
                              cwd=staging, what=f"Failed to update the submodules of "
                              f"`{redact_url(url)}` at `{commit}`")
                os.rename(staging, path)
            except BaseException:
                if os.path.lexists(staging):
                    remove_tree(staging)
                raise
        return path
