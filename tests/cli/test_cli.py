"""The command line: version, help, argument errors, global options, start-up imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from puv import __version__
from puv.cli.table import COMMANDS, Command
from tests.conftest import Runner


def test_version_prints_name_and_version(puv: Runner) -> None:
    for flag in ("--version", "-V"):
        result = puv(flag)
        assert result.returncode == 0
        assert result.stdout == f"puv {__version__}\n"


def test_python_dash_m_puv_works(isolated_env: dict[str, str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "puv", "--version"], capture_output=True,
                          text=True, env=isolated_env)
    assert proc.stdout == f"puv {__version__}\n"


def _leaves(node: Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for sub in node.subcommands:
        if sub.name == "help":
            continue
        found.append((*path, sub.name))
        found += _leaves(sub, (*path, sub.name))
    return found


@pytest.mark.parametrize("path", _leaves(COMMANDS), ids=" ".join)
def test_every_command_has_help(puv: Runner, path: tuple[str, ...]) -> None:
    result = puv(*path, "--help")
    assert result.returncode == 0, result
    assert f"Usage: puv {' '.join(path)} [OPTIONS]" in result.stdout
    assert "Global options:" in result.stdout
    assert "--cache-dir <CACHE_DIR>" in result.stdout


def test_help_command_is_the_same_as_dash_dash_help(puv: Runner) -> None:
    assert puv("help", "venv").stdout == puv("venv", "--help").stdout


def test_bare_puv_prints_usage_and_fails(puv: Runner) -> None:
    result = puv()
    assert result.returncode == 2
    assert "Usage: puv [OPTIONS] <COMMAND>" in result.stderr
    assert "venv" in result.stderr


def test_unknown_option_looks_like_uv_and_exits_2(puv: Runner) -> None:
    result = puv("venv", "--bogus")
    assert result.returncode == 2
    assert result.stderr == (
        "error: unexpected argument '--bogus' found\n\n"
        "  tip: to pass '--bogus' as a value, use '-- --bogus'\n\n"
        "Usage: puv venv [OPTIONS] [PATH]\n\n"
        "For more information, try '--help'.\n"
    )


def test_unknown_command_exits_2(puv: Runner) -> None:
    result = puv("frobnicate")
    assert result.returncode == 2
    assert result.stderr.startswith("error: unrecognized subcommand 'frobnicate'")


def test_invalid_choice_lists_possible_values(puv: Runner) -> None:
    result = puv("--color", "sometimes", "cache", "dir")
    assert result.returncode == 2
    assert "invalid value 'sometimes' for '--color <COLOR_CHOICE>'" in result.stderr
    assert "[possible values: auto, always, never]" in result.stderr


def test_group_without_subcommand_prints_its_help(puv: Runner) -> None:
    result = puv("python")
    assert result.returncode == 2
    assert "Usage: puv python [OPTIONS] <COMMAND>" in result.stderr
    assert "find" in result.stderr and "pin" in result.stderr


def test_global_options_before_or_after_the_command(puv: Runner, tmp_path: Path) -> None:
    before = puv("--cache-dir", str(tmp_path / "c1"), "cache", "dir")
    after = puv("cache", "dir", "--cache-dir", str(tmp_path / "c1"))
    assert before.stdout == after.stdout == f"{tmp_path / 'c1'}\n"


def test_directory_option_changes_directory_first(puv: Runner, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    result = puv("--directory", str(target), "venv", "-q")
    assert result.returncode == 0, result
    assert (target / ".venv" / "pyvenv.cfg").is_file()


def test_missing_directory_is_a_clean_error(puv: Runner, tmp_path: Path) -> None:
    result = puv("--directory", str(tmp_path / "nope"), "cache", "dir")
    assert result.returncode == 2
    assert "Failed to change to the directory" in result.stderr


def test_quiet_hides_status_lines(puv: Runner) -> None:
    loud = puv("venv", "loud")
    quiet = puv("-q", "venv", "quiet")
    assert "Creating virtual environment" in loud.stderr
    assert quiet.stderr == ""


def test_color_always_colors_errors(puv: Runner) -> None:
    result = puv("--color", "always", "venv", "--python", "/nonexistent")
    assert "\x1b[1;31merror\x1b[0m" in result.stderr


def test_verbose_shows_the_traceback_of_a_user_error(puv: Runner) -> None:
    assert "Traceback" not in puv("venv", "--python", "/nonexistent").stderr
    assert "Traceback" in puv("-v", "venv", "--python", "/nonexistent").stderr


HEAVY = {"asyncio", "puv.resolver", "rich", "httpcore", "h2", "ssl", "dataclasses", "typing",
         "packaging", "tomllib", "json", "subprocess", "shutil"}
# Light elsewhere, but 4 ms of `puv venv`'s 30: `pathlib` (with `urllib.parse` and `ipaddress`,
# which it imports), `zlib` and `contextlib`. The start-up path uses `str` paths instead.
NOT_ON_START_UP = {"pathlib", "urllib", "ipaddress", "zlib", "contextlib"}


def _imported_by(args: list[str], cwd: Path, env: dict[str, str]) -> set[str]:
    code = (
        "import sys\n"
        "from puv.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('MODULES ' + ' '.join(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True,
                          text=True)
    line = proc.stderr.rsplit("MODULES ", 1)[1]
    return set(line.split())


def test_version_imports_nothing_heavy(isolated_env: dict[str, str], tmp_path: Path) -> None:
    modules = _imported_by(["--version"], tmp_path, isolated_env)
    assert not {m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY}
    assert "argparse" not in modules
    assert not modules & NOT_ON_START_UP
    assert not any(m.startswith("puv.") and m != "puv.cli" for m in modules)


@pytest.mark.parametrize("in_project", [False, True])
def test_venv_start_up_stays_light(isolated_env: dict[str, str], tmp_path: Path,
                                   puv: Runner, in_project: bool) -> None:
    if in_project:
        # A project with settings and a pin: reading them must not pull in heavy modules
        # (TOML is parsed, so `tomllib` is allowed here, and `typing` and `contextlib`, which
        # it imports).
        (tmp_path / "pyproject.toml").write_text(
            '[project]\nname = "p"\nrequires-python = ">=3.8"\n[tool.uv]\noffline = true\n')
        (tmp_path / ".python-version").write_text(f"{sys.version_info[0]}.{sys.version_info[1]}\n")
    # Warm the interpreter cache first: a cold query may use subprocess and json.
    assert puv("venv", str(tmp_path / "warm"), "-q", cwd=tmp_path).returncode == 0
    modules = _imported_by(["venv", str(tmp_path / "v"), "-q"], tmp_path, isolated_env)
    assert (tmp_path / "v" / "pyvenv.cfg").is_file()
    allowed = {"tomllib", "typing", "contextlib"} if in_project else set()
    assert ("tomllib" in modules) is in_project
    heavy = {m for m in modules if m.split(".")[0] in HEAVY - allowed}
    assert not heavy, heavy
    assert not modules & (NOT_ON_START_UP - allowed), modules & NOT_ON_START_UP


def test_unexpected_os_error_is_one_clean_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse
    import io
    import types

    from puv.cli.context import Context
    from puv.cli.output import Printer

    def failing(args: argparse.Namespace, ctx: Context) -> int:
        raise PermissionError(13, "Permission denied", "/x/.python-version")

    module = types.ModuleType("puv_test_failing_command")
    module.run = failing  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    err = io.StringIO()
    ctx = Context(argparse.Namespace(), Printer(err=err), ".")
    assert ctx.run(module.__name__, argparse.Namespace()) == 1
    assert err.getvalue() == "error: Permission denied at `/x/.python-version`\n"
