"""`puv run`: commands in the project environment, the freshness fast path, `--with` layers,
PEP 723 scripts, `.env` files and `--no-project`; the real `puv` command each time, against
the local test index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Runner, assert_clean_error

# A base interpreter (not the test virtual environment, whose packages would leak in).
BASE = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
MINOR = f"{sys.version_info.major}.{sys.version_info.minor}"

UNIVERSE = {
    "anyio": {"1.0.0": {"requires": ["idna"]}},
    "idna": ["3.0", "3.1"],
    "colorful": {"1.0": {"entry_points": {"console_scripts": {"colorful": "colorful:main"}},
                         "files": {"colorful/__init__.py":
                                   "def main():\n    print('colorful says hi')\n"}}},
}

PRINT_ARGV = "import sys; print(sys.argv[1:])"


def installed(environment: Path) -> set[str]:
    site = environment / "lib" / f"python{MINOR}" / "site-packages"
    return {info.name.split("-")[0].lower() for info in site.glob("*.dist-info")}


# -- outside a project --------------------------------------------------------------------


def test_arguments_pass_through_untouched(puv: Runner) -> None:
    result = puv("run", "--no-project", "-p", BASE, "python", "-c", PRINT_ARGV, "-x",
                 "--flag", "--with", "-p", "3.0")
    assert result.returncode == 0, result
    assert result.stdout == "['-x', '--flag', '--with', '-p', '3.0']\n"


def test_leading_double_dash_is_dropped(puv: Runner) -> None:
    result = puv("run", "--no-project", "-p", BASE, "--", "python", "-c", PRINT_ARGV, "--")
    assert result.returncode == 0, result
    assert result.stdout == "['--']\n"


def test_exit_status_of_the_command_is_returned(puv: Runner) -> None:
    result = puv("run", "--no-project", "-p", BASE, "python", "-c",
                 "import sys; print('out'); sys.exit(7)")
    assert (result.returncode, result.stdout) == (7, "out\n")


def test_python_is_the_chosen_interpreter_and_scripts_run_with_it(puv: Runner,
                                                                   workdir: Path) -> None:
    (workdir / "hello.py").write_text("import sys; print(sys.executable, sys.argv[1:])\n")
    result = puv("run", "--no-project", "-p", BASE, "hello.py", "a", "b")
    assert result.returncode == 0, result
    executable, _, rest = result.stdout.partition(" ")
    assert os.path.realpath(executable) == BASE
    assert rest == "['a', 'b']\n"


def test_module_flag_runs_a_module(puv: Runner) -> None:
    result = puv("run", "--no-project", "-p", BASE, "-m", "json.tool", "--help")
    assert result.returncode == 0, result
    assert result.stdout.startswith("usage: python -m json.tool")


def test_unknown_command_fails_to_spawn(puv: Runner) -> None:
    result = puv("run", "--no-project", "-p", BASE, "no-such-command-here")
    assert assert_clean_error(result, code=2) == (
        "error: Failed to spawn: no-such-command-here\n"
        "  cause: No such file or directory (os error 2)\n")


def test_virtual_environment_on_path_and_in_virtual_env(puv: Runner, workdir: Path) -> None:
    assert puv("venv", "env", "-p", BASE).returncode == 0
    code = ("import os, sys; print(os.environ['VIRTUAL_ENV']); "
            "print(os.environ['PATH'].split(os.pathsep)[0]); print(sys.prefix)")
    result = puv("run", "--no-project", "-p", str(workdir / "env"), "python", "-c", code)
    assert result.returncode == 0, result
    env = str(workdir / "env")
    assert result.stdout.splitlines() == [env, os.path.join(env, "bin"), env]


def test_no_command_lists_what_the_environment_offers(puv: Runner, workdir: Path) -> None:
    assert puv("venv", "env", "-p", BASE).returncode == 0
    result = puv("run", "--no-project", "-p", str(workdir / "env"))
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0] == ("Provide a command or script to invoke with `puv run <command>` or "
                        "`puv run <script>.py`.")
    assert lines[2] == "The following commands are available in the environment:"
    assert "- python" in lines and not any("activate" in line for line in lines)
    assert lines[-1] == "See `puv run --help` for more information."


# -- `.env` files ---------------------------------------------------------------------------

SHOW_ENV = "import os; print(os.environ.get('A'), os.environ.get('B'), os.environ.get('C'))"


def test_env_file_values_reach_the_command(puv: Runner, workdir: Path) -> None:
    (workdir / "one.env").write_text("# comment\nA=1\nexport B=\"x $A y\"\n")
    (workdir / "two.env").write_text("A=2\nC='${A} literal'\n")
    result = puv("run", "--no-project", "-p", BASE, "--env-file", "one.env", "--env-file",
                 "two.env", "python", "-c", SHOW_ENV)
    assert result.returncode == 0, result
    assert result.stdout == "2 x 1 y ${A} literal\n"  # as uv 0.13.8: the later file wins


def test_env_file_from_uv_env_file_and_no_env_file(puv: Runner, workdir: Path) -> None:
    (workdir / ".env").write_text("A=from-file\n")
    result = puv("run", "--no-project", "-p", BASE, "python", "-c", SHOW_ENV,
                 env={"UV_ENV_FILE": ".env"})
    assert result.stdout == "from-file None None\n", result
    result = puv("run", "--no-project", "-p", BASE, "--no-env-file", "python", "-c", SHOW_ENV,
                 env={"UV_ENV_FILE": ".env"})
    assert result.stdout == "None None None\n", result


def test_env_file_does_not_replace_set_variables(puv: Runner, workdir: Path) -> None:
    (workdir / ".env").write_text("A=from-file\nB=2\n")
    result = puv("run", "--no-project", "-p", BASE, "--env-file", ".env", "python", "-c",
                 SHOW_ENV, env={"A": "from-shell"})
    assert result.stdout == "from-shell 2 None\n", result


def test_missing_env_file_is_an_error(puv: Runner) -> None:
    result = puv("run", "--no-project", "-p", BASE, "--env-file", "missing.env", "python",
                 "-c", "pass")
    assert assert_clean_error(result, code=2) == "error: No environment file found at: missing.env\n"


def test_env_file_syntax_error_warns_and_keeps_earlier_lines(puv: Runner,
                                                             workdir: Path) -> None:
    (workdir / ".env").write_text("A=1\nB=x y\nC=3\n")
    result = puv("run", "--no-project", "-p", BASE, "--env-file", ".env", "python", "-c",
                 SHOW_ENV)
    assert result.returncode == 0, result
    assert result.stdout == "1 None None\n"
    assert result.stderr == ("warning: Failed to parse environment file `.env` at position 2: "
                             "x y\n")


# -- `--with` -----------------------------------------------------------------------------


def test_with_installs_into_a_cached_layer_over_the_environment(puv: Runner, workdir: Path,
                                                                 package_index,
                                                                 isolated_env) -> None:
    index = package_index(UNIVERSE)
    assert puv("venv", "env", "-p", BASE).returncode == 0
    env = workdir / "env"
    assert puv("pip", "install", "-p", str(env), "--index-url", index.url,
               "idna==3.0").returncode == 0
    code = "import anyio, idna; print(anyio.__file__); print(idna.__version__)"
    args = ("run", "--no-project", "-p", str(env), "--index-url", index.url, "--with", "anyio",
            "python", "-c", code)
    result = puv(*args)
    assert result.returncode == 0, result
    anyio_file, idna_version = result.stdout.splitlines()
    cache = Path(isolated_env["UV_CACHE_DIR"])
    assert anyio_file.startswith(str(cache / "environments-v1" / "with-"))
    # The layer's own `idna` (3.1, resolved for `anyio`) comes before the base's.
    assert idna_version == "3.1"
    assert result.stderr.startswith("Installed 2 packages in ")
    assert "Resolved" not in result.stderr and " + " not in result.stderr
    assert installed(env) == {"idna"}  # the base environment is untouched

    index.clear_requests()
    again = puv(*args)
    assert again.returncode == 0, again
    assert again.stdout == result.stdout
    assert again.stderr == ""
    assert index.requests == []  # the layer is reused without resolving


def test_with_sees_base_packages_and_console_scripts(puv: Runner, workdir: Path,
                                                     package_index) -> None:
    index = package_index(UNIVERSE)
    assert puv("venv", "env", "-p", BASE).returncode == 0
    env = workdir / "env"
    assert puv("pip", "install", "-p", str(env), "--index-url", index.url,
               "idna==3.0").returncode == 0
    result = puv("run", "--no-project", "-p", str(env), "--index-url", index.url, "--with",
                 "colorful", "colorful")
    assert result.returncode == 0, result
    assert result.stdout == "colorful says hi\n"
    result = puv("run", "--no-project", "-p", str(env), "--index-url", index.url, "--with",
                 "colorful", "python", "-c", "import colorful, idna; print(idna.__version__)")
    assert result.stdout == "3.0\n", result


def test_with_requirements_and_comma_lists(puv: Runner, workdir: Path, package_index) -> None:
    index = package_index(UNIVERSE)
    (workdir / "reqs.txt").write_text("idna==3.0\n")
    result = puv("run", "--no-project", "-p", BASE, "--index-url", index.url,
                 "--with-requirements", "reqs.txt", "--with", "colorful,anyio", "python",
                 "-c", "import anyio, colorful, idna; print(idna.__version__)")
    assert result.returncode == 0, result
    assert result.stdout == "3.0\n"


# -- PEP 723 scripts ------------------------------------------------------------------------

SCRIPT = """\
# /// script
# requires-python = ">=3.8"
# dependencies = [
#   "anyio",
# ]
# ///
import sys

