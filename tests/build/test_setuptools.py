"""Real setuptools builds, offline: the setuptools and wheel wheels that CPython ships for
its own tests (`test/wheeldata/`) or `ensurepip` bundles stand in for an index. Skipped on a
machine that has neither."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from puv.build import Builder, BuildError
from puv.cache import Cache
from puv.distribution import BuiltWheel, DirectoryDist, DistMetadata, Distributions
from puv.python.interpreter import Interpreter
from tests.support.builds import FakeBuildContext


def _find(prefix: str) -> Path | None:
    """The newest `<prefix>-*.whl` that some installed CPython ships."""
    roots = {Path(sys.base_prefix), *Path(sys.base_prefix).parent.glob("*")}
    found: list[Path] = []
    for root in roots:
        for pattern in (f"lib/python3*/test/wheeldata/{prefix}-*.whl",
                        f"lib/python3*/test/{prefix}-*.whl",
                        f"lib/python3*/ensurepip/_bundled/{prefix}-*-py3-none-any.whl"):
            found.extend(root.glob(pattern))
    return max(found, key=lambda p: p.name) if found else None


SETUPTOOLS = _find("setuptools")
WHEEL = _find("wheel")
pytestmark = pytest.mark.skipif(SETUPTOOLS is None or WHEEL is None,
                                reason="no setuptools and wheel wheels on this machine")


@pytest.fixture
def setuptools_context(tmp_path: Path, puv_cache: Cache) -> FakeBuildContext:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for wheel in (SETUPTOOLS, WHEEL):
        assert wheel is not None
        shutil.copy(wheel, wheels)
    return FakeBuildContext(wheels, puv_cache)


def legacy_project(directory: Path, body: str = "") -> Path:
    directory.mkdir()
    (directory / "setup.py").write_text(
        "from setuptools import setup\n" + body
        + "setup(name='legacy-pkg', version='0.3', install_requires=['b>=1'],"
        " py_modules=['legacy_pkg'])\n")
    (directory / "legacy_pkg.py").write_text("x = 1\n")
    return directory


def test_setup_py_project_builds_with_the_legacy_backend(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        setuptools_context: FakeBuildContext) -> None:
    tree = legacy_project(tmp_path / "legacy")
    distributions = Distributions(puv_cache, Builder(puv_cache, interpreter,
                                                     setuptools_context))
    result = distributions.metadata(DirectoryDist(path=str(tree)))
    assert isinstance(result, DistMetadata) and result.origin == "backend"
    assert (result.metadata.name, str(result.metadata.version)) == ("legacy-pkg", "0.3")
    assert [str(r) for r in result.metadata.requires_dist] == ["b>=1"]
    wheel = distributions.wheel(DirectoryDist(path=str(tree)))
    assert isinstance(wheel, BuiltWheel) and wheel.filename == "legacy_pkg-0.3-py3-none-any.whl"
    # The fallback's requirement, then what setuptools asked for on top.
    assert setuptools_context.resolved[0] == ["setuptools>=40.8.0"]


def test_failing_setup_py_reads_as_uv_says_it(
        tmp_path: Path, puv_cache: Cache, interpreter: Interpreter,
        setuptools_context: FakeBuildContext) -> None:
    tree = legacy_project(tmp_path / "broken", "import sys\nprint('configuring')\n"
                          "sys.exit('error: this package cannot be built here')\n")
    distributions = Distributions(puv_cache, Builder(puv_cache, interpreter,
                                                     setuptools_context))
    with pytest.raises(BuildError) as info:
        distributions.wheel(DirectoryDist(path=str(tree)))
    message = str(info.value)
    assert message.startswith(
        f"Failed to build `{tree.as_uri()}`\n"
        "  cause: The build backend returned an error\n"
        "  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel` "
        "failed (exit status: 1)\n\n[stdout]\nconfiguring\n\n[stderr]\n")
    assert message.endswith("error: this package cannot be built here")
    assert info.value.hint == ("This usually indicates a problem with the package or the "
                               "build environment.")
