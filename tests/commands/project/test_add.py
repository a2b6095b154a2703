"""`puv add`: the `pyproject.toml` it writes, byte for byte what uv 0.13.8 writes, and its
errors; then the whole flow (lock and sync) against the local test index.

The `CASES` were recorded by running the same commands through `uv add --frozen` / `uv remove
--frozen` (uv 0.13.8) in the same layout: `libs/inner` (a project named `Inner_Pkg`), an empty
`libs/sniffio-1.3.0-py3-none-any.whl`, and two requirements files (`REQS`, `REQS_E`).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Runner, assert_clean_error

BARE = """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []
"""

APP = """\
[project]
name = "app"
version = "0.1.0"
description = "Add your description here"
readme = "README.md"
authors = [
    { name = "Seed ee3f7ace maintainers", email = "maintainers@users.noreply.r-seed-ee3f7ace.example" }
]
requires-python = ">=3.12"
dependencies = []

[project.scripts]
app = "app:main"

[build-system]
requires = ["uv_build>=0.13.8,<0.14.0"]
build-backend = "uv_build"
"""

REQS = 'requests>=2\n# comment\nflask[async]; python_version >= "3.8"\n'
REQS_E = "-e ./libs/inner\nidna\n"


@dataclass(frozen=True)
class Case:
    """A `pyproject.toml`, commands run on it in turn (`--frozen` added), what uv left, and
    each command's exit status."""

    initial: str
    commands: list[str]
    expected: str
    codes: list[int] | None = None


def layout(root: Path, initial: str) -> Path:
    """The files the cases were recorded with; the path of `pyproject.toml`."""
    (root / "libs" / "inner").mkdir(parents=True)
    (root / "libs" / "inner" / "pyproject.toml").write_text(
        '[project]\nname = "Inner_Pkg"\nversion = "1"\n')
    (root / "libs" / "sniffio-1.3.0-py3-none-any.whl").write_bytes(b"")
    (root / "reqs.txt").write_text(REQS)
    (root / "reqs-e.txt").write_text(REQS_E)
    path = root / "pyproject.toml"
    path.write_bytes(initial.encode())
    return path


def run_case(puv: Runner, root: Path, case: Case) -> None:
    path = layout(root, case.initial)
    codes = case.codes or [0] * len(case.commands)
    for command, code in zip(case.commands, codes, strict=True):
        verb, *rest = shlex.split(command)
        result = puv(verb, "--frozen", *rest, cwd=root)
        if code:
            assert_clean_error(result, code=code)
        else:
            assert result.returncode == 0, result
    assert path.read_bytes().decode() == case.expected


CASES: dict[str, Case] = {
    'seed-sources': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
  "torch>=2.7.0",
  "torchvision>=0.22.0",
]

[tool.uv.sources]
torch = [
  { index = "pytorch-cu126", marker = "sys_platform == 'linux' or sys_platform == 'win32'" },
]
torchvision = [
  { index = "pytorch-cu126", marker = "sys_platform == 'linux' or sys_platform == 'win32'" },
]

