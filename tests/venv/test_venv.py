"""`puv venv`: layout as uv makes it, options, errors, and environments that really work."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from puv import __version__
from puv.venv import create as create_module
from tests.conftest import Runner, assert_clean_error

CURRENT = f"{sys.version_info.major}.{sys.version_info.minor}"
VERSION = ".".join(map(str, sys.version_info[:3]))


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def test_default_venv_layout_matches_uv(puv: Runner, workdir: Path) -> None:
    result = puv("venv", "--python", sys.executable)
    assert result.returncode == 0, result
    assert result.stderr.splitlines()[1:] == [
        "Creating virtual environment at: .venv",
        "Activate with: source .venv/bin/activate",
    ]
    assert result.stderr.startswith(f"Using CPython {VERSION} interpreter at: ")
    venv = workdir / ".venv"
    cfg = (venv / "pyvenv.cfg").read_text().splitlines()
    assert [line.split(" = ")[0] for line in cfg] == [
        "home", "implementation", "puv", "version_info", "include-system-site-packages",
        "prompt",
    ]
    assert f"version_info = {VERSION}" in cfg
    assert "implementation = CPython" in cfg
    assert f"puv = {__version__}" in cfg
    assert "include-system-site-packages = false" in cfg
    assert "prompt = work" in cfg  # the project directory's name, as uv does
    assert (venv / ".gitignore").read_text() == "*"
    assert (venv / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f")
    assert os.readlink(venv / "bin" / "python3") == "python"
    assert os.readlink(venv / "bin" / f"python{CURRENT}") == "python"
    assert Path(os.readlink(venv / "bin" / "python")).is_absolute()
    assert (venv / "lib" / f"python{CURRENT}" / "site-packages").is_dir()
    if sys.maxsize > 2**32:
        assert os.readlink(venv / "lib64") == "lib"
    for script in ("activate", "activate.fish", "activate.csh", "activate.nu", "activate.ps1",
                   "activate_this.py", "activate.bat", "deactivate.bat"):
        text = (venv / "bin" / script).read_text()
        assert "__VIRTUAL_ENV__" not in text and "__BIN_NAME__" not in text
    assert str(venv) in (venv / "bin" / "activate").read_text()
    assert (venv / "bin" / "activate.bat").read_bytes().count(b"\r\n") > 3  # kept CRLF
    # Nothing is left behind from staging, and the directory has ordinary permissions.
    assert [p.name for p in workdir.iterdir()] == [".venv"]
    assert venv.stat().st_mode & 0o755 == 0o755


def test_venv_python_runs_isolated_without_pip(puv: Runner, workdir: Path) -> None:
    assert puv("venv", "-q").returncode == 0
    venv = workdir / ".venv"
    out = subprocess.run(
        [str(_python(venv)), "-c",
         "import sys, importlib.util; print(sys.prefix); print(sys.base_prefix != sys.prefix);"
         "print(importlib.util.find_spec('pip') is None)"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    assert out == [str(venv), "True", "True"]


def test_name_option_is_the_same_as_the_path(puv: Runner, workdir: Path) -> None:
    result = puv("venv", "--name", "uv_venv")
    assert result.returncode == 0, result
    assert (workdir / "uv_venv" / "pyvenv.cfg").is_file()
    assert "Creating virtual environment at: uv_venv" in result.stderr
    assert "prompt" not in (workdir / "uv_venv" / "pyvenv.cfg").read_text()


def test_name_and_a_different_path_conflict(puv: Runner) -> None:
    result = puv("venv", "a", "--name", "b")
    assert result.returncode == 2
    assert "`--name b` and the path `a` disagree" in result.stderr


def test_prompt_and_system_site_packages(puv: Runner, workdir: Path) -> None:
    assert puv("venv", "e", "--prompt", "hello", "--system-site-packages").returncode == 0
    cfg = (workdir / "e" / "pyvenv.cfg").read_text()
    assert "prompt = hello" in cfg
    assert "include-system-site-packages = true" in cfg
    assert puv("venv", "f", "--prompt", ".").returncode == 0
    assert "prompt = work" in (workdir / "f" / "pyvenv.cfg").read_text()


def test_existing_venv_needs_clear(puv: Runner, workdir: Path) -> None:
    assert puv("venv", "-q").returncode == 0
    marker = workdir / ".venv" / "lib" / "marker"
    marker.write_text("x")
    stderr = assert_clean_error(puv("venv"))
    assert "a virtual environment already exists at" in stderr
    assert "hint: use the `--clear` flag or set `UV_VENV_CLEAR=1`" in stderr
    assert marker.exists()
    assert puv("venv", "--allow-existing", "-q").returncode == 0
    assert marker.exists()
    assert puv("venv", "--clear", "-q").returncode == 0
    assert not marker.exists()
    assert puv("venv", "-q", env={"UV_VENV_CLEAR": "1"}).returncode == 0


def test_non_venv_directory_is_not_cleared_without_force(puv: Runner, workdir: Path) -> None:
    target = workdir / "data"
    target.mkdir()
    (target / "precious.txt").write_text("keep me")
    stderr = assert_clean_error(puv("venv", "data"))
    assert "a directory already exists at" in stderr
    stderr = assert_clean_error(puv("venv", "data", "--clear"))
    assert "will not clear" in stderr and "`--force`" in stderr
    assert (target / "precious.txt").exists()
    assert puv("venv", "data", "--clear", "--force", "-q").returncode == 0
    assert not (target / "precious.txt").exists()


def test_empty_directory_is_used(puv: Runner, workdir: Path) -> None:
    (workdir / "empty").mkdir()
    assert puv("venv", "empty", "-q").returncode == 0
    assert (workdir / "empty" / "pyvenv.cfg").is_file()


def test_a_file_in_the_way_is_a_clean_error(puv: Runner, workdir: Path) -> None:
    (workdir / "afile").write_text("not a venv")
    stderr = assert_clean_error(puv("venv", "afile"))
    assert f"Failed to create virtual environment at `{workdir / 'afile'}`: a file is in the way" \
        in stderr
    assert (workdir / "afile").read_text() == "not a venv"


def test_quote_in_the_path_is_refused(puv: Runner, workdir: Path) -> None:
    stderr = assert_clean_error(puv("venv", "bob's env"))
    assert "contains a quote or a line break" in stderr
    assert not (workdir / "bob's env").exists()


def test_missing_interpreter_errors(puv: Runner, workdir: Path) -> None:
    stderr = assert_clean_error(puv("venv", "--python", "9.9"))
    assert stderr.startswith("error: No interpreter found for Python 9.9 in managed "
                             "installations, search path, or pyenv installations\n")
    assert "hint: the interpreters found are" in stderr
    stderr = assert_clean_error(puv("venv", "--python", "/nonexistent"))
    assert stderr == "error: No interpreter found at path `/nonexistent`\n"
    assert not (workdir / ".venv").exists()


def test_uv_python_env_var_is_a_request(puv: Runner, workdir: Path) -> None:
    stderr = assert_clean_error(puv("venv", env={"UV_PYTHON": "/nonexistent"}))
    assert "`/nonexistent`" in stderr


def test_seed_installs_pip_from_the_index(puv: Runner, workdir: Path, package_index) -> None:
    seeds = {"console_scripts": {"pip": "pip:main"}}
    index = package_index({
        "pip": {"24.0": {"entry_points": seeds}, "25.0": {"entry_points": seeds}},
        "setuptools": ["70.0"],
        "wheel": ["0.43.0"],
    })
    result = puv("venv", "--seed", "--python", sys.executable, "--index-url", index.url)
    assert result.returncode == 0, result.stderr
    assert "Creating virtual environment with seed packages at: .venv" in result.stderr
    assert " + pip==25.0" in result.stderr
    old_python = sys.version_info < (3, 12)
    assert (" + setuptools==70.0" in result.stderr) is old_python
    site = Path(sysconfig.get_path("purelib", vars={"base": str(workdir / ".venv"),
                                                    "platbase": str(workdir / ".venv")}))
    assert (site / "pip-25.0.dist-info" / "INSTALLER").read_text() == "puv\n"
    assert os.access(workdir / ".venv" / "bin" / "pip", os.X_OK)


def test_seed_failure_leaves_no_environment(puv: Runner, workdir: Path, package_index) -> None:
    index = package_index({"other": ["1.0"]})
    result = puv("venv", "--seed", "--python", sys.executable, "--index-url", index.url)
    stderr = assert_clean_error(result)
    assert "pip" in stderr
    assert not (workdir / ".venv").exists()


def test_venv_from_a_venv_interpreter_uses_the_base(puv: Runner, workdir: Path) -> None:
    assert puv("venv", "first", "-q").returncode == 0
    result = puv("venv", "second", "--python", str(workdir / "first" / "bin" / "python"))
    assert result.returncode == 0, result
    home = (workdir / "second" / "pyvenv.cfg").read_text().splitlines()[0]
    assert "first" not in home


def test_python_version_file_and_requires_python_choose(puv: Runner, workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text(
        f'[project]\nname = "p"\nversion = "0"\nrequires-python = "=={CURRENT}.*"\n')
    result = puv("venv")
    assert result.returncode == 0, result
    assert f"version_info = {CURRENT}" in (workdir / ".venv" / "pyvenv.cfg").read_text()
    (workdir / ".python-version").write_text("9.9\n")
    stderr = assert_clean_error(puv("venv", "other"))
    assert "Python 9.9" in stderr


def test_invalid_requires_python_is_a_clean_error(puv: Runner, workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[project]\nname = "p"\nrequires-python = ">=3..1"\n')
    stderr = assert_clean_error(puv("venv"))
    assert "`project.requires-python`" in stderr and "`>=3..1`" in stderr


def test_python_two_is_refused(puv: Runner, workdir: Path) -> None:
    python2 = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions" / \
        "2.7.18" / "bin" / "python"
    if not python2.exists():
        pytest.skip("no Python 2.7 here")
    stderr = assert_clean_error(puv("venv", "--python", str(python2)))
    assert "CPython 2.7.18" in stderr and "is not supported" in stderr
    assert not (workdir / ".venv").exists()


def test_failure_while_populating_leaves_nothing(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from puv.python.interpreter import query_interpreter
    from puv.venv import VenvOptions, create_venv

    interpreter = query_interpreter(Path(sys.executable), tmp_path / "cache")

    def boom(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(create_module, "_write_scripts", boom)
    with pytest.raises(KeyboardInterrupt):
        create_venv(tmp_path / "env" / ".venv", interpreter, VenvOptions())
    assert list((tmp_path / "env").iterdir()) == []


def test_failure_while_clearing_keeps_the_old_venv(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from puv.errors import VenvError
    from puv.python.interpreter import query_interpreter
    from puv.venv import VenvOptions, create_venv

    interpreter = query_interpreter(Path(sys.executable), tmp_path / "cache")
    target = tmp_path / ".venv"
    create_venv(target, interpreter, VenvOptions(prompt="old"))

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(create_module, "_write_cfg", broken)
    with pytest.raises(VenvError, match="No space left on device"):
        create_venv(target, interpreter, VenvOptions(prompt="new", clear=True))
    assert "prompt = old" in (target / "pyvenv.cfg").read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".venv")] == [".venv"]


def test_activate_in_bash_sets_the_environment(puv: Runner, workdir: Path) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    assert puv("venv", "-q").returncode == 0
    script = "source .venv/bin/activate && echo $VIRTUAL_ENV && python -c 'import sys; print(sys.prefix)'"
    out = subprocess.run([bash, "-c", script], cwd=workdir, capture_output=True, text=True,
                         env={"PATH": os.environ["PATH"], "HOME": str(workdir)})
    assert out.stdout.split() == [str(workdir / ".venv")] * 2, out.stderr


def test_pip_installs_into_a_puv_venv(puv: Runner, workdir: Path, package_index) -> None:  # type: ignore[no-untyped-def]
    index = package_index({"tinypkg": {"1.0.0": {"entry_points": {
        "console_scripts": {"tiny": "tinypkg:__version__"}}}}})
    assert puv("venv", "-q").returncode == 0
    python = workdir / ".venv" / "bin" / "python"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--isolated", "--disable-pip-version-check",
         "--python", str(python), "install", "--no-index", "--find-links",
         str(index.find_links_dir), "tinypkg"],
        capture_output=True, text=True, env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
    )
    if "no such option: --python" in proc.stderr:
        pytest.skip("this pip has no --python")
    assert proc.returncode == 0, proc.stderr
    check = subprocess.run([str(python), "-c", "import tinypkg; print(tinypkg.__version__)"],
                           capture_output=True, text=True)
    assert check.stdout.strip() == "1.0.0"
    assert (workdir / ".venv" / "bin" / "tiny").exists()


def test_stdlib_venv_tools_work_on_a_puv_venv(puv: Runner, workdir: Path) -> None:
    assert puv("venv", "-q").returncode == 0
    python = workdir / ".venv" / "bin" / "python"
    proc = subprocess.run([str(python), "-m", "ensurepip", "--default-pip"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    version = subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True,
                             text=True)
    assert str(workdir / ".venv") in version.stdout


def test_uv_can_install_into_a_puv_venv(puv: Runner, workdir: Path, package_index) -> None:  # type: ignore[no-untyped-def]
    beside = Path(sys.executable).parent / "uv"
    uv = str(beside) if beside.exists() else shutil.which("uv") or os.environ.get("UV_BINARY")
    if not uv:
        pytest.skip("uv is not installed")
    index = package_index({"tinypkg": ["1.0.0"]})
    assert puv("venv", "-q").returncode == 0
    proc = subprocess.run(
        [uv, "pip", "install", "--python", str(workdir / ".venv" / "bin" / "python"),
         "--no-index", "--find-links", str(index.find_links_dir), "tinypkg",
         "--cache-dir", str(workdir / "uv-cache")],
        capture_output=True, text=True, env={**os.environ, "UV_NO_CONFIG": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    site = workdir / ".venv" / "lib" / f"python{CURRENT}" / "site-packages"
    assert (site / "tinypkg" / "__init__.py").is_file()
