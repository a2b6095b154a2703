"""Processes sharing a cache wait for each other: one build per sdist, one environment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.builds import make_sdist, recording_project

# One run of puv's distribution layer in its own process: build the sdist given, print
# what came back.
SCRIPT = """
import json, sys
from puv.build import Builder
from puv.cache import Bucket, Cache
from puv.distribution import Distributions, UrlDist
from puv.python.interpreter import query_interpreter

cache = Cache(sys.argv[1], lock_timeout=120)
interpreter = query_interpreter(sys.executable, cache.bucket(Bucket.INTERPRETER))
distributions = Distributions(cache, Builder(cache, interpreter))
wheel = distributions.wheel(UrlDist(url=sys.argv[2], name="rec"))
print(json.dumps({"path": wheel.path, "built": wheel.built}))
"""


def test_two_processes_building_one_sdist_build_it_once(tmp_path: Path) -> None:
    # The build takes long enough that the second process arrives while the first builds.
    project = recording_project(tmp_path / "rec", sleep=1.5)
    sdist = make_sdist(project.root, tmp_path / "dist", "rec", "1.0", metadata=None)
    cache = tmp_path / "cache"
    processes = [subprocess.Popen([sys.executable, "-c", SCRIPT, str(cache), sdist.as_uri()],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out))
    assert project.hooks().count("build_wheel") == 1
    assert sorted(r["built"] for r in results) == [False, True]
    assert results[0]["path"] == results[1]["path"]
    assert Path(results[0]["path"]).is_file()
    # One environment, one unpacked tree, no temporary leftovers.
    leftovers = [p for p in cache.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert len([p for p in (cache / "builds-v1").iterdir() if p.is_dir()]) == 1