[[tool.uv.index]]
name = "pytorch-cu126"
url = "https://download.pytorch.org/whl/cu126"
explicit = true
""",
        ['add torchaudio', 'add --index pytorch-cu126=https://download.pytorch.org/whl/cu126 torchaudio', 'remove torch', "add 'jinja2>=3'"],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
  "jinja2>=3",
  "torchaudio",
  "torchvision>=0.22.0",
]

[tool.uv.sources]
torchvision = [
  { index = "pytorch-cu126", marker = "sys_platform == 'linux' or sys_platform == 'win32'" },
]
torchaudio = { index = "pytorch-cu126" }

[[tool.uv.index]]
name = "pytorch-cu126"
url = "https://download.pytorch.org/whl/cu126"
explicit = true
"""),
    'basic': Case(
        BARE,
        ['add requests \'numpy>=1.21.0\' \'rich[jupyter]\' \'pywin32; sys_platform == \'"\'"\'win32\'"\'"\'\'', 'add --dev pytest', 'add --group lint ruff', 'add --optional cli click', 'add --raw attrs', 'add --bounds major six', 'add --marker \'python_version < \'"\'"\'3.13\'"\'"\'\' tomli', 'add --extra socks urllib3'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "attrs",
    "numpy>=1.21.0",
    "pywin32 ; sys_platform == 'win32'",
    "requests",
    "rich[jupyter]",
    "six",
    "tomli ; python_full_version < '3.13'",
    "urllib3[socks]",
]

[project.optional-dependencies]
cli = [
    "click",
]

[dependency-groups]
dev = [
    "pytest",
]
lint = [
    "ruff",
]
"""),
    'app-optional': Case(
        APP,
        ['add --optional cli click', 'add --optional cli rich', 'remove --optional cli click'],
        """\
[project]
name = "app"
version = "0.1.0"
description = "Add your description here"
readme = "README.md"
authors = [
    { name = "Seed ee3f7ace maintainers", email = "maintainers@users.noreply.r-seed-ee3f7ace.example" }
]
requires-python = ">=3.12"
dependencies = []

[project.scripts]
app = "app:main"

[project.optional-dependencies]
cli = [
    "rich",
]

[build-system]
requires = ["uv_build>=0.13.8,<0.14.0"]
build-backend = "uv_build"
"""),
    'app-index': Case(
        APP,
        ['add --index pt=https://download.pytorch.org/whl/cpu torch', 'add --index pt=https://download.pytorch.org/whl/cu128 torchvision', 'remove torch', 'remove torchvision'],
        """\
[project]
name = "app"
version = "0.1.0"
description = "Add your description here"
readme = "README.md"
authors = [
    { name = "Seed ee3f7ace maintainers", email = "maintainers@users.noreply.r-seed-ee3f7ace.example" }
]
requires-python = ">=3.12"
dependencies = []

[project.scripts]
app = "app:main"

[build-system]
requires = ["uv_build>=0.13.8,<0.14.0"]
build-backend = "uv_build"

[[tool.uv.index]]
name = "pt"
url = "https://download.pytorch.org/whl/cu128"
"""),
    'app-dev': Case(
        APP,
        ['add --dev pytest', 'add --group docs mkdocs', 'add --group alpha x', 'remove --dev pytest'],
        """\
[project]
name = "app"
version = "0.1.0"
description = "Add your description here"
readme = "README.md"
authors = [
    { name = "Seed ee3f7ace maintainers", email = "maintainers@users.noreply.r-seed-ee3f7ace.example" }
]
requires-python = ">=3.12"
dependencies = []

[project.scripts]
app = "app:main"

[build-system]
requires = ["uv_build>=0.13.8,<0.14.0"]
build-backend = "uv_build"

[dependency-groups]
alpha = [
    "x",
]
dev = []
docs = [
    "mkdocs",
]
"""),
    'indexes': Case(
        BARE,
        ['add --index a=https://a.example/simple --index b=https://b.example/simple pkg', 'add --default-index https://d.example/simple other', 'add --index https://b.example/simple/ third'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "other",
    "pkg",
    "third",
]

[[tool.uv.index]]
name = "b"
url = "https://b.example/simple/"

[[tool.uv.index]]
url = "https://d.example/simple"
default = true

[[tool.uv.index]]
name = "a"
url = "https://a.example/simple"
"""),
    'index-existing': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[[tool.uv.index]]
name = "old"
url = "https://old.example/simple"

