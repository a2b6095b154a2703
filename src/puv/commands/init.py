"""`puv init [PATH]`: scaffold a new project, as uv 0.13.8 does.

The files are written from fixed templates (the tests hold uv's exact bytes). Nothing here
creates an environment: the first `add`, `sync` or `run` does that.

What is written, by kind (uv 0.13.8's bytes for each):

- default (`--app`, as the seed describes it): `pyproject.toml` without a build system,
  `main.py` (hello world), `README.md`, `.python-version` (uv 0.13.8 itself packages
  applications by default; see docs/projects.md);
- `--package`: `pyproject.toml` with `[project.scripts]` and a `[build-system]`,
  `src/<module>/__init__.py` with `main()`, `README.md`, `.python-version`;
- `--lib`: `src/<module>/__init__.py` with `hello()`, `py.typed`, a build system, no scripts;
- `--bare`: only `pyproject.toml` (name, version, requires-python, dependencies).

Outside a repository, `git init` runs (when `git` is installed) and `.gitignore` is written.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from puv.errors import PuvError, UsageError
from puv.fs import write_atomic

TYPE_CHECKING = False  # see docs/startup.md
if TYPE_CHECKING:
    from puv.cache import Cache
    from puv.settings import Settings
    from puv.types import Console

__all__ = ["BACKENDS", "InitOptions", "init", "render_pyproject"]

UV_BUILD_REQUIRES = "uv_build>=0.13.8,<0.14.0"

# `--build-backend` value -> (`requires`, `build-backend`), as uv 0.13.8 writes them.
BACKENDS: dict[str, tuple[str, str]] = {
    "uv": (UV_BUILD_REQUIRES, "uv_build"),
    "hatch": ("hatchling", "hatchling.build"),
    "flit": ("flit_core>=3.2,<4", "flit_core.buildapi"),
    "pdm": ("pdm-backend", "pdm.backend"),
    "poetry": ("poetry-core>=2,<3", "poetry.core.masonry.api"),
    "setuptools": ("setuptools>=61", "setuptools.build_meta"),
    "maturin": ("maturin>=1.0,<2.0", "maturin"),
    "scikit": ("scikit-build-core>=0.12", "scikit_build_core.build"),
}
# Further `requires` of a backend, after the first.
_MORE_REQUIRES = {"scikit": ("pybind11>=3",)}

# Extension-module backends: the tables uv writes between the scripts and `[build-system]`.
_NATIVE_TABLES = {
    "maturin": """\
[tool.maturin]
module-name = "{module}._core"
python-packages = ["{module}"]
python-source = "src"

[tool.uv]
cache-keys = [{{ file = "pyproject.toml" }}, {{ file = "src/**/*.rs" }}, \
{{ file = "Cargo.toml" }}, {{ file = "Cargo.lock" }}]
""",
    "scikit": """\
[tool.scikit-build]
minimum-version = "build-system.requires"
build-dir = "build/{{wheel_tag}}"

[tool.uv]
cache-keys = [{{ file = "pyproject.toml" }}, {{ file = "src/**/*.{{h,c,hpp,cpp}}" }}, \
{{ file = "CMakeLists.txt" }}]
""",
}

_CARGO_TOML = """\
[package]
name = "{module}"
version = "0.1.0"
edition = "2024"

[lib]
name = "_core"
# "cdylib" is necessary to produce a shared library for Python to import from.
crate-type = ["cdylib"]

[dependencies]
# "extension-module" tells pyo3 we want to build an extension module (skips linking against \
libpython.so)
# "abi3-py39" tells pyo3 (and maturin) to build using the stable ABI with minimum Python \
version 3.9
pyo3 = {{ version = "0.28.2", features = ["extension-module", "abi3-py39"] }}
"""

_LIB_RS = """\
use pyo3::prelude::*;

/// A Python module implemented in Rust. The name of this module must match
/// the `lib.name` setting in the `Cargo.toml`, else Python will not be able to
/// import the module.
#[pymodule]
mod _core {{
    use pyo3::prelude::*;

    #[pyfunction]
    fn hello_from_bin() -> String {{
        "Hello from {name}!".to_string()
    }}
}}
"""

_CMAKE_LISTS = """\
cmake_minimum_required(VERSION 3.15...4.0)
project(${SKBUILD_PROJECT_NAME} LANGUAGES CXX)

find_package(pybind11 CONFIG REQUIRED)

