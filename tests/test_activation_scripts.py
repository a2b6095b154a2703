"""Tests for the activation script templates in ``src/puv/venv/scripts/``.

The templates are rendered straight from the source tree (the ``puv`` package is
not imported) into a fake virtual environment, then every shell found on the
machine sources them and reports what it sees. Shells that are not installed
are skipped.

Placeholder contract (the venv creator fills the templates with ``str.replace``):

- ``__VIRTUAL_ENV__``: absolute path of the environment, unescaped;
- ``__VIRTUAL_PROMPT__``: prompt text without parentheses, "" for the directory name;
- ``__BIN_NAME__``: ``bin`` (``Scripts`` on Windows);
- ``__PATH_SEP__``: ``:`` (``;`` on Windows).

The templates quote the values themselves, so a value must not contain a single
quote or a newline. The ``.bat`` templates use CRLF line endings: copy them with
``newline=""`` (or as bytes) to keep them.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRIPTS_DIR = Path(__file__).resolve().parent.parent / "src" / "puv" / "venv" / "scripts"

TEMPLATES = (
    "activate",
    "activate.fish",
    "activate.csh",
    "activate.nu",
    "activate.ps1",
    "activate_this.py",
    "activate.bat",
    "deactivate.bat",
)
PLACEHOLDERS = ("__VIRTUAL_ENV__", "__VIRTUAL_PROMPT__", "__BIN_NAME__", "__PATH_SEP__")

BASE_PROMPT = "base> "
OUTSIDE_PYTHONHOME = "/nonexistent/outside-pythonhome"
FAKE_PYTHON_MARKER = "fake-python-ran"
TIMEOUT = 60

# Prints the variables the activation scripts manage, as seen by a child process
# of the shell. Run with -E so that a PYTHONHOME in the environment does not
# break the interpreter itself.
PROBE_SOURCE = """\
import json, os, sys
keys = ("VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "PATH", "PYTHONHOME")
print(sys.argv[1] + "=" + json.dumps({key: os.environ.get(key) for key in keys}))
"""


# --------------------------------------------------------------------------- helpers


def render_template(name: str, venv: Path, prompt: str = "", bin_name: str = "bin") -> str:
    """Fill one template the way the venv creator does: plain ``str.replace``."""
    with open(SCRIPTS_DIR / name, encoding="utf-8", newline="") as f:
        text = f.read()
    replacements = {
        "__VIRTUAL_ENV__": str(venv),
        "__VIRTUAL_PROMPT__": prompt,
        "__BIN_NAME__": bin_name,
        "__PATH_SEP__": os.pathsep,
    }
    for placeholder, value in replacements.items():
        text = text.replace(placeholder, value)
    return text


def site_packages_of(venv: Path) -> Path:
    """Where a venv made for the running interpreter keeps its packages (POSIX layout)."""
    impl = "pypy" if sys.implementation.name == "pypy" else "python"
    free_threaded = "t" if getattr(sys, "_is_gil_enabled", lambda: True)() is False else ""
    version = f"{impl}{sys.version_info[0]}.{sys.version_info[1]}{free_threaded}"
    return venv / "lib" / version / "site-packages"


def make_fake_venv(venv: Path, prompt: str = "") -> Path:
    """Render every template into ``venv/bin`` next to a fake ``python``; return bin."""
    bin_dir = venv / "bin"
    bin_dir.mkdir(parents=True)
    for name in TEMPLATES:
        with open(bin_dir / name, "w", encoding="utf-8", newline="") as f:
            f.write(render_template(name, venv, prompt))

    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\necho "ran={FAKE_PYTHON_MARKER} $0"\n', encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    # Something for activate_this.py to find: a module and a .pth file.
    site_packages = site_packages_of(venv)
    site_packages.mkdir(parents=True)
    (site_packages / "puv_activation_probe.py").write_text("VALUE = 42\n", encoding="utf-8")
    extra = venv / "extra-path"
    extra.mkdir()
    (site_packages / "puv_extra.pth").write_text(f"{extra}\n", encoding="utf-8")
    return bin_dir


def clean_path(*extra_dirs: str) -> str:
    """A small, predictable PATH: system directories plus the shells' own."""
    dirs: list[str] = []
    for entry in (*extra_dirs, "/usr/local/bin", "/usr/bin", "/bin"):
        if entry and os.path.isdir(entry) and entry not in dirs:
            dirs.append(entry)
    return os.pathsep.join(dirs)


def q(value: str) -> str:
    """Single-quote a value for any of the shells used here."""
    assert "'" not in value, value
    return f"'{value}'"


def parse_report(stdout: str) -> dict[str, str]:
    """Collect the ``label=value`` lines the drivers print."""
    report: dict[str, str] = {}
    for line in stdout.splitlines():
        label, sep, value = line.partition("=")
        if sep and label and " " not in label:
            report[label] = value
    return report


def probe(report: dict[str, str], label: str) -> dict[str, str | None]:
    data: dict[str, str | None] = json.loads(report[label])
    return data


# --------------------------------------------------------------------------- shells


@dataclass(frozen=True)
class Shell:
    """How to drive one shell: its activation script and command syntax."""

    name: str
    script: str
    suffix: str

    def executable(self) -> str | None:
        return shutil.which(self.name)

    def argv(self, exe: str, driver: Path) -> list[str]:
        raise NotImplementedError

    def prelude(self) -> list[str]:
        return []

    def activate(self, bin_dir: Path) -> str:
        raise NotImplementedError

    def probe(self, probe_py: Path, label: str) -> str:
        return f"{q(sys.executable)} -E {q(str(probe_py))} {label}"

    def show_prompt(self, label: str) -> str:
        raise NotImplementedError

    def show_which_python(self, label: str) -> str:
        raise NotImplementedError

    def run_python(self) -> str:
        return "python"

    def deactivate(self) -> str:
        return "deactivate"

    def show_deactivate_defined(self, label: str) -> str:
        raise NotImplementedError


class Posix(Shell):
    """bash, zsh, dash, sh, ksh, mksh: all use ``bin/activate``."""

    def argv(self, exe: str, driver: Path) -> list[str]:
        if self.name == "bash":
            return [exe, "--norc", "--noprofile", str(driver)]
        if self.name == "zsh":
            return [exe, "-f", str(driver)]
        return [exe, str(driver)]

    def prelude(self) -> list[str]:
        # errexit and nounset: sourcing must work in strict scripts too.
        return ["set -eu", f"PS1={q(BASE_PROMPT)}"]

    def activate(self, bin_dir: Path) -> str:
        return f". {q(str(bin_dir / self.script))}"

    def show_prompt(self, label: str) -> str:
        return f"printf '%s=%s\\n' {label} \"$PS1\""

    def show_which_python(self, label: str) -> str:
        if self.name == "ksh":
            # ksh93 prints the path shell-quoted when it contains spaces.
            return f'eval "set -- $(command -v python)"; printf \'%s=%s\\n\' {label} "$1"'
        return f"printf '%s=%s\\n' {label} \"$(command -v python)\""

    def show_deactivate_defined(self, label: str) -> str:
        # `type` names shell functions as such in bash, zsh, dash and ksh.
        return (
            f'case "$(type deactivate 2>/dev/null)" in '
            f"*function*) echo {label}=yes ;; *) echo {label}=no ;; esac"
        )


class Fish(Shell):
    def argv(self, exe: str, driver: Path) -> list[str]:
        return [exe, "--no-config", str(driver)]

    def prelude(self) -> list[str]:
        return [f"function fish_prompt; printf '%s' {q(BASE_PROMPT)}; end"]

    def activate(self, bin_dir: Path) -> str:
        return f"source {q(str(bin_dir / self.script))}"

    def show_prompt(self, label: str) -> str:
        return f"printf '%s=%s\\n' {label} (fish_prompt | string join '')"

    def show_which_python(self, label: str) -> str:
        return f"printf '%s=%s\\n' {label} (command -s python)"

    def show_deactivate_defined(self, label: str) -> str:
        return f"if functions -q deactivate; echo {label}=yes; else; echo {label}=no; end"


class Csh(Shell):
    def argv(self, exe: str, driver: Path) -> list[str]:
        return [exe, "-f", str(driver)]

    def prelude(self) -> list[str]:
        return [f"set prompt = {q(BASE_PROMPT)}"]

    def activate(self, bin_dir: Path) -> str:
        return f"source {q(str(bin_dir / self.script))}"

    def show_prompt(self, label: str) -> str:
        return f"printf '%s=%s\\n' {label} \"$prompt\""

    def show_which_python(self, label: str) -> str:
        return f"printf '%s=%s\\n' {label} \"`which python`\""

    def show_deactivate_defined(self, label: str) -> str:
        return f"alias deactivate | grep -q . && echo {label}=yes || echo {label}=no"


class Nu(Shell):
    def argv(self, exe: str, driver: Path) -> list[str]:
        return [exe, "--no-config-file", str(driver)]

    def prelude(self) -> list[str]:
        return [f"$env.PROMPT_COMMAND = {{|| {q(BASE_PROMPT)} }}"]

    def activate(self, bin_dir: Path) -> str:
        return f"overlay use {q(str(bin_dir / self.script))}"

    def probe(self, probe_py: Path, label: str) -> str:
        return f"^{q(sys.executable)} -E {q(str(probe_py))} {label}"

    def show_prompt(self, label: str) -> str:
        return f"print ('{label}=' + (do $env.PROMPT_COMMAND))"

    def show_which_python(self, label: str) -> str:
        return f"print ('{label}=' + (which python | get path.0))"

    def run_python(self) -> str:
        return "^python"

    def show_deactivate_defined(self, label: str) -> str:
        found = "(scope aliases | where name == 'deactivate' | length) > 0"
        return f"print ('{label}=' + (if ({found}) {{ 'yes' }} else {{ 'no' }}))"


class Pwsh(Shell):
    def argv(self, exe: str, driver: Path) -> list[str]:
        return [exe, "-NoLogo", "-NoProfile", "-NonInteractive", "-File", str(driver)]

    def prelude(self) -> list[str]:
        return [f"function global:prompt {{ {q(BASE_PROMPT)} }}"]

    def activate(self, bin_dir: Path) -> str:
        return f". {q(str(bin_dir / self.script))}"

    def probe(self, probe_py: Path, label: str) -> str:
        return f"& {q(sys.executable)} -E {q(str(probe_py))} {label}"

    def show_prompt(self, label: str) -> str:
        # The environment prefix goes through Write-Host (stream 6): collect it too.
        return f"Write-Output ('{label}=' + ((prompt 6>&1) -join ''))"

    def show_which_python(self, label: str) -> str:
        command = "(Get-Command python -CommandType Application | Select-Object -First 1)"
        return f"Write-Output ('{label}=' + {command}.Source)"

    def run_python(self) -> str:
        return "& python"

    def show_deactivate_defined(self, label: str) -> str:
        found = "Get-Command deactivate -CommandType Function -ErrorAction SilentlyContinue"
        return f"if ({found}) {{ '{label}=yes' }} else {{ '{label}=no' }}"


SHELLS: tuple[Shell, ...] = (
    Posix("bash", "activate", ".sh"),
    Posix("sh", "activate", ".sh"),
    Posix("dash", "activate", ".sh"),
    Posix("zsh", "activate", ".zsh"),
    Posix("ksh", "activate", ".sh"),
    Posix("mksh", "activate", ".sh"),
    Fish("fish", "activate.fish", ".fish"),
    Csh("tcsh", "activate.csh", ".csh"),
    Csh("csh", "activate.csh", ".csh"),
    Nu("nu", "activate.nu", ".nu"),
    Pwsh("pwsh", "activate.ps1", ".ps1"),
)


@pytest.fixture(params=SHELLS, ids=[shell.name for shell in SHELLS])
def shell(request: pytest.FixtureRequest) -> Shell:
    candidate: Shell = request.param
    if candidate.executable() is None:
        pytest.skip(f"{candidate.name} is not installed")
    return candidate


@dataclass
class Run:
    report: dict[str, str]
    stdout: str
    stderr: str
    returncode: int

    def context(self) -> str:
        return f"rc={self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def base_env(tmp_path: Path, shell_exe: str) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        "HOME": str(home),
        "PATH": clean_path(os.path.dirname(shell_exe)),
        "PYTHONHOME": OUTSIDE_PYTHONHOME,
        "TERM": "dumb",
        "LANG": "C.UTF-8",
    }
    # Some shells need these to find their own files.
    for key in ("SYSTEMROOT", "TMPDIR"):
        if key in os.environ:
            env[key] = os.environ[key]
    return env


