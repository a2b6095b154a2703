"""`puv run`: commands in the project environment, the freshness fast path, `--with` layers,
PEP 723 scripts, `.env` files and `--no-project`; the real `puv` command each time, against
the local test index."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
