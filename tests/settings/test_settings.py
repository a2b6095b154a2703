"""Settings: precedence, file discovery, validation errors and warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from puv.errors import SettingsError
from puv.settings import CliSettings, default_cache_dir, load_settings
from tests.conftest import Runner, assert_clean_error


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_CONFIG_DIRS": str(tmp_path / "etc"), **extra}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_beats_env_beats_project_beats_user(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _write(project / "pyproject.toml", '[tool.uv]\ncache-dir = "/from-project"\n'
                                       'offline = true\nlink-mode = "copy"\n')
    _write(tmp_path / "config" / "uv" / "uv.toml", 'cache-dir = "/from-user"\n'
                                                    'compile-bytecode = true\n')
    environ = _env(tmp_path, UV_CACHE_DIR="/from-env")
    settings = load_settings(CliSettings(), project_dir=project, environ=environ)
    assert settings.cache_dir == "/from-env"
    assert settings.offline is True  # project
    assert settings.link_mode == "copy"  # project
    assert settings.compile_bytecode is True  # user
    settings = load_settings(CliSettings(cache_dir="/from-cli"), project_dir=project,
                             environ=environ)
    assert settings.cache_dir == "/from-cli"
    settings = load_settings(CliSettings(), project_dir=project, environ=_env(tmp_path))
    assert settings.cache_dir == "/from-project"
    assert settings.config_files == (str(project / "pyproject.toml"),
                                     str(tmp_path / "config" / "uv" / "uv.toml"))


def test_env_false_overrides_project_true(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.uv]\noffline = true\n")
    settings = load_settings(CliSettings(), project_dir=tmp_path,
                             environ=_env(tmp_path, UV_OFFLINE="0"))
    assert settings.offline is False


def test_lists_are_concatenated_highest_first(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.uv]\nallow-insecure-host = ["project"]\n')
    _write(tmp_path / "config" / "uv" / "uv.toml", 'allow-insecure-host = ["user"]\n')
    settings = load_settings(CliSettings(allow_insecure_host=("cli",)), project_dir=tmp_path,
                             environ=_env(tmp_path, UV_INSECURE_HOST="env1 env2"))
    assert settings.allow_insecure_host == ("cli", "env1", "env2", "project", "user")


def test_uv_toml_beats_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.uv]\noffline = true\n")
    _write(tmp_path / "uv.toml", "offline = false\n")
    settings = load_settings(CliSettings(), project_dir=tmp_path, environ=_env(tmp_path))
    assert settings.offline is False
    assert settings.config_files == (str(tmp_path / "uv.toml"),)


def test_pyproject_without_tool_uv_is_skipped_for_a_parent(tmp_path: Path) -> None:
    _write(tmp_path / "uv.toml", "offline = true\n")
    _write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    settings = load_settings(CliSettings(), project_dir=tmp_path / "sub",
                             environ=_env(tmp_path))
    assert settings.offline is True


def test_config_file_replaces_discovery_and_no_config_disables_it(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.uv]\noffline = true\n")
    other = _write(tmp_path / "other.toml", 'link-mode = "symlink"\n')
    settings = load_settings(CliSettings(config_file=str(other)), project_dir=tmp_path,
                             environ=_env(tmp_path))
    assert settings.offline is False and settings.link_mode == "symlink"
    settings = load_settings(CliSettings(no_config=True), project_dir=tmp_path,
                             environ=_env(tmp_path))
    assert settings.offline is False and settings.config_files == ()


def test_wrong_type_names_file_key_line_and_type(tmp_path: Path) -> None:
    path = _write(tmp_path / "pyproject.toml",
                  '[project]\nname = "x"\n\n[tool.uv]\noffline = "yes"\n')
    with pytest.raises(SettingsError) as info:
        load_settings(CliSettings(), project_dir=tmp_path, environ=_env(tmp_path))
    assert info.value.message == (
        f"Invalid value for `tool.uv.offline` in `{path}` (line 5): expected a boolean "
        '(`true` or `false`), found the string "yes"'
    )
    assert info.value.hint == "write `offline = true` or `offline = false`"


def test_wrong_choice_lists_the_choices(tmp_path: Path) -> None:
    _write(tmp_path / "uv.toml", 'link-mode = "teleport"\n')
    with pytest.raises(SettingsError) as info:
        load_settings(CliSettings(), project_dir=tmp_path, environ=_env(tmp_path))
    assert "`link-mode`" in info.value.message
    assert "expected one of `clone`, `copy`, `hardlink`, `symlink`" in info.value.message
    assert 'found the string "teleport"' in info.value.message


def test_nested_pip_key_is_checked(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.uv.pip]\nsystem = 1\n")
    with pytest.raises(SettingsError, match=r"`tool\.uv\.pip\.system`.*found the integer `1`"):
        load_settings(CliSettings(), project_dir=tmp_path, environ=_env(tmp_path))


def test_unknown_key_warns_and_is_ignored(tmp_path: Path) -> None:
    path = _write(tmp_path / "pyproject.toml", "[tool.uv]\nfoo = 1\noffline = true\n")
    settings = load_settings(CliSettings(), project_dir=tmp_path, environ=_env(tmp_path))
    assert settings.offline is True
    assert settings.warnings == (
        f"Failed to parse `{path}` (line 2) during settings discovery: unknown field `foo` "
        "in `tool.uv`; it is ignored",
    )


def test_broken_toml_names_file_and_position(tmp_path: Path) -> None:
    path = _write(tmp_path / "pyproject.toml", "[project\nname = 'x'\n")
    with pytest.raises(SettingsError) as info:
        load_settings(CliSettings(), project_dir=tmp_path, environ=_env(tmp_path))
    assert info.value.message.startswith(f"Failed to parse `{path}`: TOML syntax error: ")
    assert "(at line 1, column 9)" in info.value.message
    assert info.value.message.endswith("  1 | [project\n    |         ^")


def test_bad_boolean_env_var_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"Invalid value for `UV_OFFLINE`.*found `maybe`"):
        load_settings(CliSettings(), project_dir=tmp_path,
                      environ=_env(tmp_path, UV_OFFLINE="maybe"))


def test_bad_word_env_var_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"`UV_LINK_MODE`: expected one of"):
        load_settings(CliSettings(), project_dir=tmp_path,
                      environ=_env(tmp_path, UV_LINK_MODE="teleport"))


def test_default_cache_dir_follows_xdg() -> None:
    assert default_cache_dir({"XDG_CACHE_HOME": "/x"}) == "/x/puv"
    assert default_cache_dir({"XDG_CACHE_HOME": "/x/"}) == "/x/puv"
    assert default_cache_dir({}) == str(Path.home() / ".cache" / "puv")


@pytest.mark.parametrize("given", ["/c/d/", "/c//d", "/c/./d", "~/d", "./d/", "//c/d"])
def test_cache_dir_is_spelled_as_pathlib_spells_it(tmp_path: Path, given: str) -> None:
    settings = load_settings(CliSettings(cache_dir=given), project_dir=tmp_path,
                             environ=_env(tmp_path))
    assert settings.cache_dir == str(Path(given).expanduser())


def test_cli_reports_bad_type_without_traceback(puv: Runner, workdir: Path) -> None:
    _write(workdir / "pyproject.toml", '[project]\nname = "x"\n[tool.uv]\noffline = "yes"\n')
    stderr = assert_clean_error(puv("venv"))
    assert "`tool.uv.offline`" in stderr and "pyproject.toml" in stderr
    assert "expected a boolean" in stderr
    assert not (workdir / ".venv").exists()


def test_cli_reports_broken_toml_without_traceback(puv: Runner, workdir: Path) -> None:
    _write(workdir / "pyproject.toml", "[project\n")
    stderr = assert_clean_error(puv("venv"))
    assert f"Failed to parse `{workdir / 'pyproject.toml'}`" in stderr
    assert "line 1, column 9" in stderr


def test_cli_warns_on_unknown_key(puv: Runner, workdir: Path) -> None:
    _write(workdir / "pyproject.toml", '[project]\nname = "x"\n[tool.uv]\nfoo = 1\n')
    result = puv("venv")
    assert result.returncode == 0, result
    assert result.stderr.startswith("warning: Failed to parse")
    assert "unknown field `foo`" in result.stderr


def test_a_file_is_parsed_once_until_it_changes(tmp_path: Path) -> None:
    from puv.settings.files import read_toml

    path = _write(tmp_path / "pyproject.toml", "[tool.uv]\noffline = true\n")
    first = read_toml(path)
    assert read_toml(path) is first
    _write(path, "[tool.uv]\noffline = false\n# longer\n")
    assert read_toml(path)[0] == {"tool": {"uv": {"offline": False}}}
