"""Scratch projects whose `uv.lock` files are the round-trip fixtures, and the index they use.

`python -m tests.lock.projects [UV [NAME ...]]` locks every project (or those named) with uv against a local index and
stores `tests/lock/fixtures/<name>/` (the project files and the `uv.lock`, with the index's
random port replaced by `INDEX_PLACEHOLDER`). `tests/lock/test_uv_roundtrip.py` does the same
on the fly when uv is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
INDEX_PLACEHOLDER = "http://127.0.0.1:9/"
UV_VERSION = "0.13.8"
_PYTHON = Path("/root/.pyenv/versions/3.12.1/bin/python3")
PYTHON = str(_PYTHON) if _PYTHON.is_file() else sys.executable

SDIST = {"sdist": True}
DESCRIPTION: dict[str, Any] = {
    "alpha": {
        "1.0.0": {**SDIST, "upload_time": "2024-03-10T09:39:28.330Z"},
        "2.0.0": {**SDIST, "requires": ["beta>=1"], "upload_time": "2025-10-18T16:21:07.655Z"},
    },
    "beta": {
        "1.0.0": {
            "wheel_tags": [
                "cp312-cp312-manylinux_2_17_x86_64",
                "cp312-cp312-win_amd64",
                "py3-none-any",
            ],
        },
        "1.1.0rc1": {},
    },
    "gamma": {
        "1.0.0": {},
        "2.0.0": {"requires_python": ">=3.11"},
    },
    "delta": {"1.0.0": {"extras": {"x": ["gamma"], "y": ["beta; sys_platform == 'linux'"]}}},
    "epsilon": {"1.0.0": {"sdist": True, "wheel": False}},
    "winonly": ["1.0.0"],
}

HATCH = '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'

PROJECTS: dict[str, dict[str, str]] = {
    "plain": {
        "pyproject.toml": """\
[project]
name = "Plain_App"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["alpha>=1", "delta[x]"]

[project.optional-dependencies]
old = ["epsilon"]
new = ["beta>=1.0; sys_platform != 'win32'"]
socks = []

[dependency-groups]
dev = ["beta"]
lint = [{include-group = "dev"}, "epsilon"]
empty = []
"""
        + HATCH,
    },
    "markers": {
        "pyproject.toml": """\
[project]
name = "markers"
version = "1.2.3"
requires-python = ">=3.9"
dependencies = [
    "winonly; sys_platform == 'win32'",
    "gamma<2; python_version < '3.11'",
    "gamma>=2; python_version >= '3.11'",
    "delta[x,y]",
]
""",
    },
    "sources": {
        "pyproject.toml": """\
[project]
name = "sources"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["dirlib", "editlib", "virtlib", "alpha", "beta @ {files}beta-1.0.0-py3-none-any.whl"]

[tool.uv.sources]
dirlib = { path = "libs/dirlib" }
editlib = { path = "libs/editlib", editable = true }
virtlib = { path = "libs/virtlib" }
"""
        + HATCH,
        "libs/dirlib/pyproject.toml": '[project]\nname = "dirlib"\nversion = "1.0"\n'
        'dependencies = ["gamma"]\n' + HATCH,
        "libs/editlib/pyproject.toml": '[project]\nname = "editlib"\nversion = "2.0"\n'
        'dependencies = ["epsilon"]\n' + HATCH,
        "libs/virtlib/pyproject.toml": '[project]\nname = "virtlib"\nversion = "3.0"\n'
        "dependencies = []\n\n[tool.uv]\npackage = false\n",
    },
    "workspace": {
        "pyproject.toml": """\
[project]
name = "root-app"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["member-a", "alpha"]

[tool.uv.sources]
member-a = { workspace = true }

[tool.uv.workspace]
members = ["packages/*"]

