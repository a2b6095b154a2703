"""`puv remove`: the `pyproject.toml` it writes, byte for byte what uv 0.13.8 writes (cases
recorded with `uv add/remove --frozen`), its errors and hints, and the whole flow."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands.project.test_add import (
    BARE,
    BASE,
    UNIVERSE,
    Case,
    indexed_project,
    installed,
    layout,
    lines,
    run_case,
)
from tests.conftest import Runner, assert_clean_error

CASES: dict[str, Case] = {
    'unsorted': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["b", "a"]
""",
        ['add c', 'add --dev c', 'remove b'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "a",
    "c",
]

[dependency-groups]
dev = [
    "c",
]
"""),
    'comments2': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [ # top
    "flask", # web
    # own line
    "zope",
    # end
]
""",
        ['add anyio', 'add httpx', 'add zzz', 'remove flask', 'remove zzz'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [ # top
    "anyio",
    # web
    # own line
    "httpx",
    "zope",
    # end
]
"""),
    'legacy-dev': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[tool.uv]
dev-dependencies = ["pytest>=8"]
""",
        ['add --dev ruff', 'add --group dev mypy', 'remove --dev pytest', 'remove --dev ruff'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[tool.uv]
dev-dependencies = []

[dependency-groups]
dev = [
    "mypy",
]
"""),
    'shared-source': Case(
        BARE,
        ['add --index a=https://a.example/simple pkg', 'add --group g pkg', 'remove --group g pkg', 'remove pkg'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[[tool.uv.index]]
name = "a"
url = "https://a.example/simple"

[dependency-groups]
g = []
"""),
    'sources-shared': Case(
        BARE,
        ['add --index a=https://a.example/simple pkg', 'add --dev pkg', 'remove pkg', 'remove --dev pkg'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[[tool.uv.index]]
name = "a"
url = "https://a.example/simple"

[dependency-groups]
dev = []
"""),
    'remove-errors': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["a>=1"]

[dependency-groups]
dev = ["b"]
lint = ["c"]

[project.optional-dependencies]
x = ["d", "c"]
""",
        ['remove zzz', 'remove b', 'remove c', 'remove d', 'remove --dev a', 'remove --group lint a', 'remove --optional x b', 'remove a zzz', 'remove --group dev a'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["a>=1"]

[dependency-groups]
dev = ["b"]
lint = ["c"]

[project.optional-dependencies]
x = ["d", "c"]
""",
        codes=[2, 2, 2, 2, 2, 2, 2, 2, 2]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_frozen_edits_are_what_uv_writes(puv: Runner, workdir: Path, name: str) -> None:
    run_case(puv, workdir, CASES[name])


GROUPED = BARE.replace("dependencies = []", 'dependencies = ["a>=1"]') + """
[dependency-groups]
dev = ["b"]
lint = ["c"]

[project.optional-dependencies]
x = ["d", "c"]
"""


@pytest.mark.parametrize(("arguments", "message"), [
    (["zzz"], "error: The dependency `zzz` could not be found in `project.dependencies`\n"),
    (["b"], "error: The dependency `b` could not be found in `project.dependencies`\n\n"
     "hint: `b` is in the `dev` group (try: `puv remove b --group dev`)\n"),
    (["c"], "error: The dependency `c` could not be found in `project.dependencies`\n\n"
     "hint: `c` is an optional dependency (try: `puv remove c --optional x`)\n\n"
     "hint: `c` is in the `lint` group (try: `puv remove c --group lint`)\n"),
    (["--dev", "a"], "error: The dependency `a` could not be found in "
     "`tool.uv.dev-dependencies` or `tool.uv.dependency-groups.dev`\n\n"
     "hint: `a` is a production dependency\n"),
    (["--group", "lint", "a"], "error: The dependency `a` could not be found in "
     "`dependency-groups.lint`\n\nhint: `a` is a production dependency\n"),
    (["--optional", "x", "b"], "error: The dependency `b` could not be found in "
     "`project.optional-dependencies.x`\n\n"
     "hint: `b` is in the `dev` group (try: `puv remove b --group dev`)\n"),
    (["a", "zzz"], "error: The dependency `zzz` could not be found in "
     "`project.dependencies`\n"),
])
def test_missing_dependency_names_where_it_is(puv: Runner, workdir: Path,
                                              arguments: list[str], message: str) -> None:
    path = layout(workdir, GROUPED)
    result = puv("remove", "--frozen", *arguments)
    assert_clean_error(result, code=2)
    assert result.stderr == message
    assert path.read_text() == GROUPED


def test_packages_are_required(puv: Runner, workdir: Path) -> None:
    layout(workdir, BARE)
    result = puv("remove", "--frozen")
    assert_clean_error(result, code=2)
    assert result.stderr.startswith("error: the following required arguments were not "
                                    "provided:\n  <PACKAGES>...\n")


def test_dev_conflicts_with_optional(puv: Runner, workdir: Path) -> None:
    layout(workdir, BARE)
    result = puv("remove", "--frozen", "--dev", "--optional", "x", "y")
    assert_clean_error(result, code=2)
    assert result.stderr.startswith(
        "error: the argument '--dev' cannot be used with '--optional <OPTIONAL>'\n")


def test_no_project_is_an_error(puv: Runner) -> None:
    result = puv("remove", "requests")
    assert_clean_error(result, code=2)
    assert result.stderr == ("error: No `pyproject.toml` found in current directory or any "
                             "parent directory\n")


# -- the whole flow -------------------------------------------------------------------------


@pytest.fixture
def index(package_index):  # type: ignore[no-untyped-def]
    return package_index(UNIVERSE)


def test_remove_takes_it_out_of_the_file_the_lock_and_the_environment(
        puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    original = path.read_text()
    assert puv("add", "alpha", "gamma", "-p", BASE).returncode == 0
    assert installed(workdir) == {"alpha": "2.0.0", "beta": "1.1.0", "gamma": "0.3.1"}
    result = puv("remove", "alpha", "-p", BASE)
    assert result.returncode == 0, result
    assert lines(result.stderr) == [
        "Resolved 2 packages in X",
        "Uninstalled 2 packages in X",
        " - alpha==2.0.0",
        " - beta==1.1.0",
    ]
    assert path.read_text() == original.replace("dependencies = []",
                                                'dependencies = [\n    "gamma>=0.3.1",\n]')
    lock = (workdir / "uv.lock").read_text()
    assert 'name = "alpha"' not in lock and 'name = "beta"' not in lock
    assert installed(workdir) == {"gamma": "0.3.1"}


def test_remove_no_sync_leaves_the_environment(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    indexed_project(workdir, index.url)
    assert puv("add", "gamma", "-p", BASE).returncode == 0
    result = puv("remove", "--no-sync", "gamma", "-p", BASE)
    assert result.returncode == 0, result
    assert 'name = "gamma"' not in (workdir / "uv.lock").read_text()
    assert installed(workdir) == {"gamma": "0.3.1"}


def test_remove_frozen_leaves_the_lock(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    indexed_project(workdir, index.url)
    assert puv("add", "--no-sync", "gamma", "-p", BASE).returncode == 0
    lock = (workdir / "uv.lock").read_bytes()
    assert puv("remove", "--frozen", "gamma").returncode == 0
    assert (workdir / "uv.lock").read_bytes() == lock