import anyio

print(anyio.__file__)
print(sys.argv[1:])
"""


def test_script_runs_in_an_environment_of_its_dependencies(puv: Runner, workdir: Path,
                                                           package_index,
                                                           isolated_env) -> None:
    index = package_index(UNIVERSE)
    (workdir / "script.py").write_text(SCRIPT)
    result = puv("run", "-p", BASE, "--index-url", index.url, "script.py", "--flag")
    assert result.returncode == 0, result
    anyio_file, argv = result.stdout.splitlines()
    cache = Path(isolated_env["UV_CACHE_DIR"])
    assert anyio_file.startswith(str(cache / "environments-v1" / "script-"))
    assert argv == "['--flag']"
    assert result.stderr.startswith("Installed 2 packages in ")
    index.clear_requests()
    again = puv("run", "-p", BASE, "--index-url", index.url, "script.py", "--flag")
    assert (again.returncode, again.stdout, again.stderr) == (0, result.stdout, "")
    assert index.requests == []


def test_script_ignores_the_project(puv: Runner, workdir: Path, package_index) -> None:
    index = package_index(UNIVERSE)
    # A project that could not be locked (no such package): never looked at.
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "1"\ndependencies = ["no-such-package"]\n')
    (workdir / "script.py").write_text(SCRIPT)
    result = puv("run", "-p", BASE, "--index-url", index.url, "script.py")
    assert result.returncode == 0, result
    assert not (workdir / "uv.lock").exists() and not (workdir / ".venv").exists()


def test_invalid_script_block_names_script_and_line(puv: Runner, workdir: Path) -> None:
    (workdir / "bad.py").write_text('print(1)\n# /// script\n# dependencies = ["a"\n# ///\n')
    result = puv("run", "-p", BASE, "bad.py")
    assert assert_clean_error(result) == (
        "error: Failed to parse the inline script metadata of `bad.py` at line 4: Unclosed "
        "array at the end of the block\n")


# -- in a project ---------------------------------------------------------------------------

BACKEND = Path(__file__).parents[2] / "support" / "_backend.py"


def write_project(root: Path, *, dependencies: tuple[str, ...] = ("idna",)) -> Path:
    """A packaged project `app` (the test suite's in-tree backend builds it offline) with a
    console script `app-cli`."""
    (root / "app").mkdir(parents=True, exist_ok=True)
    (root / "app" / "__init__.py").write_text(
        "def main():\n    import sys\n    print('app-cli', sys.argv[1:])\n")
    (root / "pyproject.toml").write_text("\n".join([
        "[project]", 'name = "app"', 'version = "0.1.0"', 'requires-python = ">=3.10"',
        f"dependencies = {json.dumps(list(dependencies))}", "",
        "[project.scripts]", 'app-cli = "app:main"', "",
        "[build-system]", "requires = []", 'build-backend = "_backend"',
        'backend-path = ["."]']) + "\n")
    shutil.copyfile(BACKEND, root / "_backend.py")
    (root / "_backend.json").write_text(json.dumps({
        "name": "app", "version": "0.1.0", "requires": list(dependencies), "extras": {},
        "files": ["app/__init__.py"],
        "entry_points": {"console_scripts": {"app-cli": "app:main"}}}))
    (root / ".python-version").write_text(f"{MINOR}\n")
    return root


@pytest.fixture
def project(workdir: Path, package_index) -> tuple[Path, object, dict[str, str]]:
    index = package_index(UNIVERSE)
    write_project(workdir)
    return workdir, index, {"UV_DEFAULT_INDEX": index.url, "UV_PYTHON": BASE}


def test_run_in_a_project_locks_syncs_and_returns_the_status(puv: Runner, project) -> None:
    root, _index, env = project
    code = "import app, idna, sys; print(idna.__version__, sys.prefix); sys.exit(5)"
    result = puv("run", "python", "-c", code, env=env)
    assert result.returncode == 5, result
    assert result.stdout == f"3.1 {root / '.venv'}\n"
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Using CPython {MINOR}.")
    assert lines[1] == "Creating virtual environment at: .venv"
    assert lines[-1].startswith("Installed 2 packages in ")
    assert not any(line.startswith(("Resolved", " + ")) for line in lines)
    assert (root / "uv.lock").is_file()
    assert installed(root / ".venv") == {"app", "idna"}


def test_project_scripts_run_from_the_environment(puv: Runner, project) -> None:
    _root, _index, env = project
    result = puv("run", "app-cli", "--x", "y", env=env)
    assert result.returncode == 0, result
    assert result.stdout == "app-cli ['--x', 'y']\n"


def imported_modules(root: Path, env: dict[str, str], *args: str) -> tuple[set[str], str]:
    """The modules `puv run ARGS` imports (`-X importtime`), and what the command printed."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "puv", "run", *args],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    modules = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()
               if line.startswith("import time:")}
    return modules, proc.stdout