[tool.uv]
environments = ["sys_platform == 'linux'", "sys_platform == 'darwin'"]
required-environments = ["sys_platform == 'darwin' and platform_machine == 'arm64'"]
constraint-dependencies = ["gamma<3"]
override-dependencies = ["beta>=1"]
build-constraint-dependencies = ["setuptools<80"]
resolution = "lowest-direct"
prerelease = "allow"
exclude-newer = "2026-01-01T00:00:00Z"

[[tool.uv.dependency-metadata]]
name = "epsilon"
version = "1.0.0"
requires-dist = ["gamma"]
""",
        "packages/member-a/pyproject.toml": '[project]\nname = "member-a"\nversion = "0.2.0"\n'
        'requires-python = ">=3.12"\ndependencies = ["beta", "epsilon"]\n' + HATCH,
        "packages/member-b/pyproject.toml": '[project]\nname = "member-b"\nversion = "0.3.0"\n'
        'requires-python = ">=3.10"\ndependencies = ["delta[y]"]\n',
    },
    "conflicts": {
        "pyproject.toml": """\
[project]
name = "p3"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["delta"]

[project.optional-dependencies]
old = ["alpha==1.0.0"]
new = ["alpha==2.0.0"]

[dependency-groups]
g1 = ["beta==1.1.0rc1"]
g2 = ["beta==1.0.0"]

[tool.uv]
conflicts = [
    [{ extra = "old" }, { extra = "new" }],
    [{ group = "g1" }, { group = "g2" }],
]
"""
        + HATCH,
    },
    "packages": {
        # Conflicts between whole members (uv's preview `package-conflicts`), and a member
        # without `[build-system]` that another member depends on (so built, editable).
        "pyproject.toml": """\
[project]
name = "root"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []

[project.optional-dependencies]
x = ["alpha"]

[tool.uv.workspace]
members = ["a", "b", "c"]

[tool.uv]
conflicts = [[{ package = "a" }, { package = "b" }]]
""",
        "a/pyproject.toml": '[project]\nname = "a"\nversion = "0.1.0"\n'
        'requires-python = ">=3.12"\ndependencies = ["alpha==2.0.0", "c"]\n\n'
        '[project.optional-dependencies]\ne = ["delta"]\n\n[dependency-groups]\n'
        'dev = ["gamma"]\n\n[tool.uv.sources]\nc = { workspace = true }\n',
        "b/pyproject.toml": '[project]\nname = "b"\nversion = "0.1.0"\n'
        'requires-python = ">=3.12"\ndependencies = ["alpha==1.0.0"]\n\n'
        '[dependency-groups]\ndev = ["beta==1.0.0"]\n',
        "c/pyproject.toml": '[project]\nname = "c"\nversion = "0.1.0"\n'
        'requires-python = ">=3.12"\ndependencies = ["gamma"]\n',
    },
    "nonproject": {
        "pyproject.toml": """\
[tool.uv.workspace]
members = ["app"]

[tool.uv]
dev-dependencies = ["winonly"]

[dependency-groups]
docs = ["epsilon"]
""",
        "app/pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\n'
        'requires-python = ">=3.11"\ndependencies = ["alpha<2"]\n',
    },
    "relative": {
        "pyproject.toml": """\
[project]
name = "relative"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["alpha", "beta"]

[tool.uv]
exclude-newer = "1 week"
exclude-newer-package = { alpha = "2025-01-01T00:00:00Z", beta = false }
prerelease = "explicit"
""",
    },
    "indexes": {
        "pyproject.toml": """\
[project]
name = "indexes"
version = "0.1.0"
requires-python = ">=3.12.0, <4"
dependencies = ["gamma"]

[project.optional-dependencies]
cpu = ["alpha>=1"]
gpu = ["alpha>=1"]

[tool.uv]
conflicts = [[{ extra = "cpu" }, { extra = "gpu" }]]

[tool.uv.sources]
gamma = { index = "pinned" }
alpha = [
    { index = "cpu", extra = "cpu" },
    { index = "gpu", extra = "gpu" },
]

[[tool.uv.index]]
name = "pinned"
url = "{simple}"
explicit = true

