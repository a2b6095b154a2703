"""`puv pip sync pylock.toml`: a PEP 751 lock (here the one `puv export` writes) installs what
it selects for the target environment."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import assert_clean_error
from tests.lock.projects import DESCRIPTION, PYTHON, write_project


def test_pip_sync_installs_what_the_pylock_selects(package_index, puv, workdir: Path) -> None:
    index = package_index(DESCRIPTION)
    write_project("markers", workdir, index.url)
    env = {"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"}
    result = puv("export", "--format", "pylock.toml", "-o", "pylock.toml", "--python", PYTHON,
                 env=env)
    assert result.returncode == 0, result.stderr
    assert puv("venv", "-p", PYTHON, "env", env=env).returncode == 0
    result = puv("pip", "sync", "pylock.toml", "--python", "env/bin/python", env=env)
    assert result.returncode == 0, result.stderr
    # CPython 3.12 on Linux: gamma 2 (>= 3.11), beta through delta[y] (linux), no winonly.
    installed = {line.split("==")[0][3:]: line.split("==")[1].split()[0]
                 for line in result.stderr.splitlines() if line.startswith(" + ")}
    assert installed == {"beta": "1.0.0", "delta": "1.0.0", "gamma": "2.0.0"}


def test_invalid_pylock_is_named(puv, workdir: Path) -> None:
    (workdir / "pylock.toml").write_text('lock-version = "9.0"\ncreated-by = "x"\n')
    assert puv("venv", "-p", PYTHON, "env").returncode == 0
    message = assert_clean_error(puv("pip", "sync", "pylock.toml", "--python",
                                     "env/bin/python"))
    assert "pylock.toml" in message


def test_pip_install_r_pylock_installs_it_and_keeps_the_rest(package_index, puv,
                                                              workdir: Path) -> None:
    index = package_index(DESCRIPTION)
    write_project("markers", workdir, index.url)
    env = {"UV_DEFAULT_INDEX": index.url, "UV_PYTHON_DOWNLOADS": "never"}
    assert puv("export", "--format", "pylock.toml", "-o", "pylock.toml", "--python", PYTHON,
               env=env).returncode == 0
    assert puv("venv", "-p", PYTHON, "env", env=env).returncode == 0
    assert puv("pip", "install", "winonly", "--python", "env/bin/python",
               env=env).returncode == 0
    result = puv("pip", "install", "-r", "pylock.toml", "--python", "env/bin/python", env=env)
    assert result.returncode == 0, result.stderr
    frozen = puv("pip", "freeze", "--python", "env/bin/python").stdout.split()
    # The lock's selection is installed, and `winonly` (not in the lock) is kept.
    assert sorted(frozen) == ["beta==1.0.0", "delta==1.0.0", "gamma==2.0.0", "winonly==1.0.0"]
    message = assert_clean_error(puv("pip", "install", "-r", "pylock.toml", "alpha",
                                     "--python", "env/bin/python", env=env))
    assert "pylock.toml" in message and "combined" in message
