"""The seed's PyTorch recipes with local indexes standing in for "pytorch-cpu" and
"pytorch-cu128": `[[tool.uv.index]]` with `explicit = true`, and `[tool.uv.sources]` entries
`{ index = ... }`, plain or split by platform markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_clean_error
from tests.lock.projects import PYTHON


@pytest.fixture
def indexes(package_index):
    cpu = package_index({"torch": {"2.7.0+cpu": {}}})
    gpu = package_index({"torch": {"2.7.0+cu128": {"requires": ["helper"]}}})
    pypi = package_index({"torch": ["2.7.0"], "helper": ["1.0"], "jinja2": ["3.1.0"]})
    return cpu, gpu, pypi


def _project(workdir: Path, sources: str, cpu, gpu, dependencies: str = '"torch>=2.7.0"'
             ) -> None:
    (workdir / "pyproject.toml").write_text(f'''\
[project]
name = "project"
version = "0.1.0"
requires-python = ">=3.12.0"
dependencies = [{dependencies}]

[tool.uv.sources]
{sources}

[[tool.uv.index]]
name = "pytorch-cpu"
url = "{cpu.url}"
explicit = true

[[tool.uv.index]]
name = "pytorch-cu128"
url = "{gpu.url}"
explicit = true
''')


def _lock(puv, workdir: Path, pypi):
    return puv("lock", "--python", PYTHON, cwd=workdir,
               env={"UV_DEFAULT_INDEX": pypi.url, "UV_PYTHON_DOWNLOADS": "never"})


def test_platform_markers_pick_the_index_per_platform(indexes, puv, workdir: Path) -> None:
    cpu, gpu, pypi = indexes
    _project(workdir, '''torch = [
  { index = "pytorch-cpu", marker = "sys_platform != 'linux'" },
  { index = "pytorch-cu128", marker = "sys_platform == 'linux'" },
]''', cpu, gpu, dependencies='"torch>=2.7.0", "jinja2"')
    result = _lock(puv, workdir, pypi)
    assert result.returncode == 0, result.stderr
    lock = (workdir / "uv.lock").read_text()
    cpu_edge = (f'{{ name = "torch", version = "2.7.0+cpu", source = {{ registry = '
                f'"{cpu.url}" }}, marker = "sys_platform != \'linux\'" }}')
    gpu_edge = (f'{{ name = "torch", version = "2.7.0+cu128", source = {{ registry = '
                f'"{gpu.url}" }}, marker = "sys_platform == \'linux\'" }}')
    assert cpu_edge in lock and gpu_edge in lock
    assert ('{ name = "torch", marker = "sys_platform == \'linux\'", specifier = ">=2.7.0", '
            f'index = "{gpu.url}" }}') in lock
    assert 'name = "helper"' in lock  # the CUDA build's dependency, from the default index
    # An explicit index is asked only for the packages pinned to it.
    for index in (cpu, gpu):
        asked = {r.path for r in index.requests if r.path.startswith("/simple/")}
        assert asked == {"/simple/torch/"}, asked
    # The Linux environment installs the CUDA build, from its index.
    result = puv("sync", "--frozen", "--python", PYTHON, cwd=workdir,
                 env={"UV_DEFAULT_INDEX": pypi.url, "UV_PYTHON_DOWNLOADS": "never"})
    assert result.returncode == 0, result.stderr
    assert " + torch==2.7.0+cu128" in result.stderr


def test_complete_example_takes_every_build_from_the_explicit_index(indexes, puv,
                                                                    workdir: Path) -> None:
    cpu, gpu, pypi = indexes
    _project(workdir, 'torch = [\n    { index = "pytorch-cpu" },\n]', cpu, gpu)
    result = _lock(puv, workdir, pypi)
    assert result.returncode == 0, result.stderr
    lock = (workdir / "uv.lock").read_text()
    assert f'name = "torch"\nversion = "2.7.0+cpu"\nsource = {{ registry = "{cpu.url}" }}' \
        in lock
    assert "resolution-markers" not in lock
    assert not [r for r in pypi.requests if r.path == "/simple/torch/"]


EXTRAS_RECIPE = '''\
[project]
name = "project"
version = "0.1.0"
requires-python = ">=3.12.0"
dependencies = []

[project.optional-dependencies]
cpu = [
  "torch>=2.7.0",
]
cu128 = [
  "torch>=2.7.0",
]

[tool.uv]
conflicts = [
  [
    {{ extra = "cpu" }},
    {{ extra = "cu128" }},
  ],
]

[tool.uv.sources]
torch = [
  {{ index = "pytorch-cpu", extra = "cpu" }},
  {{ index = "pytorch-cu128", extra = "cu128" }},
]

[[tool.uv.index]]
name = "pytorch-cpu"
url = "{cpu}"
explicit = true

[[tool.uv.index]]
name = "pytorch-cu128"
url = "{gpu}"
explicit = true
'''


def test_extras_with_conflicts_choose_the_build(indexes, puv, workdir: Path,
                                                tmp_path: Path) -> None:
    """The seed's `puv sync --extra cpu` / `--extra cu128` recipe."""
    import os
    import subprocess

    from tests.lock.projects import find_uv

    cpu, gpu, pypi = indexes
    (workdir / "pyproject.toml").write_text(EXTRAS_RECIPE.format(cpu=cpu.url, gpu=gpu.url))
    result = _lock(puv, workdir, pypi)
    assert result.returncode == 0, result.stderr
    lock = (workdir / "uv.lock").read_text()
    assert ("conflicts = [[\n    { package = \"project\", extra = \"cpu\" },\n"
            "    { package = \"project\", extra = \"cu128\" },\n]]") in lock
    env = {"UV_DEFAULT_INDEX": pypi.url, "UV_PYTHON_DOWNLOADS": "never"}
    result = puv("sync", "--extra", "cpu", "--python", PYTHON, cwd=workdir, env=env)
    assert result.returncode == 0, result.stderr
    assert " + torch==2.7.0+cpu" in result.stderr
    result = puv("sync", "--extra", "cu128", cwd=workdir, env=env)
    assert result.returncode == 0, result.stderr
    assert " - torch==2.7.0+cpu" in result.stderr and " + torch==2.7.0+cu128" in result.stderr
    message = assert_clean_error(puv("sync", "--extra", "cpu", "--extra", "cu128",
                                     cwd=workdir, env=env), code=2)
    assert ("error: Extras `cpu` and `cu128` are incompatible with the declared conflicts: "
            "{`project[cpu]`, `project[cu128]`}") in message
    uv = find_uv()
    if uv is None:
        return
    # uv 0.13.8 writes the same lock for this project.
    theirs = tmp_path / "uv-project"
    theirs.mkdir()
    (theirs / "pyproject.toml").write_text((workdir / "pyproject.toml").read_text())
    done = subprocess.run([uv, "lock", "--python", PYTHON], cwd=theirs, capture_output=True,
                          text=True, check=False,
                          env={**os.environ, **env, "UV_CACHE_DIR": str(tmp_path / "c")})
    assert done.returncode == 0, done.stderr
    assert (theirs / "uv.lock").read_text() == lock