[[tool.uv.index]]
name = "a"
url = "https://aold.example/simple"
explicit = true
""",
        ['add --index new=https://new.example/simple pkg', 'add --index a=https://a.example/simple pkg2', 'add --default-index https://d.example/simple pkg3'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "pkg",
    "pkg2",
    "pkg3",
]

[[tool.uv.index]]
url = "https://d.example/simple"
default = true

[[tool.uv.index]]
name = "a"
url = "https://a.example/simple"
explicit = true

[[tool.uv.index]]
name = "new"
url = "https://new.example/simple"

[tool.uv.sources]
pkg = { index = "new" }
pkg2 = { index = "a" }

[[tool.uv.index]]
name = "old"
url = "https://old.example/simple"
"""),
    'index-subtables': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[project.optional-dependencies]
x = []

[project.urls]
home = "h"

[tool.ruff]
line-length = 1
""",
        ['add --index a=https://a.example/simple pkg'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "pkg",
]

[project.optional-dependencies]
x = []

[[tool.uv.index]]
name = "a"
url = "https://a.example/simple"

[project.urls]
home = "h"

[tool.ruff]
line-length = 1

[tool.uv.sources]
pkg = { index = "a" }
"""),
    'tool-uv-first': Case(
        """\
[tool.uv]
package = false

[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []
""",
        ['add --index a=https://a.example/simple pkg', 'add --dev x'],
        """\
[tool.uv]
package = false

[tool.uv.sources]
pkg = { index = "a" }

[[tool.uv.index]]
name = "a"
url = "https://a.example/simple"

[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "pkg",
]

[dependency-groups]
dev = [
    "x",
]
"""),
    'git': Case(
        BARE,
        ['add \'requests @ git+https://github.com/psf/requests@v2.32.3\' \'idna @ git+https://github.com/kjd/idna\' \'foo @ git+https://github.com/x/foo@main#subdirectory=sub/dir\' \'bar[x] @ git+ssh://git@github.com/x/bar.git@abc123 ; sys_platform == \'"\'"\'linux\'"\'"\'\'', "add --tag v1 'baz @ git+https://github.com/x/baz'", 'add --branch dev requests', "add 'q2 @ git+https://user:pass@github.com/x/q2'"],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "bar[x] ; sys_platform == 'linux'",
    "baz",
    "foo",
    "idna",
    "q2",
    "requests",
]

[tool.uv.sources]
idna = { git = "https://github.com/kjd/idna" }
foo = { git = "https://github.com/x/foo", subdirectory = "sub/dir", rev = "main" }
bar = { git = "ssh://git@github.com/x/bar.git", rev = "abc123" }
baz = { git = "https://github.com/x/baz", tag = "v1" }
requests = { git = "https://github.com/psf/requests", branch = "dev" }
q2 = { git = "https://github.com/x/q2" }
"""),
    'git-errors': Case(
        BARE,
        ['add --tag v1 requests', 'add --editable requests'],
        BARE,
        codes=[2, 2]),
    'urls': Case(
        BARE,
        ["add 'https://example.com/x-1.0-py3-none-any.whl#sha256=abcdef' 'https://example.com/y-1.0.tar.gz#subdirectory=sub' 'z @ https://example.com/z-2.0.tar.gz'"],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "x",
    "y",
    "z",
]

[tool.uv.sources]
z = { url = "https://example.com/z-2.0.tar.gz" }
x = { url = "https://example.com/x-1.0-py3-none-any.whl" }
y = { url = "https://example.com/y-1.0.tar.gz", subdirectory = "sub" }
"""),
    'paths-local': Case(
        BARE,
        ['add --no-workspace ./libs/inner', 'add --editable --no-workspace libs/inner', 'add libs/sniffio-1.3.0-py3-none-any.whl'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "inner-pkg",
    "sniffio",
]

[tool.uv.sources]
inner-pkg = { path = "libs/inner", editable = true }
sniffio = { path = "libs/sniffio-1.3.0-py3-none-any.whl" }
"""),
    'workspace': Case(
        BARE,
        ['add ./libs/inner'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "inner-pkg",
]

[tool.uv.workspace]
members = [
    "libs/inner",
]

[tool.uv.sources]
inner-pkg = { workspace = true }
"""),
    'raw': Case(
        BARE,
        ["add --raw 'x @ https://example.com/x-1.0-py3-none-any.whl' 'y>=1,<2' 'Foo_Bar[B]'"],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "foo-bar[b]",
    "x @ https://example.com/x-1.0-py3-none-any.whl",
    "y>=1,<2",
]
"""),
    'sorted-variants': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["Flask", "anyio"]
""",
        ['add click', 'add Django', "add 'aaa>=1'"],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "Flask",
    "aaa>=1",
    "anyio",
    "click",
    "django",
]
"""),
    'split-specifiers': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["pkg>=1", "pkg-b"]
""",
        ['add pkg-a', "add 'pkg-c<2'"],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "pkg>=1",
    "pkg-a",
    "pkg-b",
    "pkg-c<2",
]
"""),
    'update': Case(
        BARE,
        ['add requests', "add 'requests>=2'", "add 'requests[socks]'", 'add \'requests ; sys_platform == \'"\'"\'linux\'"\'"\'\'', 'add \'requests>=3 ; sys_platform == \'"\'"\'linux\'"\'"\'\''],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "requests>=3 ; sys_platform == 'linux'",
    "requests[socks]>=2",
]
"""),
    'comments': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
  # web
  "anyio",  # async
  "zlib-ng",
] # trailing