HEAVY = ("puv.resolver", "puv.lock", "puv.net", "puv.index", "puv.installer",
         "puv.distribution", "puv.build", "puv.workspace.project", "puv.commands.project.lock",
         "puv.commands.project.sync", "puv.commands.pip", "rich", "httpcore", "asyncio", "ssl",
         "packaging", "dataclasses")


def test_unchanged_project_runs_without_locking_or_syncing(puv: Runner, project,
                                                           isolated_env) -> None:
    root, index, env = project
    assert puv("run", "python", "-c", "pass", env=env).returncode == 0
    assert (root / ".venv" / ".puv-stamp").is_file()
    index.clear_requests()
    full_env = {**isolated_env, **env}
    modules, stdout = imported_modules(root, full_env, "python", "-c",
                                       "import idna; print(idna.__version__)")
    assert stdout == "3.1\n"
    assert "puv.commands.project.freshness" in modules
    heavy = sorted(m for m in modules if m.startswith(HEAVY))
    assert heavy == []
    assert index.requests == []
    # From a directory inside the project too.
    (root / "app" / "sub").mkdir()
    modules, _ = imported_modules(root / "app" / "sub", full_env, "python", "-c", "pass")
    assert not any(m.startswith(HEAVY) for m in modules)


def test_a_changed_pyproject_makes_run_sync_again(puv: Runner, project, isolated_env) -> None:
    root, _index, env = project
    assert puv("run", "python", "-c", "pass", env=env).returncode == 0
    write_project(root, dependencies=("idna", "anyio"))
    full_env = {**isolated_env, **env}
    modules, stdout = imported_modules(root, full_env, "python", "-c",
                                       "import anyio; print(anyio.__version__)")
    assert stdout == "1.0.0\n"
    assert "puv.commands.project.sync" in modules
    assert installed(root / ".venv") == {"app", "anyio", "idna"}
    # ... and the next run is fresh again.
    modules, _ = imported_modules(root, full_env, "python", "-c", "pass")
    assert not any(m.startswith(HEAVY) for m in modules)