@pytest.mark.parametrize(("source", "code", "expected"), [
    ('torch = [\n  { index = "pytorch-cpu", marker = "sys_platform == \'linux\'" },\n'
     '  { index = "pytorch-cu128", marker = "python_version >= \'3.12\'" },\n]', 2,
     "Source markers must be disjoint, but the following markers overlap: "
     "`sys_platform == 'linux'` and `python_full_version >= '3.12'`."),
    ('torch = [{ index = "pytorch-cpu", extra = "gpu" }]', 1,
     "Source entry for `torch` only applies to extra `gpu`, but the `gpu` extra does not "
     "exist."),
    ('torch = { index = "pytorch-cu999" }', 1,
     "Package `torch` references an undeclared index: `pytorch-cu999`"),
])
def test_bad_sources_are_named_and_nothing_is_written(indexes, puv, workdir: Path,
                                                      source: str, code: int,
                                                      expected: str) -> None:
    cpu, gpu, pypi = indexes
    _project(workdir, source, cpu, gpu)
    before = (workdir / "pyproject.toml").read_text()
    message = assert_clean_error(_lock(puv, workdir, pypi), code=code)
    assert expected in message, message
    assert (workdir / "pyproject.toml").read_text() == before
    assert not (workdir / "uv.lock").exists()


def test_no_sources_takes_everything_from_the_default_index(indexes, puv,
                                                            workdir: Path) -> None:
    cpu, gpu, pypi = indexes
    _project(workdir, 'torch = [\n    { index = "pytorch-cpu" },\n]', cpu, gpu)
    result = puv("lock", "--no-sources", "--python", PYTHON, cwd=workdir,
                 env={"UV_DEFAULT_INDEX": pypi.url, "UV_PYTHON_DOWNLOADS": "never"})
    assert result.returncode == 0, result.stderr
    lock = (workdir / "uv.lock").read_text()
    assert f'name = "torch"\nversion = "2.7.0"\nsource = {{ registry = "{pypi.url}" }}' in lock
    assert "index =" not in lock
    assert not [r for r in cpu.requests if r.path.startswith("/simple/")]
