"""Several registries sharing one cache, in threads and in processes, writing the same entries
at the same time: every entry they leave must be whole and every file must be intact."""

from __future__ import annotations

import hashlib
import marshal
import multiprocessing
import os
import threading

from puv.cache import Cache
from puv.index.locations import Index, IndexLocations
from puv.index.registry import Registry
from puv.net.cache import read_entry
from puv.net.client import HttpOptions
from tests.index.conftest import files_under

DESCRIPTION = {name: {"1.0": {"requires": ["b"]}, "2.0": {"sdist": True}}
               for name in ("a", "b", "c", "d")}
ROUNDS = 4


def hammer(index_url: str, cache_dir: str, rounds: int) -> None:
    """Fetch every page, every file's metadata and every file, `rounds` times; each round is
    a new run with `--refresh`, so each rewrites the entries another writer may be writing."""
    for _ in range(rounds):
        registry = Registry(IndexLocations([Index(index_url, default=True)]), Cache(cache_dir),
                            HttpOptions(timeout=30, retries=3), refresh=True)
        try:
            projects = registry.fetch_projects(DESCRIPTION)
            candidates = [c for p in projects.values() for v in p.versions for c in p.files(v)]
            registry.fetch_metadata(candidates)
            for candidate in candidates:
                registry.loop.run(registry.download(candidate))
        finally:
            registry.close()


def check_cache(cache_dir: str, index) -> int:
    """Every cache entry parses and every downloaded file has its published digest."""
    digests = {f.filename: f.sha256 for f in index.files}
    entries = 0
    names = files_under(cache_dir)
    assert not [n for n in names if n.endswith(".tmp")], "temporary files left behind"
    for name in names:
        path = os.path.join(cache_dir, name)
        base = os.path.basename(name)
        if name.endswith((".marshal", ".metadata")):
            with open(path, "rb") as handle:
                url = marshal.load(handle)[1]
            assert read_entry(path, url) is not None, name
            entries += 1
        elif base in digests:
            with open(path, "rb") as handle:
                assert hashlib.sha256(handle.read()).hexdigest() == digests[base], name
    assert entries >= len(DESCRIPTION) * 3  # a page and two metadata entries per project
    return entries


def test_threads_sharing_a_cache_never_leave_a_corrupt_entry(package_index, tmp_path):
    index = package_index(DESCRIPTION, max_age=0, metadata=False)
    cache_dir = str(tmp_path / "cache")
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            hammer(index.url, cache_dir, ROUNDS)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    check_cache(cache_dir, index)


def test_processes_sharing_a_cache_never_leave_a_corrupt_entry(package_index, tmp_path):
    index = package_index(DESCRIPTION, max_age=0)
    cache_dir = str(tmp_path / "cache")
    context = multiprocessing.get_context("spawn")  # no fork of a threaded test process
    workers = [context.Process(target=hammer, args=(index.url, cache_dir, ROUNDS))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    check_cache(cache_dir, index)
