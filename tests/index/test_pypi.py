"""The registry against the real PyPI (marked `network`, skipped when pypi.org is down).

Metadata of a few popular packages must come without downloading their wheels: by PEP 658
where PyPI (or a proxy in front of it) offers it, else by range requests."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

from puv.core.metadata import CoreMetadata
from puv.index.locations import PYPI_URL, Index
from tests.index.conftest import files_under

pytestmark = pytest.mark.network

PACKAGES = ("packaging", "idna", "sniffio")


def pypi_reachable() -> bool:
    """A quick probe (a small project's page, 5 s at most)."""
    import urllib.request

    try:
        socket.getaddrinfo(urlsplit(PYPI_URL).hostname, 443)
        request = urllib.request.Request(PYPI_URL + "sniffio/", method="HEAD")
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status) < 500
    except OSError:
        return False


@pytest.fixture(scope="module")
def pypi() -> None:
    if not pypi_reachable():
        pytest.skip("pypi.org is unreachable")


def test_metadata_of_popular_packages_without_downloading_wheels(pypi, registry, cache_dir):
    reg = registry(Index(PYPI_URL, default=True), timeout=30, retries=2)
    projects = reg.fetch_projects(PACKAGES)
    candidates = []
    for name in PACKAGES:
        project = projects[name]
        assert project, f"{name} has no files on PyPI"
        wheels = [c for v in project.versions for c in project.files(v)
                  if c.is_wheel and not c.file.is_yanked]
        candidates.append(wheels[0])  # the newest version's wheel
    results = reg.fetch_metadata(candidates)
    for candidate, metadata in zip(candidates, results, strict=True):
        assert isinstance(metadata, CoreMetadata)
        assert (metadata.name, metadata.version) == (candidate.name, candidate.version)
    assert [m.name for m in results] == list(PACKAGES)
    wheels_dir = os.path.join(cache_dir, "wheels-v1")
    assert not [f for f in files_under(wheels_dir) if f.endswith(".whl")]
    assert reg.http.requests_sent < 20  # a page each, then a request or three per wheel


def test_compile_trio_in_like_uv(pypi, puv, workdir):
    """uv's own benchmark set resolves (to what uv 0.13.8 gives, when it is installed)."""
    import shutil
    import subprocess
    from pathlib import Path

    source = Path(__file__).resolve().parents[3] / "shared" / "requirements" / "trio.in"
    if not source.is_file():
        pytest.skip("../shared/requirements is absent")
    import sys

    args = ["pip", "compile", "-q", "--no-header", "--no-annotate", "--python", sys.executable,
            str(source)]
    result = puv(*args)
    assert result.returncode == 0, result.stderr
    names = {line.split("==")[0] for line in result.stdout.splitlines() if "==" in line}
    assert {"sphinx", "attrs", "idna", "jinja2", "sortedcontainers", "pyopenssl"} <= names
    uv = shutil.which("uv")
    if uv is not None:
        expected = subprocess.run([uv, *args], capture_output=True, text=True)
        if expected.returncode == 0:
            assert result.stdout == expected.stdout


def test_lock_trio_project_like_uv(pypi, puv, workdir, tmp_path):
    """A project with uv's benchmark set as its dependencies locks, against PyPI, to the
    bytes uv 0.13.8 writes at the same moment (when uv 0.13.8 is installed)."""
    import json
    import subprocess
    from pathlib import Path

    from tests.lock.projects import PYTHON, find_uv

    source = Path(__file__).resolve().parents[3] / "shared" / "requirements" / "trio.in"
    if not source.is_file():
        pytest.skip("../shared/requirements is absent")
    requirements = [line.split("#")[0].strip() for line in source.read_text().splitlines()]
    dependencies = "".join(f"    {json.dumps(r)},\n" for r in requirements if r)
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "trioproj"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
        f"dependencies = [\n{dependencies}]\n")
    result = puv("lock", "--python", PYTHON, env={"UV_PYTHON_DOWNLOADS": "never"})
    assert result.returncode == 0, result.stderr
    ours = (workdir / "uv.lock").read_text()
    assert 'name = "sphinx"' in ours and 'name = "attrs"' in ours
    uv = find_uv()
    if uv is None:
        return
    theirs = tmp_path / "uv"
    theirs.mkdir()
    (theirs / "pyproject.toml").write_text((workdir / "pyproject.toml").read_text())
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never",
           "UV_CACHE_DIR": str(tmp_path / "uv-cache")}
    done = subprocess.run([uv, "lock", "--python", PYTHON], cwd=theirs, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode == 0:
        assert ours == (theirs / "uv.lock").read_text()