def test_a_changed_environment_makes_run_sync_again(puv: Runner, project) -> None:
    root, _index, env = project
    assert puv("run", "python", "-c", "pass", env=env).returncode == 0
    assert puv("pip", "uninstall", "-p", str(root / ".venv"), "idna").returncode == 0
    result = puv("run", "python", "-c", "import idna; print(idna.__version__)", env=env)
    assert result.returncode == 0, result
    assert result.stdout == "3.1\n"
    assert "Installed 1 package in " in result.stderr


def test_locked_fails_when_the_lock_would_change(puv: Runner, project) -> None:
    root, _index, env = project
    assert puv("run", "python", "-c", "pass", env=env).returncode == 0
    write_project(root, dependencies=("idna<3.1",))
    result = puv("run", "--locked", "python", "-c", "pass", env=env)
    assert_clean_error(result)
    assert "uv.lock" in result.stderr
    # `--frozen` runs with the lock as it is.
    result = puv("run", "--frozen", "python", "-c", "import idna; print(idna.__version__)",
                 env=env)
    assert (result.returncode, result.stdout) == (0, "3.1\n"), result


def test_no_sync_runs_in_the_environment_as_it_is(puv: Runner, project) -> None:
    root, _index, env = project
    assert puv("run", "python", "-c", "pass", env=env).returncode == 0
    write_project(root, dependencies=("idna", "anyio"))
    result = puv("run", "--no-sync", "python", "-c", "import anyio", env=env)
    assert result.returncode == 1
    assert "ModuleNotFoundError" in result.stderr
    assert installed(root / ".venv") == {"app", "idna"}