[[tool.uv.index]]
name = "cpu"
url = "{simple}"
explicit = true

[[tool.uv.index]]
name = "gpu"
url = "{simple_no_slash}"
explicit = true
""",
    },
    "fewest": {
        "pyproject.toml": """\
[project]
name = "fewest"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = [
    "gamma<2; python_version < '3.11'",
    "gamma>=2; python_version >= '3.11'",
    "delta[y]",
    "alpha",
]

[tool.uv]
fork-strategy = "fewest"
resolution = "lowest"
exclude-dependencies = ["beta"]
exclude-newer = "2030-01-01T00:00:00Z"
exclude-newer-package = { alpha = "3 days" }
""",
    },
    "files": {
        "pyproject.toml": """\
[project]
name = "files"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["gamma", "epsilon"]

[tool.uv.sources]
gamma = { path = "dist/gamma-2.0.0-py3-none-any.whl" }
epsilon = { path = "dist/epsilon-1.0.0.tar.gz" }
""",
    },
    "script": {
        "s.py": """\
# /// script
# requires-python = ">=3.11"
# dependencies = ["alpha<2", "winonly; sys_platform == 'win32'"]
# ///
print("hi")
""",
    },
}

PROJECTS["git"] = {
    "pyproject.toml": """\
[project]
name = "git"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["gitlib @ git+{git}@v1#subdirectory=pkg", "gitlib2"]

[tool.uv.sources]
gitlib2 = { git = "{git}", tag = "v1", subdirectory = "pkg2" }
""",
}
GIT_PLACEHOLDER = "file:///tmp/puv-lock-fixture/origin"
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "puv",
    "GIT_AUTHOR_EMAIL": "puv@example.invalid",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
    "GIT_COMMITTER_NAME": "puv",
    "GIT_COMMITTER_EMAIL": "puv@example.invalid",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def make_git_origin(directory: Path) -> str:
    """A repository with `gitlib` in `pkg/` and `gitlib2` in `pkg2/`, tagged `v1`; its URL.

    Fixed names and dates make the commit hash the same on every machine.
    """
    for package, folder in (("gitlib", "pkg"), ("gitlib2", "pkg2")):
        (directory / folder).mkdir(parents=True, exist_ok=True)
        (directory / folder / "pyproject.toml").write_text(
            f'[project]\nname = "{package}"\nversion = "0.3.0"\n' + HATCH
        )
    env = {**os.environ, **_GIT_ENV}
    for command in (
        ["init", "-q", "-b", "main"],
        ["add", "."],
        ["commit", "-q", "-m", "first"],
        ["tag", "v1"],
    ):
        subprocess.run(["git", *command], cwd=directory, env=env, check=True)
    return directory.as_uri()


# Local projects whose directory names exercise string quoting; made in scratch space only (not
# in the fixtures: names with newlines and control characters do not belong in a repository).
ODD_DIRECTORIES = {
    "aa": "t\"a'b",
    "bb": "tab\tx",
    "cc": "nl\nx",
    "dd": 'tab\tq"x',
    "ee": "back\\'s",
    "ff": "del\x7fx",
    "gg": "esc\x1bx",
    "hh": 'q"\nn',
    "ii": "lit'''3\\",
    "jj": "end\\'",
    "kk": 'three"""q\\',
    "ll": "plain\\dir",
    "mm": "λ",
}
PROJECTS["strings"] = {
    "pyproject.toml": '[project]\nname = "strings"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
    f"dependencies = {json.dumps(sorted(ODD_DIRECTORIES))}\n\n[tool.uv.sources]\n"
    + "".join(
        f"{name} = {{ path = {json.dumps('libs/' + directory)} }}\n"
        for name, directory in sorted(ODD_DIRECTORIES.items())
    )
}

LOCK_FILE = {"script": "s.py.lock"}
COPIED = {"files": ["gamma-2.0.0-py3-none-any.whl", "epsilon-1.0.0.tar.gz"]}