[tool.other]
x = 1
""",
        ['add idna', 'remove anyio', 'add aaa', 'remove zlib-ng'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
  "aaa",
  # web
  # async
  "idna",
] # trailing

[tool.other]
x = 1
"""),
    'no-trailing-comma': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "a",
    "c" # last
]
""",
        ['add b', 'add d'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "a",
    "b",
    "c", # last
    "d",
]
"""),
    'odd-indent': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
  "a",
  # own
]
""",
        ['add b'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
  "a",
  # own
  "b",
]
"""),
    'include-group': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[dependency-groups]
dev = ["a", {include-group = "lint"}]
lint = ["z"]
""",
        ['add --dev b', 'add --dev 0first', 'add --group lint y'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[dependency-groups]
dev = [
    "0first",
    "a",
    "b",
    {include-group = "lint"},
]
lint = [
    "y",
    "z",
]
"""),
    'source-update': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[tool.uv.sources]
foo = { path = "x" }
bar = { git = "https://github.com/a/bar" }
""",
        ["add 'foo @ https://example.com/foo-1.0.tar.gz'", 'add --tag v2 bar'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "bar",
    "foo",
]

[tool.uv.sources]
foo = { url = "https://example.com/foo-1.0.tar.gz" }
bar = { git = "https://github.com/a/bar", tag = "v2" }
"""),
    'groups-unsorted-keys': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[dependency-groups]
z = []
a = []
""",
        ['add --group m x'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[dependency-groups]
z = []
a = []
m = [
    "x",
]
"""),
    'groups-sorted-keys': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[dependency-groups]
a = []
z = []
""",
        ['add --group m x', 'add --dev y'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[dependency-groups]
a = []
dev = [
    "y",
]
m = [
    "x",
]
z = []
"""),
    'case-insensitive-update': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["Requests>=1"]