def test_with_in_a_project_leaves_the_project_environment_alone(puv: Runner,
                                                                project) -> None:
    root, index, env = project
    code = "import anyio, app, sys; print(sys.prefix != sys.base_prefix, anyio.__version__)"
    result = puv("run", "--with", "anyio", "python", "-c", code, env=env)
    assert result.returncode == 0, result
    assert result.stdout == "True 1.0.0\n"
    assert installed(root / ".venv") == {"app", "idna"}
    index.clear_requests()
    again = puv("run", "--with", "anyio", "python", "-c", code, env=env)
    assert (again.returncode, again.stdout, again.stderr) == (0, result.stdout, "")
    assert index.requests == []


def test_isolated_runs_in_a_temporary_environment(puv: Runner, project) -> None:
    root, _index, env = project
    code = "import idna, sys; print(sys.prefix)"
    result = puv("run", "--isolated", "python", "-c", code, env=env)
    assert result.returncode == 0, result
    prefix = Path(result.stdout.strip())
    assert prefix != root / ".venv" and not prefix.exists()  # removed afterwards
    assert not (root / ".venv").exists()


def test_no_project_ignores_the_project(puv: Runner, project) -> None:
    root, _index, env = project
    result = puv("run", "--no-project", "python", "-c", "import sys; print(sys.prefix)",
                 env=env)
    assert result.returncode == 0, result
    assert not (root / "uv.lock").exists() and not (root / ".venv").exists()


# -- the freshness stamp, directly ------------------------------------------------------------


def fake_environment(path: Path) -> Path:
    (path / "lib" / f"python{MINOR}" / "site-packages").mkdir(parents=True)
    (path / "bin").mkdir()
    (path / "bin" / "python").symlink_to(BASE)
    (path / "pyvenv.cfg").write_text("home = /usr\n")
    return path


def write_member(root: Path, name: str, tool: str = "") -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\nversion = "1"\n{tool}')