pybind11_add_module(_core MODULE src/main.cpp)
install(TARGETS _core DESTINATION ${SKBUILD_PROJECT_NAME})
"""

_MAIN_CPP = """\
#include <pybind11/pybind11.h>

std::string hello_from_bin() {{ return "Hello from {name}!"; }}

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {{
  m.doc() = "pybind11 hello module";

  m.def("hello_from_bin", &hello_from_bin, R"pbdoc(
      A function that returns a Hello string.
  )pbdoc");
}}
"""

GITIGNORE = """\
# Python-generated files
__pycache__/
*.py[oc]
build/
dist/
wheels/
*.egg-info

# Virtual environments
.venv
"""

DEFAULT_DESCRIPTION = "Add your description here"

_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)


class InitOptions:
    """What to scaffold (the CLI's flags, resolved)."""

    __slots__ = ("author_from", "bare", "build_backend", "description", "kind", "name",
                 "no_workspace", "package", "pin_python", "python", "readme", "vcs")

    def __init__(self, *, name: str | None = None, kind: str = "app",
                 package: bool | None = None, bare: bool = False,
                 build_backend: str | None = None, description: str | None = DEFAULT_DESCRIPTION,
                 readme: bool = True, pin_python: bool = True, python: str | None = None,
                 vcs: str | None = None, author_from: str = "auto",
                 no_workspace: bool = False) -> None:
        self.name = name
        self.kind = kind  # "app" or "lib"
        self.package = package  # None: the kind's default (app: packaged; lib: always)
        self.bare = bare
        self.build_backend = build_backend
        self.description = description
        self.readme = readme
        self.pin_python = pin_python
        self.python = python
        self.vcs = vcs  # "git", "none" or None (git when available, outside a repository)
        self.author_from = author_from  # "auto", "git" or "none"
        self.no_workspace = no_workspace


def normalize_name(name: str) -> str:
    """PEP 503 normalization, as uv writes `name` (`Other.Name` -> `other-name`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


def render_pyproject(*, name: str, requires_python: str | None, description: str | None,
                     readme: bool, authors: tuple[str | None, str | None] | None,
                     scripts: bool, build_system: tuple[str, str] | None,
                     backend: str | None = None) -> str:
    """The `pyproject.toml` uv writes, byte for byte."""
    lines = ["[project]", f"name = {_toml_string(name)}", 'version = "0.1.0"']
    if description is not None:
        lines.append(f"description = {_toml_string(description)}")
    if readme:
        lines.append('readme = "README.md"')
    if authors is not None:
        author_name, email = authors
        fields = []
        if author_name:
            fields.append(f"name = {_toml_string(author_name)}")
        if email:
            fields.append(f"email = {_toml_string(email)}")
        lines += ["authors = [", f"    {{ {', '.join(fields)} }}", "]"]
    if requires_python is not None:
        lines.append(f"requires-python = {_toml_string(requires_python)}")
    lines.append("dependencies = []")
    module = name.replace("-", "_")
    if scripts:
        lines += ["", "[project.scripts]", f"{name} = {_toml_string(module + ':main')}"]
    native = _NATIVE_TABLES.get(backend or "")
    if native is not None:
        lines += ["", native.format(module=module).rstrip("\n")]
    if build_system is not None:
        requires, build_backend = build_system
        listed = ", ".join(_toml_string(r) for r in (requires, *_MORE_REQUIRES.get(
            backend or "", ())))
        lines += ["", "[build-system]", f"requires = [{listed}]",
                  f"build-backend = {_toml_string(build_backend)}"]
    return "\n".join(lines) + "\n"


def _main_py(name: str) -> str:
    return (f'def main():\n    print("Hello from {name}!")\n\n\n'
            'if __name__ == "__main__":\n    main()\n')


def _app_init(name: str) -> str:
    return f'def main() -> None:\n    print("Hello from {name}!")\n'


def _lib_init(name: str) -> str:
    return f'def hello() -> str:\n    return "Hello from {name}!"\n'


def _native_files(backend: str, name: str, module: str, kind: str) -> list[tuple[str, str]]:
    """The sources of an extension module (`maturin`: Rust with pyo3; `scikit`: C++ with
    pybind11), and the Python package that imports it, as uv 0.13.8 writes them."""
    call = ("def hello() -> str:\n    return hello_from_bin()\n" if kind == "lib" else
            "def main() -> None:\n    print(hello_from_bin())\n")
    files = [(os.path.join("src", module, "__init__.py"),
              f"from {module}._core import hello_from_bin\n\n\n{call}"),
             (os.path.join("src", module, "_core.pyi"), "def hello_from_bin() -> str: ...\n")]
    if kind == "lib":
        files.append((os.path.join("src", module, "py.typed"), ""))
    if backend == "maturin":
        files += [("Cargo.toml", _CARGO_TOML.format(module=module)),
                  (os.path.join("src", "lib.rs"), _LIB_RS.format(name=name))]
    else:
        files += [("CMakeLists.txt", _CMAKE_LISTS),
                  (os.path.join("src", "main.cpp"), _MAIN_CPP.format(name=name))]
    return files


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[str] | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        return subprocess.run([git, *args], cwd=cwd, capture_output=True, text=True,
                              check=False)
    except OSError:
        return None


def _inside_repository(path: str) -> bool:
    """Whether `path` (or its nearest existing ancestor) lies in a git work tree."""
    directory = path
    while not os.path.isdir(directory):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    result = _git(["rev-parse", "--is-inside-work-tree"], directory)
    return result is not None and result.returncode == 0 and result.stdout.strip() == "true"


def _git_author() -> tuple[str | None, str | None] | None:
    values = []
    for key in ("user.name", "user.email"):
        result = _git(["config", "--get", key], os.getcwd())
        value = result.stdout.strip() if result is not None and result.returncode == 0 else ""
        values.append(value or None)
    if values[0] is None and values[1] is None:
        return None
    return values[0], values[1]


def _python_bounds(options: InitOptions, *, root: str, settings: Settings, cache: Cache,
                   ) -> tuple[str, str]:
    """`requires-python` and the `.python-version` pin. A plain version (`3.12`,
    `3.12.1`) is taken as written, with no interpreter looked up, as uv does; anything else
    (a path, a range, nothing) is the major.minor of the interpreter it finds."""
    from puv.python.request import parse_request

    request_text = options.python or settings.python
    if request_text:
        request = parse_request(request_text)
        version = request.version
        if (request.kind == "version" and version is not None and version.specifier is None
                and len(version.parts) >= 2 and not version.freethreaded):
            text = str(version)
            return f">={text}", text
    from puv.commands.python_select import select_interpreter, select_request

    selection = select_request(request_text, project_dir=root, project=None)
    interpreter = select_interpreter(selection, settings=settings, cache=cache,
                                     project_dir=root, system=True)
    major, minor = interpreter.version.release[:2]
    return f">={major}.{minor}", f"{major}.{minor}"


def _find_workspace(root: str) -> str | None:
    """The `pyproject.toml` of the nearest project or workspace above `root`, if any."""
    from puv.fs import ancestors
    from puv.workspace import read_pyproject

    parent = os.path.dirname(root)
    for directory in ancestors(parent):
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            data = read_pyproject(candidate).data
            tool = data.get("tool")
            uv = tool.get("uv") if isinstance(tool, dict) else None
            has_workspace = isinstance(uv, dict) and "workspace" in uv
            return candidate if "project" in data or has_workspace else None
    return None


def _pinned(root: str, workspace: str) -> str | None:
    """The first request of the `.python-version` between `root` and the workspace root."""
    from puv.python.version_file import find_version_file

    top = os.path.dirname(workspace)
    found = find_version_file(root, stop=top)
    if found is None or not found.path.startswith(top + os.sep):
        return None  # the user's own pin doesn't count
    return found.first


def _add_member(workspace: str, root: str, name: str, console: Console) -> None:
    """Add `root` to the workspace's members unless a member glob already covers it (or an
    exclude leaves it out), as uv does."""
    from puv.workspace.edit import PyProjectEditor

    workspace_root = os.path.dirname(workspace)
    relative = os.path.relpath(root, workspace_root).replace(os.sep, "/")
    editor = PyProjectEditor.load(workspace)
    members = editor.workspace_members() or []
    uv = editor.doc.get("tool", {}).get("uv", {})
    exclude = [str(e) for e in uv.get("workspace", {}).get("exclude", [])]
    from puv.workspace.project import glob_matches

    if glob_matches(relative, exclude):
        return
    if not glob_matches(relative, members):
        editor.add_workspace_member(relative)
        editor.write()
    console.status(f"Adding `{console.style(name, 'cyan')}` as member of workspace "
                   f"`{console.style(workspace_root, 'cyan')}`")


def init(*, path: str | None, options: InitOptions, settings: Settings, cache: Cache,
         console: Console) -> int:
    cwd = os.getcwd()
    root = os.path.normpath(os.path.join(cwd, os.path.expanduser(path))) if path else cwd
    pyproject = os.path.join(root, "pyproject.toml")
    if os.path.exists(pyproject):
        raise UsageError(f"Cannot initialize a project in `{root}` because `pyproject.toml` "
                         "already exists")
    raw_name = options.name if options.name is not None else os.path.basename(root)
    if not _NAME.match(raw_name):
        if options.name is not None:
            raise UsageError(
                f"invalid value '{raw_name}' for '--name <NAME>': Not a valid package or "
                f'extra name: "{raw_name}". Names must start and end with a letter or digit '
                "and may only contain -, _, ., and alphanumeric characters.")
        raise PuvError(f"Could not derive a valid project name from `{raw_name}`",
                       hint="give one with `--name`")
    name = normalize_name(raw_name)
    module = name.replace("-", "_")

    # The seed's application (and upstream uv's): a flat `main.py` project with no build
    # system, which `add`/`sync`/`run` use without building anything. This machine's uv
    # 0.13.8 packages applications by default (with `uv_build`, which uv builds itself and
    # puv would have to fetch); `--package` gives that layout.
    packaged = options.kind == "lib" or (options.package if options.package is not None
                                         else False)
    if options.build_backend is not None and options.build_backend not in BACKENDS:
        raise PuvError(f"The `{options.build_backend}` build backend is not supported by puv "
                       "yet", hint="choose one of: " + ", ".join(BACKENDS))

    requires_python, pin = _python_bounds(options, root=root, settings=settings, cache=cache)
    workspace = None if options.no_workspace else _find_workspace(root)
    if workspace is not None and options.pin_python and _pinned(root, workspace) == pin:
        options.pin_python = False  # the workspace's `.python-version` already says so

    files: list[tuple[str, str]] = []
    if options.bare:
        text = render_pyproject(name=name, requires_python=requires_python, description=None,
                                readme=False, authors=None, scripts=False,
                                build_system=None)
        files.append(("pyproject.toml", text))
    else:
        authors = None
        if options.author_from in ("auto", "git"):
            authors = _git_author()
        build_system = BACKENDS[options.build_backend or "uv"] if packaged else None
        text = render_pyproject(
            name=name, requires_python=requires_python, description=options.description,
            readme=options.readme, authors=authors,
            scripts=packaged and options.kind == "app", build_system=build_system,
            backend=options.build_backend if packaged else None)
        files.append(("pyproject.toml", text))
        if options.readme:
            files.append(("README.md", ""))
        if options.pin_python:
            files.append((".python-version", pin + "\n"))
        if not packaged:
            files.append(("main.py", _main_py(name)))
        elif options.build_backend in _NATIVE_TABLES:
            files += _native_files(options.build_backend, name, module, options.kind)
        elif options.kind == "lib":
            files.append((os.path.join("src", module, "__init__.py"), _lib_init(name)))
            files.append((os.path.join("src", module, "py.typed"), ""))
        else:
            files.append((os.path.join("src", module, "__init__.py"), _app_init(name)))

    vcs = options.vcs
    use_git = False
    if not options.bare or vcs == "git":
        if vcs == "git":
            if shutil.which("git") is None:
                raise PuvError("Attempted to initialize a Git repository, but `git` was not "
                               "found in PATH")
            use_git = not _inside_repository(root)
        elif vcs is None:
            use_git = shutil.which("git") is not None and not _inside_repository(root)

    os.makedirs(root, exist_ok=True)
    if workspace is not None:
        _add_member(workspace, root, name, console)
    for relative, content in files:
        target = os.path.join(root, relative)
        if relative != "pyproject.toml" and os.path.exists(target):
            continue  # never overwrite the user's files (uv keeps them too)
        write_atomic(target, content)
    if use_git:
        result = _git(["init"], root)
        if result is None or result.returncode != 0:
            detail = (result.stderr.strip() if result is not None else "") or "git failed"
            raise PuvError(f"Failed to initialize a Git repository at `{root}`: {detail}")
        gitignore = os.path.join(root, ".gitignore")
        if not os.path.exists(gitignore):
            write_atomic(gitignore, GITIGNORE)

    if path:
        console.status(f"Initialized project `{console.style(name, 'cyan')}` at "
                       f"`{console.style(root, 'cyan')}`")
    else:
        console.status(f"Initialized project `{console.style(name, 'cyan')}`")
    return 0