""",
        ["add 'requests[socks]'", 'add --extra x requests'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "requests[socks,x]>=1",
]
"""),
    'extras-existing': Case(
        BARE,
        ["add 'rich[b]'", "add 'rich[a]'"],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "rich[a,b]",
]
"""),
    'blank-lines': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []



[tool.other]
x = 1
""",
        ['add --dev a', 'add --index i=https://i.example/simple b', 'remove b'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []



[tool.other]
x = 1

[[tool.uv.index]]
name = "i"
url = "https://i.example/simple"

[dependency-groups]
dev = [
    "a",
]
"""),
    'comment-before-table': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

# about other
[tool.other]
x = 1
""",
        ['add --dev a', 'add --optional e b'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[project.optional-dependencies]
e = [
    "b",
]

# about other
[tool.other]
x = 1

[dependency-groups]
dev = [
    "a",
]
"""),
    'trailing-comment': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

# end
""",
        ['add x', 'add --index a=https://a.example/simple y'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "x",
    "y",
]

[tool.uv.sources]
y = { index = "a" }

[[tool.uv.index]]
name = "a"
url = "https://a.example/simple"

# end
"""),
    'marker-combine': Case(
        BARE,
        ['add --marker \'sys_platform == \'"\'"\'linux\'"\'"\'\' \'a; python_version >= \'"\'"\'3.8\'"\'"\'\' b'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "a ; python_full_version >= '3.8' and sys_platform == 'linux'",
    "b ; sys_platform == 'linux'",
]
"""),
    'crlf': Case(
        '[project]\r\nname = "q"\r\nversion = "0.1.0"\r\nrequires-python = ">=3.12"\r\ndependencies = []\r\n\r\n[tool.x]\r\na = 1\r\n',
        ['add x'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "x",
]

[tool.x]
a = 1
"""),
    'no-newline': Case(
        '[project]\nname = "q"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = []',
        ['add x'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "x",
]
"""),
    'empty-groups': Case(
        BARE,
        ['add -r /dev/null --group g', 'add -r /dev/null --optional o'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[project.optional-dependencies]
o = []

[dependency-groups]
g = []
"""),
    'reqs': Case(
        BARE,
        ['add -r reqs.txt', 'add -r reqs-e.txt --dev'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "flask[async] ; python_full_version >= '3.8'",
    "requests>=2",
]

[tool.uv.workspace]
members = [
    "libs/inner",
]

[tool.uv.sources]
inner-pkg = { workspace = true }

[dependency-groups]
dev = [
    "idna",
    "inner-pkg",
]
"""),
    'version-normalize': Case(
        BARE,
        ["add 'a>=1.0.0-alpha1' 'b==1.0.*' 'c~=1.2' 'e (>=1,<2)'"],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "a>=1.0.0a1",
    "b==1.0.*",
    "c~=1.2",
    "e>=1,<2",
]
"""),
    'virtual-root': Case(
        """\
[dependency-groups]
dev = []
""",
        ['add x', 'add --dev x', 'add --group g y', 'add --optional o z'],
        """\
[dependency-groups]
dev = [
    "x",
]
g = [
    "y",
]
""",
        codes=[2, 0, 0, 2]),
    'self-dep': Case(
        BARE,
        ['add q', 'add --optional x q', 'add --dev q'],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[project.optional-dependencies]
x = [
    "q",
]

[tool.uv.sources]
q = { workspace = true }

[dependency-groups]
dev = [
    "q",
]
""",
        codes=[2, 0, 0]),
    'ambiguous': Case(
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["a>=1", "a<3"]
""",
        ["add 'a>=2'"],
        """\
[project]
name = "q"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["a>=1", "a<3"]
""",
        codes=[2]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_frozen_edits_are_what_uv_writes(puv: Runner, workdir: Path, name: str) -> None:
    run_case(puv, workdir, CASES[name])


# -- errors: uv's words, status 2, nothing written -------------------------------------------


def test_no_project_is_an_error(puv: Runner) -> None:
    result = puv("add", "--frozen", "requests")
    assert_clean_error(result, code=2)
    assert result.stderr == ("error: No `pyproject.toml` found in current directory or any "
                             "parent directory\n")


def test_invalid_requirement_names_it_and_changes_nothing(puv: Runner, workdir: Path) -> None:
    path = layout(workdir, BARE)
    result = puv("add", "--frozen", "requests", "six>==")
    assert_clean_error(result, code=2)
    assert result.stderr.startswith("error: Failed to parse: `six>==`\n")
    assert path.read_text() == BARE


@pytest.mark.parametrize(("flags", "message"), [
    (["--dev", "--group", "x"], "the argument '--dev' cannot be used with '--group <GROUP>'"),
    (["--optional", "x", "--group", "y"],
     "the argument '--optional <OPTIONAL>' cannot be used with '--group <GROUP>'"),
    (["--frozen", "--locked"], "the argument '--frozen' cannot be used with '--locked'"),
    (["--tag", "a", "--branch", "b"],
     "the argument '--tag <TAG>' cannot be used with '--branch <BRANCH>'"),
])
def test_conflicting_flags(puv: Runner, workdir: Path, flags: list[str], message: str) -> None:
    layout(workdir, BARE)
    result = puv("add", *flags, "x")
    assert_clean_error(result, code=2)
    assert result.stderr.startswith(f"error: {message}\n")


def test_packages_or_requirements_are_required(puv: Runner, workdir: Path) -> None:
    layout(workdir, BARE)
    result = puv("add", "--frozen")
    assert_clean_error(result, code=2)
    assert result.stderr.startswith("error: the following required arguments were not "
                                    "provided:\n  <PACKAGES|--requirements <REQUIREMENTS>>\n")


def test_self_dependency_is_refused(puv: Runner, workdir: Path) -> None:
    path = layout(workdir, BARE)
    result = puv("add", "--frozen", "Q")
    assert_clean_error(result, code=2)
    assert result.stderr == (
        "error: Requirement name `q` matches project name `q`, but self-dependencies are not "
        "permitted without the `--dev` or `--optional` flags. If your project name (`q`) is "
        "shadowing that of a third-party dependency, consider renaming the project.\n")
    assert path.read_text() == BARE


def test_git_reference_for_a_registry_package(puv: Runner, workdir: Path) -> None:
    layout(workdir, BARE)
    result = puv("add", "--frozen", "--tag", "v1", "requests")
    assert_clean_error(result, code=2)
    assert result.stderr == ("error: `requests` did not resolve to a Git repository, but a Git "
                             "reference (`--tag v1`) was provided.\n")


def test_editable_registry_package(puv: Runner, workdir: Path) -> None:
    layout(workdir, BARE)
    result = puv("add", "--frozen", "--editable", "requests")
    assert_clean_error(result, code=2)
    assert result.stderr == (
        "error: `requests` did not resolve to a local directory, but the `--editable` flag was "
        "provided. Editable installs are only supported for local directories.\n")


def test_virtual_root_takes_only_groups(puv: Runner, workdir: Path) -> None:
    path = layout(workdir, "[dependency-groups]\ndev = []\n")
    result = puv("add", "--frozen", "x")
    assert_clean_error(result, code=2)
    assert result.stderr == (
        "error: Project is missing a `[project]` table; add a `[project]` table to use "
        "production dependencies, or run `puv add --dev` instead\n")
    assert puv("add", "--frozen", "--dev", "x").returncode == 0
    assert path.read_text() == '[dependency-groups]\ndev = [\n    "x",\n]\n'


def test_workspace_member_is_announced(puv: Runner, workdir: Path) -> None:
    layout(workdir, BARE)
    result = puv("add", "--frozen", "./libs/inner")
    assert result.returncode == 0, result
    assert result.stderr == "Added `libs/inner` to workspace members\n"


def test_package_edits_the_member(puv: Runner, workdir: Path) -> None:
    root = layout(workdir, BARE + '\n[tool.uv.workspace]\nmembers = ["libs/*"]\n')
    member = workdir / "libs" / "inner" / "pyproject.toml"
    assert puv("add", "--frozen", "--package", "inner-pkg", "x").returncode == 0
    assert puv("add", "--frozen", "--package", "inner-pkg", "--dev", "y").returncode == 0
    assert member.read_text() == (
        '[project]\nname = "Inner_Pkg"\nversion = "1"\ndependencies = [\n    "x",\n]\n\n'
        '[dependency-groups]\ndev = [\n    "y",\n]\n')
    assert root.read_text() == BARE + '\n[tool.uv.workspace]\nmembers = ["libs/*"]\n'
    result = puv("add", "--frozen", "--package", "nope", "z")
    assert_clean_error(result, code=2)
    assert result.stderr == f"error: The workspace does not have a member nope: {workdir}\n"


def test_index_url_is_not_persisted(puv: Runner, workdir: Path) -> None:
    path = layout(workdir, BARE)
    result = puv("add", "--frozen", "--index-url", "https://i.example/simple",
                 "--extra-index-url", "https://e.example/simple", "pkg")
    assert result.returncode == 0, result
    assert result.stderr == (
        "warning: Indexes specified via `--index-url` will not be persisted to the "
        "`pyproject.toml` file; use `--default-index` instead.\n"
        "warning: Indexes specified via `--extra-index-url` will not be persisted to the "
        "`pyproject.toml` file; use `--index` instead.\n")
    assert "[[tool.uv.index]]" not in path.read_text()


# -- the whole flow: lock, bounds, sync, restore ----------------------------------------------

BASE = os.path.realpath(getattr(sys, "_base_executable", sys.executable))

UNIVERSE = {
    "alpha": {"1.0.0": {}, "2.0.0": {"requires": ["beta>=1"]}},
    "beta": ["1.0.0", "1.1.0"],
    "gamma": ["0.3.1"],
}


@pytest.fixture
def index(package_index):  # type: ignore[no-untyped-def]
    return package_index(UNIVERSE)


def indexed_project(root: Path, url: str) -> Path:
    """A project without a build system whose default index is the test index."""
    path = root / "pyproject.toml"
    path.write_text(BARE.replace(">=3.12", ">=3.10") + f"""
[[tool.uv.index]]
url = "{url}"
default = true
""")
    return path


def site_packages(root: Path) -> Path:
    found = sorted((root / ".venv" / "lib").glob("python*/site-packages"))
    assert found, "no environment"
    return found[0]


def installed(root: Path) -> dict[str, str]:
    found = {}
    for info in site_packages(root).glob("*.dist-info"):
        name, version = info.name[: -len(".dist-info")].rsplit("-", 1)
        found[name.lower()] = version
    return found


def lines(stderr: str) -> list[str]:
    """stderr with timings and the interpreter's path blanked."""
    text = re.sub(r" in [0-9.]+m?s", " in X", stderr)
    return re.sub(r"interpreter at: .*", "interpreter at: X", text).splitlines()


def test_add_locks_bounds_and_syncs(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    result = puv("add", "alpha", "-p", BASE)
    assert result.returncode == 0, result
    assert '    "alpha>=2.0.0",\n' in path.read_text()
    lock = (workdir / "uv.lock").read_text()
    assert 'name = "alpha"\nversion = "2.0.0"' in lock
    assert 'name = "beta"\nversion = "1.1.0"' in lock
    assert '{ name = "alpha", specifier = ">=2.0.0" }' in lock
    assert installed(workdir) == {"alpha": "2.0.0", "beta": "1.1.0"}
    assert lines(result.stderr)[1:] == [
        "Creating virtual environment at: .venv",
        "Resolved 3 packages in X",
        "Prepared 2 packages in X",
        "Installed 2 packages in X",
        " + alpha==2.0.0",
        " + beta==1.1.0",
    ]


def test_no_sync_locks_without_an_environment(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    result = puv("add", "--no-sync", "--bounds", "major", "alpha", "gamma", "-p", BASE)
    assert result.returncode == 0, result
    assert '    "alpha>=2.0.0,<3.0.0",\n    "gamma>=0.3.1,<0.4.0",\n' in path.read_text()
    assert (workdir / "uv.lock").is_file()
    assert not (workdir / ".venv").exists()


def test_bounds_only_for_new_unconstrained_registry_requirements(
        puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    result = puv("add", "--no-sync", "--bounds", "exact", "alpha<2", "gamma", "-p", BASE)
    assert result.returncode == 0, result
    assert "note: Using explicit requirement `alpha<2` over bounds preference `exact`" \
        in result.stderr
    assert '    "alpha<2",\n    "gamma==0.3.1",\n' in path.read_text()
    assert puv("add", "--no-sync", "--raw", "beta", "-p", BASE).returncode == 0
    assert '    "beta",\n' in path.read_text()
    assert puv("add", "--no-sync", "gamma", "-p", BASE).returncode == 0  # an update
    assert '    "gamma==0.3.1",\n' in path.read_text()


def test_unsatisfiable_add_restores_both_files(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    assert puv("add", "--no-sync", "gamma", "-p", BASE).returncode == 0
    before = path.read_bytes(), (workdir / "uv.lock").read_bytes()
    result = puv("add", "--no-sync", "alpha==9", "-p", BASE)
    assert_clean_error(result, code=1)
    assert result.stderr.startswith(
        "error: Failed to add dependencies\n"
        "  cause: No solution found when resolving dependencies\n"
        "  cause: Because there is no version of alpha==9 and your project depends on "
        "alpha==9, we can conclude that your project's requirements are unsatisfiable.\n")
    assert result.stderr.endswith(
        "\n\nhint: If you want to add the package regardless of the failed resolution, "
        "provide the `--frozen` flag to skip locking and syncing\n")
    assert (path.read_bytes(), (workdir / "uv.lock").read_bytes()) == before


def test_standard_library_module_gets_a_hint(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    before = path.read_bytes()
    result = puv("add", "--no-sync", "json", "-p", BASE)
    assert_clean_error(result, code=1)
    assert result.stderr.endswith(
        "hint: The module `json` is included in the Python standard library and usually "
        "should not be added as a dependency\n\n"
        "hint: If you want to add the package regardless of the failed resolution, provide "
        "the `--frozen` flag to skip locking and syncing\n")
    assert path.read_bytes() == before
    assert not (workdir / "uv.lock").exists()


def test_locked_refuses_a_changing_lock(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    assert puv("add", "--no-sync", "gamma", "-p", BASE).returncode == 0
    before = path.read_bytes(), (workdir / "uv.lock").read_bytes()
    result = puv("add", "--locked", "alpha", "-p", BASE)
    assert_clean_error(result, code=1)
    assert "needs to be updated, but `--locked` was provided" in result.stderr
    assert (path.read_bytes(), (workdir / "uv.lock").read_bytes()) == before


def test_dev_dependency_is_installed(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    result = puv("add", "--dev", "gamma", "-p", BASE)
    assert result.returncode == 0, result
    assert '[dependency-groups]\ndev = [\n    "gamma>=0.3.1",\n]\n' in path.read_text()
    assert installed(workdir) == {"gamma": "0.3.1"}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_unnamed_git_requirement_is_named_from_its_metadata(puv: Runner, workdir: Path,
                                                            tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    repository.mkdir()
    (repository / "pyproject.toml").write_text('[project]\nname = "Git_Pkg"\nversion = "1.0"\n')
    git = ["git", "-c", "user.email=a@b.c", "-c", "user.name=n", "-C", str(repository)]
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "init"], ["tag", "v1"]):
        subprocess.run(git + command, check=True, capture_output=True)
    path = layout(workdir, BARE)
    result = puv("add", "--frozen", f"git+{repository.as_uri()}@v1", "-p", BASE)
    assert result.returncode == 0, result
    assert path.read_text() == BARE.replace("dependencies = []", (
        'dependencies = [\n    "git-pkg",\n]')) + (
        f'\n[tool.uv.sources]\ngit-pkg = {{ git = "{repository.as_uri()}", rev = "v1" }}\n')
    assert puv("add", "--frozen", "--tag", "v2", "git-pkg").returncode == 0
    assert f'git-pkg = {{ git = "{repository.as_uri()}", tag = "v2" }}\n' in path.read_text()