def test_stamp_is_fresh_until_a_watched_input_changes(tmp_path: Path) -> None:
    from puv.commands.project.freshness import fresh_environment, record

    root = tmp_path / "p"
    write_member(root, "p")
    env = fake_environment(root / ".venv")
    environ: dict[str, str] = {"HOME": str(tmp_path)}

    def fresh(key: str = "k", *, exact: bool = False, start: Path = root) -> str | None:
        return fresh_environment(str(start), key, exact=exact, environ=environ)

    record(str(env), str(root), "k", environ=environ)
    assert fresh() == str(env)
    assert fresh("other") is None
    assert fresh(exact=True) is None  # an inexact sync does not stand for an exact one
    (root / "src").mkdir()
    assert fresh(start=root / "src") == str(env)

    changes = [
        lambda: (root / "pyproject.toml").write_text(
            '[project]\nname = "p"\nversion = "2"\n'),
        lambda: (root / "uv.lock").write_text("version = 1\n"),
        lambda: (root / ".python-version").write_text("3.12\n"),
        lambda: (env / "lib" / f"python{MINOR}" / "site-packages" / "x.dist-info").mkdir(),
        lambda: (tmp_path / "pyproject.toml").write_text("[tool.uv.workspace]\n"),
    ]
    for change in changes:
        record(str(env), str(root), "k", environ=environ)
        assert fresh() == str(env)
        change()
        assert fresh() is None, change
    # A version file between the start and the project is in no stamp.
    (tmp_path / "pyproject.toml").unlink()
    record(str(env), str(root), "k", environ=environ)
    (root / "src" / ".python-version").write_text("3.12\n")
    assert fresh(start=root / "src") is None
    assert fresh() == str(env)


def test_stamp_of_a_workspace_serves_its_members(tmp_path: Path) -> None:
    from puv.commands.project.freshness import fresh_environment, record

    root = tmp_path / "ws"
    write_member(root, "root", '\n[tool.uv.workspace]\nmembers = ["packages/*"]\n')
    write_member(root / "packages" / "a", "a")
    env = fake_environment(root / ".venv")
    environ = {"HOME": str(tmp_path)}
    record(str(env), str(root), "k", environ=environ)
    member = root / "packages" / "a"
    assert fresh_environment(str(member), "k", environ=environ) == str(env)
    # A project that is not a member has no stamp of its own.
    write_member(tmp_path / "elsewhere", "elsewhere")
    assert fresh_environment(str(tmp_path / "elsewhere"), "k", environ=environ) is None
    # A new member directory changes the workspace.
    write_member(root / "packages" / "b", "b")
    assert fresh_environment(str(member), "k", environ=environ) is None


def test_racy_files_are_checked_by_content_then_settled(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import marshal

    from puv.commands.project import freshness

    root = tmp_path / "p"
    write_member(root, "p")
    env = fake_environment(root / ".venv")
    environ = {"HOME": str(tmp_path)}
    pyproject = str(root / "pyproject.toml")
    freshness.record(str(env), str(root), "k", environ=environ)
    stamp_path = env / freshness.STAMP_NAME
    stamp = marshal.loads(stamp_path.read_bytes())
    assert pyproject in stamp["crcs"]  # written just now: "racy", so its CRC is kept
    # Same size and times but other contents (as a second edit in the same tick would be).
    stamp_path.write_bytes(marshal.dumps({**stamp, "crcs": {pyproject: 0}}))
    assert freshness.fresh_environment(str(root), "k", environ=environ) is None
    stamp_path.write_bytes(marshal.dumps(stamp))
    # Once the file is no longer racy, a fresh check drops its CRC: later runs read nothing.
    monkeypatch.setattr(freshness, "_RACY_NS", 0)
    assert freshness.fresh_environment(str(root), "k", environ=environ) == str(env)
    assert marshal.loads(stamp_path.read_bytes())["crcs"] == {}


def test_script_exclude_newer_from_its_tool_uv_table(puv: Runner, workdir: Path,
                                                     package_index) -> None:
    index = package_index({"late": {"1.0": {"upload_time": "2024-01-01T00:00:00Z"},
                                    "2.0": {"upload_time": "2025-01-01T00:00:00Z"}}})
    (workdir / "s.py").write_text(
        '# /// script\n# dependencies = ["late"]\n# [tool.uv]\n'
        '# exclude-newer = "2024-06-01T00:00:00Z"\n# ///\nimport late\nprint(late.__version__)\n')
    result = puv("run", "-p", BASE, "--index-url", index.url, "s.py")
    assert (result.returncode, result.stdout) == (0, "1.0\n"), result
    (workdir / "s.py").write_text('# /// script\n# dependencies = ["late"]\n# [tool.uv]\n'
                                  '# exclude-newer = "yesterday-ish"\n# ///\n')
    result = puv("run", "-p", BASE, "--index-url", index.url, "s.py")
    assert assert_clean_error(result).startswith(
        "error: Invalid `tool.uv.exclude-newer` in the inline script metadata of `s.py`: ")
