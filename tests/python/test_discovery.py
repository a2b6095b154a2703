"""Finding interpreters: PATH, virtual environments, pyenv shims and installs, the cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from puv.errors import PythonNotFound
from puv.python import discovery, interpreter
from puv.python.discovery import find_all, find_python
from puv.python.interpreter import query_interpreter
from puv.python.request import parse_request
from tests.conftest import Runner, assert_clean_error

CURRENT = f"{sys.version_info.major}.{sys.version_info.minor}"
PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


def _installed() -> dict[str, Path]:
    """Real CPython 3 installations on this machine (pyenv's), by `X.Y`."""
    found = {}
    if PYENV.is_dir():
        for directory in sorted(PYENV.iterdir()):
            exe = directory / "bin" / "python3"
            parts = directory.name.split(".")
            if exe.exists() and len(parts) == 3 and parts[0] == "3" and parts[1].isdigit():
                found[f"3.{parts[1]}"] = exe
    return found


INSTALLED = _installed()


def _bin(tmp_path: Path, links: dict[str, str | Path]) -> Path:
    directory = tmp_path / "bin"
    directory.mkdir(exist_ok=True)
    for name, target in links.items():
        os.symlink(target, directory / name)
    return directory


def _environ(tmp_path: Path, path: Path, **extra: str) -> dict[str, str]:
    return {"PATH": str(path), "HOME": str(tmp_path / "home"),
            "PYENV_ROOT": str(tmp_path / "no-pyenv"), **extra}


def test_finds_the_first_python_on_path(tmp_path: Path) -> None:
    path = _bin(tmp_path, {"python3": sys.executable})
    found = find_python(parse_request(None), cache_dir=tmp_path / "c", project_dir=tmp_path,
                        environ=_environ(tmp_path, path))
    assert found.path == str(path / "python3")
    assert found.python_version == CURRENT


def test_version_request_skips_other_versions(tmp_path: Path) -> None:
    if len(INSTALLED) < 2:
        pytest.skip("needs two CPython versions")
    (_old, old_exe), (new, new_exe) = list(INSTALLED.items())[:2]
    path = _bin(tmp_path, {"python3": old_exe, f"python{new}": new_exe})
    found = find_python(parse_request(new), cache_dir=tmp_path / "c", project_dir=tmp_path,
                        environ=_environ(tmp_path, path))
    assert found.path == str(path / f"python{new}")
    assert found.python_version == new


def test_active_virtualenv_comes_first(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text(f"home = {Path(sys.executable).parent}\n")
    os.symlink(sys.executable, venv / "bin" / "python")
    path = _bin(tmp_path, {"python3": sys.executable})
    environ = _environ(tmp_path, path, VIRTUAL_ENV=str(venv))
    found = find_python(parse_request(None), cache_dir=tmp_path / "c", project_dir=tmp_path,
                        environ=environ)
    assert found.path == str(venv / "bin" / "python")
    system = find_python(parse_request(None), cache_dir=tmp_path / "c", project_dir=tmp_path,
                         environ=environ, environments=False)
    assert system.path == str(path / "python3")


def test_dot_venv_in_a_parent_directory_is_found(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /x\n")
    os.symlink(sys.executable, venv / "bin" / "python")
    (tmp_path / "a" / "b").mkdir(parents=True)
    found = find_python(parse_request(None), cache_dir=None, project_dir=tmp_path / "a" / "b",
                        environ=_environ(tmp_path, tmp_path / "empty"))
    assert found.path == str(venv / "bin" / "python")


def _fake_pyenv(tmp_path: Path, version: str, target: str | Path) -> Path:
    root = tmp_path / "pyenv"
    (root / "versions" / version / "bin").mkdir(parents=True)
    os.symlink(target, root / "versions" / version / "bin" / "python3")
    shims = root / "shims"
    shims.mkdir()
    shim = shims / "python3"
    shim.write_text("#!/usr/bin/env bash\necho 'this shim must not run' >&2\nexit 3\n")
    shim.chmod(0o755)
    return root


def test_pyenv_shim_is_resolved_without_running_it(tmp_path: Path) -> None:
    root = _fake_pyenv(tmp_path, "3.99.1", sys.executable)
    (root / "version").write_text("3.99.1\n")
    environ = {"PATH": str(root / "shims"), "PYENV_ROOT": str(root), "HOME": str(tmp_path)}
    found = find_python(parse_request(None), cache_dir=tmp_path / "c", project_dir=tmp_path,
                        environ=environ)
    assert found.path == str(root / "versions" / "3.99.1" / "bin" / "python3")


def test_pyenv_version_env_and_local_file_select_the_version(tmp_path: Path) -> None:
    root = _fake_pyenv(tmp_path, "3.99.1", sys.executable)
    (root / "versions" / "3.98.0" / "bin").mkdir(parents=True)
    os.symlink(sys.executable, root / "versions" / "3.98.0" / "bin" / "python3")
    (root / "version").write_text("system\n")
    base = {"PATH": str(root / "shims"), "PYENV_ROOT": str(root), "HOME": str(tmp_path)}
    found = find_python(parse_request(None), cache_dir=None, project_dir=tmp_path,
                        environ={**base, "PYENV_VERSION": "3.98.0"})
    assert Path(found.path).parent.parent.name == "3.98.0"
    project = tmp_path / "project"
    project.mkdir()
    (project / ".python-version").write_text("3.99\n")  # a prefix, as newer pyenv allows
    found = find_python(parse_request(None), cache_dir=None, project_dir=project,
                        environ=base)
    assert Path(found.path).parent.parent.name == "3.99.1"


def test_pyenv_installs_are_found_when_not_on_path(tmp_path: Path) -> None:
    root = _fake_pyenv(tmp_path, f"{CURRENT}.99", sys.executable)
    environ = {"PATH": str(tmp_path / "empty"), "PYENV_ROOT": str(root), "HOME": str(tmp_path)}
    found = find_python(parse_request(CURRENT), cache_dir=None, project_dir=tmp_path,
                        environ=environ)
    assert found.path == str(root / "versions" / f"{CURRENT}.99" / "bin" / "python3")


def test_candidates_named_for_another_version_are_not_run(tmp_path: Path) -> None:
    root = _fake_pyenv(tmp_path, "3.99.1", tmp_path / "does-not-matter")
    environ = {"PATH": str(tmp_path / "empty"), "PYENV_ROOT": str(root), "HOME": str(tmp_path)}
    with pytest.raises(PythonNotFound):
        find_python(parse_request(CURRENT), cache_dir=None, project_dir=tmp_path,
                    environ=environ)


@pytest.mark.skipif(not INSTALLED, reason="no pyenv installations on this machine")
def test_real_pyenv_versions_are_all_discovered(tmp_path: Path) -> None:
    environ = {"PATH": str(tmp_path / "empty"), "PYENV_ROOT": str(PYENV.parent),
               "HOME": str(tmp_path)}
    found = {i.python_version for i, _ in find_all(cache_dir=tmp_path / "c",
                                                   project_dir=tmp_path, environ=environ)}
    assert set(INSTALLED) <= found


def test_not_found_names_the_request_and_the_sources(tmp_path: Path) -> None:
    path = _bin(tmp_path, {"python3": sys.executable})
    with pytest.raises(PythonNotFound) as info:
        find_python(parse_request("9.9"), cache_dir=None, project_dir=tmp_path,
                    environ=_environ(tmp_path, path))
    assert info.value.message == (
        "No interpreter found for Python 9.9 in virtual environments, managed installations, "
        "search path, or pyenv installations"
    )
    assert info.value.hint is not None and CURRENT in info.value.hint


def test_path_request_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PythonNotFound, match="No interpreter found at path `/nonexistent`"):
        find_python(parse_request("/nonexistent"), cache_dir=None, project_dir=tmp_path)


def test_path_request_for_a_directory_uses_its_interpreter(tmp_path: Path) -> None:
    venv = tmp_path / "env"
    (venv / "bin").mkdir(parents=True)
    os.symlink(sys.executable, venv / "bin" / "python")
    found = find_python(parse_request(str(venv)), cache_dir=None, project_dir=tmp_path)
    assert found.path == str(venv / "bin" / "python")


def test_a_file_that_is_not_python_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho nope\n")
    fake.chmod(0o755)
    with pytest.raises(Exception, match="is not a working Python interpreter"):
        query_interpreter(fake)


def test_introspection_is_cached_by_path_and_mtime(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    link = tmp_path / "python3"
    os.symlink(sys.executable, link)
    cache = tmp_path / "cache"
    first = query_interpreter(link, cache)
    assert first.markers["python_version"] == CURRENT
    assert first.info["paths"]["purelib"]
    assert first.venv_scheme["scripts"] in ("bin", "Scripts")
    calls: list[str] = []
    real = interpreter._run_query

    def counting(path: str) -> dict[str, object]:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(interpreter, "_run_query", counting)
    assert query_interpreter(link, cache).version == first.version
    assert calls == []  # answered from the cache
    # A corrupt entry is ignored and rewritten.
    entry = next(cache.iterdir())
    entry.write_bytes(b"garbage")
    query_interpreter(link, cache)
    assert calls == [str(link)]
    # A venv's pyvenv.cfg is part of the key: creating one next to the link invalidates it.
    (tmp_path / "sub" / "bin").mkdir(parents=True)
    venv_python = tmp_path / "sub" / "bin" / "python"
    os.symlink(sys.executable, venv_python)
    query_interpreter(venv_python, cache)
    (tmp_path / "sub" / "pyvenv.cfg").write_text(f"home = {Path(sys.executable).parent}\n")
    inside = query_interpreter(venv_python, cache)
    assert calls == [str(link), str(venv_python), str(venv_python)]
    assert inside.is_virtualenv


@pytest.mark.skipif(not PYENV.joinpath("2.7.18").is_dir(), reason="no Python 2.7 here")
def test_python_2_is_inspected_without_crashing(tmp_path: Path) -> None:
    found = query_interpreter(PYENV / "2.7.18" / "bin" / "python", None)
    assert found.version.major == 2


def test_cli_python_find_prints_the_path(puv: Runner, workdir: Path) -> None:
    result = puv("python", "find", sys.executable)
    assert result.returncode == 0, result
    assert Path(result.stdout.strip()) == Path(sys.executable)


def test_cli_python_find_prefers_the_project_venv(puv: Runner, workdir: Path) -> None:
    assert puv("venv", "-q").returncode == 0
    result = puv("python", "find")
    assert result.stdout.strip() == str(workdir / ".venv" / "bin" / "python")
    system = puv("python", "find", "--system")
    assert ".venv" not in system.stdout


@pytest.mark.parametrize("request_text", sorted(INSTALLED))
def test_cli_python_find_each_installed_version(puv: Runner, request_text: str) -> None:
    result = puv("python", "find", request_text, "--system")
    assert result.returncode == 0, result
    assert f"python{request_text}" in result.stdout or request_text in result.stdout


def test_cli_python_find_missing_version(puv: Runner) -> None:
    stderr = assert_clean_error(puv("python", "find", "9.9"))
    assert stderr.startswith("error: No interpreter found for Python 9.9 in ")


def test_cli_python_list_shows_this_interpreter(puv: Runner) -> None:
    result = puv("python", "list", "--output-format", "json")
    assert result.returncode == 0, result
    import json

    rows = json.loads(result.stdout)
    assert any(row["version"].startswith(CURRENT) for row in rows)
    text = puv("python", "list", CURRENT).stdout
    assert text and all(f"cpython-{CURRENT}" in line for line in text.splitlines())


def test_cli_python_pin_writes_and_updates(puv: Runner, workdir: Path) -> None:
    result = puv("python", "pin", CURRENT)
    assert result.returncode == 0, result
    assert result.stderr == f"Pinned `.python-version` to `{CURRENT}`\n"
    assert (workdir / ".python-version").read_text() == f"{CURRENT}\n"
    assert puv("python", "pin").stdout == f"{CURRENT}\n"
    again = puv("python", "pin", CURRENT)
    assert again.stderr == f"`.python-version` is already pinned to `{CURRENT}`\n"
    other = puv("python", "pin", "3")
    assert other.stderr == f"Updated `.python-version` from `{CURRENT}` -> `3`\n"


def test_cli_python_pin_rejects_names_and_warns_on_missing(puv: Runner,
                                                           workdir: Path) -> None:
    stderr = assert_clean_error(puv("python", "pin", "foo"))
    assert "Requests for arbitrary names (e.g., `foo`) are not supported" in stderr
    assert not (workdir / ".python-version").exists()
    result = puv("python", "pin", "9.9")
    assert result.returncode == 0
    assert result.stderr.startswith("warning: No interpreter found for Python 9.9")
    assert (workdir / ".python-version").read_text() == "9.9\n"


def test_cli_python_pin_resolved_writes_full_version(puv: Runner, workdir: Path) -> None:
    result = puv("python", "pin", "--resolved", sys.executable)
    assert result.returncode == 0, result
    assert (workdir / ".python-version").read_text().strip() == sys.executable


def test_discovery_module_has_no_import_time_work() -> None:
    # Regexes are compiled lazily; a Candidate's version hint is computed on demand.
    candidate = discovery.Candidate(Path("/x/python3.12"), "search path", "python3.12")
    assert str(candidate.hint) == "3.12"
