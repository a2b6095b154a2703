"""The edit model against uv itself: the same edits through `uv add/remove --frozen`
and through `PyProjectEditor` must leave the same bytes. Skipped unless a uv
binary is found (`PUV_COMPARE_UV`, else `/tmp/scratch/bin/uv`) with a Python 3.12."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from puv.workspace.edit import PROJECT, DependencyTarget, PyProjectEditor, group, optional

UV = os.environ.get("PUV_COMPARE_UV", "/tmp/scratch/bin/uv")
PYTHON = "/root/.pyenv/versions/3.12.1/bin/python3"

pytestmark = pytest.mark.skipif(not (os.path.isfile(UV) and os.path.isfile(PYTHON)),
                                reason="uv (or its Python) is not available to compare with")

HEAD = '[project]\nname = "ed"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'

# (initial pyproject, [(op, target flags, arguments)])
SCENARIOS = {
    "empty": (HEAD + "dependencies = []\n", [
        ("add", [], ["requests"]), ("add", [], ["numpy>=1.21.0"]),
        ("add", [], ['Flask[async]>=2; python_version >= "3.8"']),
        ("add", [], ["requests>=2.30,<3"]), ("add", [], ["Foo_Bar[B, a] >= 1.0 , < 2"]),
        ("add", [], ["foo-bar[c]", "y (>=1,<2)"]), ("remove", [], ["requests", "numpy"]),
        ("remove", [], ["flask"]),
    ]),
    "no-key": (HEAD, [("add", [], ["idna", "anyio"])]),
    "single-line-unsorted": (HEAD + 'dependencies = ["zlib-ng", "anyio"]\n', [
        ("add", [], ["idna"]), ("remove", [], ["zlib-ng"]),
    ]),
    "comments": (HEAD + 'dependencies = [\n  # web\n  "anyio",  # async\n  "zlib-ng",\n]'
                 " # trailing\n\n[tool.other]\nx = 1\n", [
        ("add", [], ["idna"]), ("remove", [], ["anyio"]), ("add", [], ["aaa"]),
        ("remove", [], ["zlib-ng"]),
    ]),
    "end-comment": (HEAD + 'dependencies = [\n    "a",\n    # end comment\n]\n', [
        ("add", [], ["b"]), ("remove", [], ["a", "b"]),
    ]),
    "groups-and-extras": (HEAD + "dependencies = []\n", [
        ("add", ["--dev"], ["pytest"]), ("add", ["--optional", "cpu"], ["torch", "torchvision"]),
        ("add", ["--group", "lint"], ["ruff"]), ("remove", ["--group", "lint"], ["ruff"]),
        ("remove", ["--optional", "cpu"], ["torch"]),
    ]),
    "markers": (HEAD + "dependencies = []\n", [
        ("add", [], ['jax; sys_platform == "linux" and python_version < "3.13"']),
        ("add", [], ['pywin32; platform_system == "Windows"']),
    ]),
}


def _target(flags: list[str]) -> DependencyTarget:
    if not flags:
        return PROJECT
    if flags[0] == "--dev":
        return group("dev")
    if flags[0] == "--group":
        return group(flags[1])
    return optional(flags[1])


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_edits_match_uv(scenario: str, tmp_path: Path) -> None:
    initial, steps = SCENARIOS[scenario]
    path = tmp_path / "pyproject.toml"
    path.write_text(initial)
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_CACHE_DIR": str(tmp_path / "c"),
           "NO_COLOR": "1"}
    editor = PyProjectEditor.parse(initial)
    for op, flags, arguments in steps:
        subprocess.run([UV, op, "--frozen", "--python", PYTHON, *flags,
                        *arguments], cwd=tmp_path, env=env, check=True,
                       capture_output=True)
        for argument in arguments:
            if op == "add":
                editor.add_requirement(argument, _target(flags))
            else:
                editor.remove_requirement(argument, _target(flags))
        assert editor.text() == path.read_text(), (op, flags, arguments)
