"""The second seed's `no-build-isolation-package` recipe: `cchardet` needs `cython` at build
time and is built without isolation, in the project environment, so its build dependencies
come from an extra (`build`) installed first."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lock.projects import PYTHON

PROJECT = '''\
[project]
name = "project"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[project.optional-dependencies]
build = ["setuptools", "cython"]
compile = ["cchardet"]

[tool.uv]
no-build-isolation-package = ["cchardet"]
'''

# `cchardet` is an sdist whose backend fails unless `cython` is installed where it runs.
PACKAGES = {"cython": ["3.0.0"], "setuptools": ["70.0.0"],
            "cchardet": {"2.1.7": {"sdist": True, "wheel": False,
                                   "build_requires": ["cython"]}}}


@pytest.fixture
def project(package_index, workdir: Path):
    index = package_index(PACKAGES)
    (workdir / "pyproject.toml").write_text(PROJECT)
    return {"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"}


def test_two_step_sync_builds_in_the_environment(project, puv, workdir: Path) -> None:
    result = puv("sync", "--extra", "build", "--python", PYTHON, env=project)
    assert result.returncode == 0, result.stderr
    assert " + cython==3.0.0" in result.stderr and "cchardet" not in result.stderr
    result = puv("sync", "--extra", "build", "--extra", "compile", env=project)
    assert result.returncode == 0, result.stderr
    assert "   Building cchardet==2.1.7\n      Built cchardet==2.1.7\n" in result.stderr
    assert " + cchardet==2.1.7" in result.stderr
    # Without the `build` extra the build dependencies go again, as uv removes them.
    result = puv("sync", "--extra", "compile", env=project)
    assert result.returncode == 0, result.stderr
    assert " - cython==3.0.0" in result.stderr and " - setuptools==70.0.0" in result.stderr


def test_one_sync_installs_the_build_dependencies_first(project, puv, workdir: Path) -> None:
    result = puv("sync", "--extra", "build", "--extra", "compile", "--python", PYTHON,
                 env=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.index(" + cython==3.0.0") < result.stderr.index("Building cchardet")


def test_build_without_its_dependencies_fails_with_the_backends_output(project, puv,
                                                                       workdir: Path) -> None:
    result = puv("sync", "--extra", "compile", "--python", PYTHON, env=project)
    assert result.returncode == 1
    assert "error: Failed to build `cchardet==2.1.7`" in result.stderr
    assert "build requirement 'cython' is not installed" in result.stderr  # the backend's


FLASH_ATTN = '''\
[project]
name = "project"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[project.optional-dependencies]
build = ["torch", "setuptools", "packaging"]
compile = ["flash-attn"]

[tool.uv]
no-build-isolation-package = ["flash-attn"]

[[tool.uv.dependency-metadata]]
name = "flash-attn"
version = "2.6.3"
requires-dist = ["torch", "einops"]
'''


def test_declared_metadata_locks_without_a_build(package_index, puv, workdir: Path) -> None:
    """The seed's `flash-attn` recipe: `dependency-metadata` stands in for a build during
    resolution (the sdist needs `torch` to build), then two syncs build it in place."""
    index = package_index({
        "torch": ["2.7.0"], "setuptools": ["70.0.0"], "packaging": ["24.0"],
        "einops": ["0.8.0"],
        "flash-attn": {"2.6.3": {"sdist": True, "wheel": False, "build_requires": ["torch"],
                                 "requires": ["torch", "einops"]}}})
    (workdir / "pyproject.toml").write_text(FLASH_ATTN)
    env = {"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"}
    result = puv("lock", "--python", PYTHON, env=env)
    assert result.returncode == 0, result.stderr
    lock = (workdir / "uv.lock").read_text()
    assert ('requires-python = ">=3.12"\n\n[[manifest.dependency-metadata]]\n'
            'name = "flash-attn"\nversion = "2.6.3"\nrequires-dist = ["torch", "einops"]\n'
            ) in lock
    assert "Building" not in result.stderr
    assert puv("sync", "--extra", "build", "--python", PYTHON, env=env).returncode == 0
    result = puv("sync", "--extra", "build", "--extra", "compile", env=env)
    assert result.returncode == 0, result.stderr
    assert " + flash-attn==2.6.3" in result.stderr


MATCH_RUNTIME = '''\
[project]
name = "project"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["torch<2.7", "flash-attn"]

[tool.uv.extra-build-dependencies]
flash-attn = [{ requirement = "torch", match-runtime = true }]

[[tool.uv.dependency-metadata]]
name = "flash-attn"
version = "2.6.3"
requires-dist = ["torch"]
'''


@pytest.mark.parametrize("match", [True, False])
def test_extra_build_dependencies_match_the_runtime_version(match: bool, package_index, puv,
                                                            workdir: Path) -> None:
    """uv's recommended replacement of the two-step recipe: `flash-attn` is built in
    isolation with `torch` added to its build environment, at the version the project
    environment gets (`match-runtime`), not the newest."""
    index = package_index({
        "torch": ["2.6.0", "2.7.0"],
        "flash-attn": {"2.6.3": {"sdist": True, "wheel": False, "requires": ["torch"],
                                 "build_requires": ["torch"]}}})
    text = MATCH_RUNTIME if match else MATCH_RUNTIME.replace(", match-runtime = true", "")
    (workdir / "pyproject.toml").write_text(text)
    cache = workdir / "cache"
    env = {"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never",
           "UV_CACHE_DIR": str(cache)}
    result = puv("sync", "--python", PYTHON, env=env)
    assert result.returncode == 0, result.stderr
    assert " + flash-attn==2.6.3" in result.stderr and " + torch==2.6.0" in result.stderr
    # The isolated build environment (in the cache) holds the torch the build used.
    built_with = {p.name for p in cache.glob("builds-v1/*/lib/python*/site-packages/"
                                             "torch-*.dist-info")}
    assert built_with == ({"torch-2.6.0.dist-info"} if match else {"torch-2.7.0.dist-info"})