def find_uv() -> str | None:
    """uv 0.13.8 beside the interpreter, on `PATH` or at /tmp/scratch/bin/uv, else None."""
    candidates = [Path(sys.executable).parent / "uv", shutil.which("uv"), "/tmp/scratch/bin/uv"]
    for candidate in candidates:
        if candidate is None or not Path(candidate).is_file():
            continue
        version = subprocess.run(
            [str(candidate), "--version"], capture_output=True, text=True, check=False
        ).stdout.split()
        if version[1:2] == [UV_VERSION]:
            return str(candidate)
    return None


def write_project(
    name: str, directory: Path, index_url: str, git_url: str = GIT_PLACEHOLDER
) -> None:
    """Write project `name`'s files under `directory`, pointing at the index (and origin)."""
    files = index_url.replace("/simple/", "/files/")
    for relative, text in PROJECTS[name].items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = text.replace("{files}", files).replace("{simple}", index_url)
        text = text.replace("{git}", git_url)
        path.write_text(text.replace("{simple_no_slash}", index_url.rstrip("/")))


def copy_files(name: str, directory: Path, find_links_dir: Path) -> None:
    """Copy the files project `name` depends on by path into it (scratch copies only)."""
    if name == "strings":
        for package, odd in ODD_DIRECTORIES.items():
            (directory / "libs" / odd).mkdir(parents=True, exist_ok=True)
            (directory / "libs" / odd / "pyproject.toml").write_text(
                f'[project]\nname = "{package}"\nversion = "1.0"\n' + HATCH
            )
    for filename in COPIED.get(name, []):
        (directory / "dist").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(find_links_dir / filename, directory / "dist" / filename)


def uv_lock(uv: str, directory: Path, index_url: str, cache: Path) -> str:
    """Run `uv lock` (for a script: `uv lock --script`) in `directory`; return the lock."""
    script = [] if not (directory / "s.py").exists() else ["--script", "s.py"]
    env = {
        **os.environ,
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_DEFAULT_INDEX": index_url,
        "UV_CACHE_DIR": str(cache),
        "UV_PREVIEW_FEATURES": "package-conflicts",
    }
    env.pop("UV_INDEX_URL", None)
    subprocess.run(
        [uv, "lock", "--python", PYTHON, "--no-progress", *script],
        cwd=directory,
        env=env,
        check=True,
        capture_output=True,
    )
    return (directory / ("s.py.lock" if script else "uv.lock")).read_text()


def normalize(text: str, index_url: str) -> str:
    """Replace the index's random address by the fixed placeholder."""
    return text.replace(index_url.removesuffix("simple/"), INDEX_PLACEHOLDER)


def main(uv: str, names: list[str]) -> None:
    from tests.support.index import PackageIndex

    with PackageIndex(DESCRIPTION) as index, tempfile.TemporaryDirectory() as scratch:
        git_url = make_git_origin(Path(scratch) / "origin")
        for name in names or PROJECTS:
            work = Path(scratch) / name
            write_project(name, work, index.url, git_url)
            copy_files(name, work, index.find_links_dir)
            try:
                text = uv_lock(uv, work, index.url, Path(scratch) / "cache")
            except subprocess.CalledProcessError as error:
                print(name, "failed:", error.stderr.decode(), file=sys.stderr)
                continue
            target = FIXTURES / name
            shutil.rmtree(target, ignore_errors=True)
            write_project(name, target, INDEX_PLACEHOLDER + "simple/")
            if name != "strings":
                copy_files(name, target, index.find_links_dir)
            lock_file = LOCK_FILE.get(name, "uv.lock")
            text = normalize(text, index.url).replace(git_url, GIT_PLACEHOLDER)
            (target / lock_file).write_text(text)
            print(name, "ok")


if __name__ == "__main__":
    uv = sys.argv[1] if len(sys.argv) > 1 else find_uv()
    if uv is None:
        sys.exit(f"no uv {UV_VERSION} found")
    main(uv, sys.argv[2:])  # then the projects to lock again (default: all)