def run_shell(
    shell: Shell,
    tmp_path: Path,
    lines: Sequence[str],
    extra_env: dict[str, str] | None = None,
) -> Run:
    exe = shell.executable()
    assert exe is not None
    driver = tmp_path / f"driver{shell.suffix}"
    driver.write_text("\n".join([*shell.prelude(), *lines]) + "\n", encoding="utf-8")
    env = base_env(tmp_path, exe)
    env.update(extra_env or {})
    proc = subprocess.run(
        shell.argv(exe, driver),
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    return Run(parse_report(proc.stdout), proc.stdout, proc.stderr, proc.returncode)


@pytest.fixture
def probe_py(tmp_path: Path) -> Path:
    path = tmp_path / "probe.py"
    path.write_text(PROBE_SOURCE, encoding="utf-8")
    return path


def split_path(value: str | None) -> list[str]:
    assert value is not None
    return value.split(os.pathsep)


# --------------------------------------------------------------------------- templates


def test_all_templates_exist() -> None:
    missing = [name for name in TEMPLATES if not (SCRIPTS_DIR / name).is_file()]
    assert missing == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_rendering_leaves_no_placeholder(name: str, tmp_path: Path) -> None:
    text = render_template(name, tmp_path / "venv", "prompt")
    leftovers = [placeholder for placeholder in PLACEHOLDERS if placeholder in text]
    assert leftovers == []


def test_templates_use_the_venv_placeholder() -> None:
    # deactivate.bat only restores saved variables: it needs no placeholder.
    for name in TEMPLATES:
        if name == "deactivate.bat":
            continue
        text = (SCRIPTS_DIR / name).read_text(encoding="utf-8")
        assert "__VIRTUAL_ENV__" in text, name
        assert "__VIRTUAL_PROMPT__" in text, name


@pytest.mark.parametrize("name", ["activate.bat", "deactivate.bat"])
def test_batch_files_are_quiet_single_line_commands(name: str) -> None:
    raw = (SCRIPTS_DIR / name).read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"", "batch files end with CRLF"
    assert all(b"\n" not in line for line in lines), "batch files use CRLF line endings"
    for line in lines[:-1]:
        if line.strip():
            # "@" keeps an echo-on console quiet; no "(" blocks (see activate.bat).
            assert line.startswith(b"@"), line
            assert not line.rstrip().endswith(b"("), line


def test_activate_this_compiles_with_a_windows_path() -> None:
    text = render_template(
        "activate_this.py", Path(r"C:\Users\someone\new venv"), "", bin_name="Scripts"
    )
    compile(text, "activate_this.py", "exec")


SYNTAX_CHECKS: dict[str, tuple[str, list[str]]] = {
    "bash": ("activate", ["-n"]),
    "dash": ("activate", ["-n"]),
    "zsh": ("activate", ["-n"]),
    "ksh": ("activate", ["-n"]),
    "mksh": ("activate", ["-n"]),
    "fish": ("activate.fish", ["--no-execute"]),
    "tcsh": ("activate.csh", ["-f", "-n"]),
}


@pytest.mark.parametrize("shell_name", sorted(SYNTAX_CHECKS))
def test_template_syntax(shell_name: str, tmp_path: Path) -> None:
    exe = shutil.which(shell_name)
    if exe is None:
        pytest.skip(f"{shell_name} is not installed")
    script, flags = SYNTAX_CHECKS[shell_name]
    bin_dir = make_fake_venv(tmp_path / "venv")
    proc = subprocess.run(
        [exe, *flags, str(bin_dir / script)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_powershell_template_parses(tmp_path: Path) -> None:
    exe = shutil.which("pwsh")
    if exe is None:
        pytest.skip("pwsh is not installed")
    bin_dir = make_fake_venv(tmp_path / "venv")
    check = (
        "$errors = $null; "
        f"[void][System.Management.Automation.Language.Parser]::ParseFile("
        f"{q(str(bin_dir / 'activate.ps1'))}, [ref]$null, [ref]$errors); "
        "if ($errors) { $errors | ForEach-Object { $_.ToString() }; exit 1 }"
    )
    proc = subprocess.run(
        [exe, "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", check],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------------- shells


VENV_CASES = {
    # id: (directory under tmp_path, prompt placeholder value, expected prompt)
    "default-prompt": ("venv", "", "venv"),
    "custom-prompt": ("venv", "my project", "my project"),
    "path-with-spaces": ("dir with spaces/my venv", "", "my venv"),
}


@pytest.mark.parametrize("case", sorted(VENV_CASES))
def test_activate_and_deactivate(shell: Shell, case: str, tmp_path: Path, probe_py: Path) -> None:
    directory, prompt, expected_prompt = VENV_CASES[case]
    venv = tmp_path / directory
    bin_dir = make_fake_venv(venv, prompt)

    run = run_shell(
        shell,
        tmp_path,
        [
            shell.probe(probe_py, "before"),
            shell.activate(bin_dir),
            shell.probe(probe_py, "active"),
            shell.show_prompt("prompt_active"),
            shell.show_which_python("which"),
            shell.run_python(),
            shell.show_deactivate_defined("defined_active"),
            shell.deactivate(),
            shell.probe(probe_py, "after"),
            shell.show_prompt("prompt_after"),
            shell.show_deactivate_defined("defined_after"),
        ],
    )
    assert run.returncode == 0, run.context()
    before = probe(run.report, "before")
    active = probe(run.report, "active")
    after = probe(run.report, "after")

    assert before["VIRTUAL_ENV"] is None
    assert before["PYTHONHOME"] == OUTSIDE_PYTHONHOME

    assert active["VIRTUAL_ENV"] == str(venv), run.context()
    assert active["VIRTUAL_ENV_PROMPT"] == expected_prompt
    active_path = split_path(active["PATH"])
    assert active_path[0] == str(bin_dir)
    assert active_path[1:] == split_path(before["PATH"])
    assert active["PYTHONHOME"] is None
    assert run.report["prompt_active"] == f"({expected_prompt}) {BASE_PROMPT}"
    assert run.report["which"] == str(bin_dir / "python")
    assert run.report["ran"] == f"{FAKE_PYTHON_MARKER} {bin_dir / 'python'}"
    assert run.report["defined_active"] == "yes"

    assert after["PATH"] == before["PATH"]
    assert after["VIRTUAL_ENV"] is None
    assert after["VIRTUAL_ENV_PROMPT"] is None
    assert after["PYTHONHOME"] == OUTSIDE_PYTHONHOME
    assert run.report["prompt_after"] == BASE_PROMPT
    assert run.report["defined_after"] == "no"


def test_reactivation_switches_environments(shell: Shell, tmp_path: Path, probe_py: Path) -> None:
    first_bin = make_fake_venv(tmp_path / "first")
    second_bin = make_fake_venv(tmp_path / "second")

    run = run_shell(
        shell,
        tmp_path,
        [
            shell.probe(probe_py, "before"),
            shell.activate(first_bin),
            shell.activate(second_bin),
            shell.probe(probe_py, "active"),
            shell.show_prompt("prompt_active"),
            shell.show_which_python("which"),
            shell.deactivate(),
            shell.probe(probe_py, "after"),
            shell.show_prompt("prompt_after"),
            shell.show_deactivate_defined("defined_after"),
        ],
    )
    assert run.returncode == 0, run.context()
    before = probe(run.report, "before")
    active = probe(run.report, "active")
    after = probe(run.report, "after")

    assert active["VIRTUAL_ENV"] == str(tmp_path / "second"), run.context()
    assert active["VIRTUAL_ENV_PROMPT"] == "second"
    assert split_path(active["PATH"]) == [str(second_bin), *split_path(before["PATH"])]
    assert active["PYTHONHOME"] is None
    assert run.report["prompt_active"] == f"(second) {BASE_PROMPT}"
    assert run.report["which"] == str(second_bin / "python")

    assert after["PATH"] == before["PATH"]
    assert after["VIRTUAL_ENV"] is None
    assert after["VIRTUAL_ENV_PROMPT"] is None
    assert after["PYTHONHOME"] == OUTSIDE_PYTHONHOME
    assert run.report["prompt_after"] == BASE_PROMPT
    assert run.report["defined_after"] == "no"


def test_disable_prompt(shell: Shell, tmp_path: Path, probe_py: Path) -> None:
    bin_dir = make_fake_venv(tmp_path / "venv")

    run = run_shell(
        shell,
        tmp_path,
        [
            shell.activate(bin_dir),
            shell.probe(probe_py, "active"),
            shell.show_prompt("prompt_active"),
            shell.deactivate(),
            shell.show_prompt("prompt_after"),
        ],
        extra_env={"VIRTUAL_ENV_DISABLE_PROMPT": "1"},
    )
    assert run.returncode == 0, run.context()
    active = probe(run.report, "active")
    assert active["VIRTUAL_ENV"] == str(tmp_path / "venv"), run.context()
    assert active["VIRTUAL_ENV_PROMPT"] == "venv"
    assert run.report["prompt_active"] == BASE_PROMPT
    assert run.report["prompt_after"] == BASE_PROMPT


# Shells whose script notices it was executed rather than sourced.
EXECUTED_CHECKS: dict[str, tuple[str, list[str]]] = {
    "bash": ("activate", ["--norc", "--noprofile"]),
    "zsh": ("activate", ["-f"]),
    "fish": ("activate.fish", ["--no-config"]),
    "tcsh": ("activate.csh", ["-f"]),
    "csh": ("activate.csh", ["-f"]),
}


@pytest.mark.parametrize("shell_name", sorted(EXECUTED_CHECKS))
def test_executing_instead_of_sourcing_fails(shell_name: str, tmp_path: Path) -> None:
    exe = shutil.which(shell_name)
    if exe is None:
        pytest.skip(f"{shell_name} is not installed")
    script, flags = EXECUTED_CHECKS[shell_name]
    bin_dir = make_fake_venv(tmp_path / "venv")
    path = bin_dir / script
    proc = subprocess.run(
        [exe, *flags, str(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        env=base_env(tmp_path, exe),
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"You must source this script: $ source {path}"
    assert proc.stdout == ""


def test_executing_bash_script_directly_fails(tmp_path: Path) -> None:
    exe = shutil.which("bash")
    if exe is None:
        pytest.skip("bash is not installed")
    bin_dir = make_fake_venv(tmp_path / "venv")
    # Started as `./activate` from bash: no shebang, so bash runs it itself.
    (bin_dir / "activate").chmod(0o755)
    proc = subprocess.run(
        [exe, "--norc", "--noprofile", "-c", "cd bin && ./activate"],
        cwd=bin_dir.parent,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        env=base_env(tmp_path, exe),
    )
    assert proc.returncode == 1
    assert "You must source this script: $ source ./activate" in proc.stderr


# --------------------------------------------------------------------------- activate_this.py

ACTIVATE_THIS_CHECK = """\
import json, os, sys
activator = sys.argv[1]
old_path = os.environ["PATH"]
with open(activator) as f:
    exec(f.read(), {"__file__": activator})
import puv_activation_probe
print(json.dumps({
    "prefix": sys.prefix,
    "exec_prefix": sys.exec_prefix,
    "base_prefix": sys.base_prefix,
    "sys_path": sys.path,
    "module": puv_activation_probe.__file__,
    "value": puv_activation_probe.VALUE,
    "VIRTUAL_ENV": os.environ.get("VIRTUAL_ENV"),
    "VIRTUAL_ENV_PROMPT": os.environ.get("VIRTUAL_ENV_PROMPT"),
    "PATH": os.environ["PATH"],
    "old_path": old_path,
    "leaked": sorted(name for name in globals() if name.startswith("_puv")),
}))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the fake venv uses the POSIX layout")
@pytest.mark.parametrize("case", sorted(VENV_CASES))
def test_activate_this(case: str, tmp_path: Path) -> None:
    directory, prompt, expected_prompt = VENV_CASES[case]
    venv = tmp_path / directory
    bin_dir = make_fake_venv(venv, prompt)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["PATH"] = clean_path()
    proc = subprocess.run(
        [sys.executable, "-c", ACTIVATE_THIS_CHECK, str(bin_dir / "activate_this.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)

    site_packages = str(site_packages_of(venv))
    assert result["prefix"] == str(venv)
    assert result["exec_prefix"] == str(venv)
    assert result["base_prefix"] != str(venv)
    assert result["sys_path"][0] == site_packages
    assert str(venv / "extra-path") in result["sys_path"], "the .pth file was processed"
    assert result["module"] == os.path.join(site_packages, "puv_activation_probe.py")
    assert result["value"] == 42
    assert result["VIRTUAL_ENV"] == str(venv)
    assert result["VIRTUAL_ENV_PROMPT"] == expected_prompt
    assert result["PATH"] == os.pathsep.join([str(bin_dir), result["old_path"]])
    assert result["leaked"] == []


# --------------------------------------------------------------------------- a real venv


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shells only")
@pytest.mark.parametrize("shell_name", ["bash", "sh"])
def test_real_venv_interpreter_after_activation(shell_name: str, tmp_path: Path) -> None:
    """Inside a real venv the activated `python` is the venv's own interpreter."""
    exe = shutil.which(shell_name)
    if exe is None:
        pytest.skip(f"{shell_name} is not installed")
    venv = tmp_path / "real venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (venv / "bin" / "activate").write_text(render_template("activate", venv), encoding="utf-8")
    script = (
        f". {q(str(venv / 'bin' / 'activate'))}\n"
        "python -c 'import os, sys; print(sys.prefix); print(os.environ[\"VIRTUAL_ENV\"])'\n"
    )
    env = base_env(tmp_path, exe)
    del env["PYTHONHOME"]
    proc = subprocess.run(
        [exe, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    prefix, virtual_env = proc.stdout.splitlines()
    assert os.path.realpath(prefix) == os.path.realpath(venv)
    assert virtual_env == str(venv)
