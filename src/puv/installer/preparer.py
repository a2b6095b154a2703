"""Getting every wanted wheel into the archive cache, checked and unpacked, in parallel.

A wheel whose sha256 is known in advance (the index publishes it) and is already unpacked
costs one `open` of its manifest: no request, no download. The others are downloaded on the
registry's event loop, several at once; each download is unpacked on a thread pool as soon as
it lands (inflating and hashing release the GIL), so downloads and unpacking overlap. A wheel
downloaded into `wheels-v1/` is deleted once unpacked: the archive is what installs use.

Hashes: the index's digest is checked while downloading; the user's `--hash` values are
checked against the file (or, for a cached wheel, against the sha256 the archive is keyed by).
"""

from __future__ import annotations

import os

from puv.cache import Bucket, Cache
from puv.core.hashes import Hash, HashChecker
from puv.errors import HashMismatch
from puv.fs import file_sha256
from puv.installer.archive import UnpackedWheel, load_unpacked, unpack_wheel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from puv.index.registry import Registry
    from puv.installer.planner import Wanted
    from puv.types import Reporter

__all__ = ["Preparer"]


def _known_sha256(wanted: Wanted) -> str | None:
    """The digest the wheel will have, when the index or the user says it in advance."""
    hashes: list[Hash] = []
    if wanted.candidate is not None:
        hashes.extend(wanted.candidate.hashes)
    hashes.extend(wanted.hashes)
    for value in hashes:
        if value.algorithm == "sha256":
            return value.digest
    return None


def _check_user_hashes(wanted: Wanted, sha256: str, path: str | None) -> None:
    """The user's `--hash` values must include the file's digest."""
    if not wanted.hashes:
        return
    if any(h.algorithm == "sha256" and h.digest == sha256 for h in wanted.hashes):
        return
    if path is not None and any(h.algorithm != "sha256" for h in wanted.hashes):
        checker = HashChecker(wanted.hashes, what=f"{wanted.name}=={wanted.version}")
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                checker.update(chunk)
        checker.verify()
        return
    # uv's words and layout: what failed, then the mismatch as its indented cause.
    what = (f"{wanted.name} @ {wanted.direct_url['url']}" if wanted.direct_url
            else f"{wanted.name}=={wanted.version}")
    action = "read" if wanted.path is not None else "download"
    expected = "\n".join(f"           {h}" for h in wanted.hashes)
    raise HashMismatch(
        f"Failed to {action} `{what}`\n  cause: Hash mismatch for `{what}`\n\n"
        f"         Expected:\n{expected}\n\n         Computed:\n           sha256:{sha256}")


class Preparer:
    """Fetches and unpacks wheels for one run."""

    def __init__(self, cache: Cache, registry: Callable[[], Registry], *,
                 workers: int | None = None, reporter: Reporter | None = None) -> None:
        self.cache = cache
        self._registry = registry  # made on first need: a warm install never touches HTTP
        self.bucket = cache.bucket(Bucket.ARCHIVE)
        self.workers = workers or min(32, (os.cpu_count() or 4) + 4)
        self.reporter = reporter  # hears of download progress
        self.fetched: list[str] = []  # names `prepare` had to fetch or unpack
        self._local_digests: dict[str, str] = {}  # a local wheel is read for its digest once

    def cached(self, wanted: Wanted) -> UnpackedWheel | None:
        """The unpacked wheel from the cache, when its digest is known and it is there."""
        sha256 = _known_sha256(wanted)
        if sha256 is None and wanted.path is not None:
            sha256 = self._local_sha256(wanted, wanted.path)
        if sha256 is None:
            return None
        found = load_unpacked(self.bucket, wanted.name, sha256)
        if found is not None:
            _check_user_hashes(wanted, sha256, None)
        return found

    def prepare(self, items: list[Wanted]) -> dict[str, UnpackedWheel]:
        """Every item's unpacked wheel, by name (fetching and unpacking what is missing)."""
        ready: dict[str, UnpackedWheel] = {}
        missing: list[Wanted] = []
        for wanted in items:
            found = self.cached(wanted)
            if found is None:
                missing.append(wanted)
            else:
                ready[wanted.name] = found
        self.fetched = [w.name for w in missing]
        local = [w for w in missing if w.path is not None]
        remote = [w for w in missing if w.path is None]
        if local or remote:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(self.workers, thread_name_prefix="puv-unpack") as pool:
                futures = {w.name: pool.submit(self._unpack_local, w) for w in local}
                if remote:
                    ready.update(self._fetch_all(remote, pool))
                for name, future in futures.items():
                    ready[name] = future.result()
        return ready

    def _unpack_local(self, wanted: Wanted) -> UnpackedWheel:
        path = wanted.path
        assert path is not None
        sha256 = self._local_sha256(wanted, path)
        _check_user_hashes(wanted, sha256, path)
        return unpack_wheel(path, self.bucket, filename=wanted.filename, sha256=sha256)

    def _local_sha256(self, wanted: Wanted, path: str) -> str:
        if wanted.sha256 is not None:
            return wanted.sha256
        found = self._local_digests.get(path)
        if found is None:
            found = self._local_digests[path] = file_sha256(path)
        return found

    def _unpack_download(self, wanted: Wanted, path: str, owned: bool) -> UnpackedWheel:
        sha256 = file_sha256(path)
        _check_user_hashes(wanted, sha256, path)
        unpacked = unpack_wheel(path, self.bucket, filename=wanted.filename, sha256=sha256)
        if owned:
            try:
                os.unlink(path)  # the archive is what installs use
            except OSError:
                pass
        return unpacked

    def _fetch_all(self, items: list[Wanted], pool: object) -> dict[str, UnpackedWheel]:
        import asyncio

        registry = self._registry()
        wheels_dir = self.cache.bucket(Bucket.WHEELS)

        async def one(wanted: Wanted) -> UnpackedWheel:
            loop = asyncio.get_running_loop()
            if wanted.candidate is not None:
                path = await registry.download(wanted.candidate, self.reporter)
                owned = path.startswith(wheels_dir + os.sep)
            else:
                from puv.distribution.database import url_download_path
                from puv.net.download import download

                assert wanted.url is not None
                path = url_download_path(wheels_dir, wanted.url, wanted.filename)
                expected = [h for h in wanted.hashes if h.algorithm == "sha256"][:1]
                await download(registry.http, wanted.url, path, hashes=expected,
                               what=wanted.filename, reporter=self.reporter)
                owned = True
            return await loop.run_in_executor(pool,  # type: ignore[arg-type]
                                              self._unpack_download, wanted, path, owned)

        async def gather() -> list[UnpackedWheel]:
            return await asyncio.gather(*(one(w) for w in items))

        results = registry.loop.run(gather())
        return {w.name: r for w, r in zip(items, results, strict=True)}
