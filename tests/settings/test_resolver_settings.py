"""Resolver and build settings: precedence (CLI > `UV_*` > `[tool.uv.pip]` for pip commands >
`[tool.uv]` > user `uv.toml`), list merging, `exclude-newer` values, pip-style package
specifiers, and the errors bad values give."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from puv.errors import SettingsError
from puv.settings import CliSettings, load_settings
from puv.settings.resolver import duration_span, package_specifiers, parse_exclude_newer


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_CONFIG_DIRS": str(tmp_path / "etc"), **extra}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _load(tmp_path: Path, cli: CliSettings | None = None, **environ: str):  # type: ignore[no-untyped-def]
    return load_settings(cli or CliSettings(), project_dir=tmp_path / "project",
                         environ=_env(tmp_path, **environ))


def test_defaults(tmp_path: Path) -> None:
    settings = _load(tmp_path)
    assert settings.resolution == "highest"
    assert settings.prerelease == "if-necessary-or-explicit"
    assert settings.exclude_newer is None
    assert (settings.no_build, settings.no_build_package) == (False, ())
    assert (settings.no_binary, settings.no_binary_package) == (False, ())
    assert (settings.upgrade, settings.upgrade_package) == (False, ())
    assert settings.constraints == settings.overrides == settings.build_constraints == ()


def test_cli_beats_env_beats_pip_table_beats_tool_uv_beats_user(tmp_path: Path) -> None:
    _write(tmp_path / "config" / "uv" / "uv.toml", 'resolution = "lowest-direct"\n'
                                                   'prerelease = "allow"\n')
    project = _write(tmp_path / "project" / "pyproject.toml",
                     '[tool.uv]\nresolution = "lowest"\n')
    assert _load(tmp_path).resolution == "lowest"
    assert _load(tmp_path).prerelease == "allow"  # from the user's file
    project.write_text('[tool.uv]\nresolution = "lowest"\n[tool.uv.pip]\n'
                       'resolution = "highest"\n')
    # The pip table counts for pip commands only.
    assert _load(tmp_path).resolution == "lowest"
    pip = CliSettings(pip_interface=True)
    assert _load(tmp_path, pip).resolution == "highest"
    assert _load(tmp_path, pip, UV_RESOLUTION="lowest-direct").resolution == "lowest-direct"
    cli = CliSettings(pip_interface=True, resolution="lowest")
    assert _load(tmp_path, cli, UV_RESOLUTION="lowest-direct").resolution == "lowest"


def test_user_pip_table_beats_project_top_level(tmp_path: Path) -> None:
    # As uv: the files are merged first, then `pip.*` before the top level.
    _write(tmp_path / "config" / "uv" / "uv.toml", '[pip]\nprerelease = "disallow"\n')
    _write(tmp_path / "project" / "uv.toml", 'prerelease = "allow"\n')
    assert _load(tmp_path, CliSettings(pip_interface=True)).prerelease == "disallow"
    assert _load(tmp_path).prerelease == "allow"


def test_pip_table_index_and_install_keys(tmp_path: Path) -> None:
    _write(tmp_path / "project" / "uv.toml", 'index-url = "https://top/simple"\n'
           'extra-index-url = ["https://top-extra/simple"]\nlink-mode = "copy"\n'
           '[pip]\nindex-url = "https://pip/simple"\n'
           'extra-index-url = ["https://pip-extra/simple"]\nlink-mode = "symlink"\n')
    settings = _load(tmp_path, CliSettings(pip_interface=True))
    assert settings.default_index == "https://pip/simple"
    assert [i["url"] for i in settings.indexes] == ["https://pip-extra/simple",
                                                    "https://top-extra/simple"]
    assert settings.link_mode == "symlink"
    assert _load(tmp_path).link_mode == "copy"


def test_build_flags_from_every_source(tmp_path: Path) -> None:
    _write(tmp_path / "project" / "uv.toml", 'no-build-package = ["from-file"]\n'
           'no-binary-package = ["bin-file"]\nno-build-isolation-package = ["iso"]\n')
    settings = _load(tmp_path, CliSettings(no_build_package=("From_CLI",)),
                     UV_NO_BUILD_PACKAGE="from-env other", UV_NO_BINARY_PACKAGE="bin-env")
    assert settings.no_build is False
    assert settings.no_build_package == ("from-cli", "from-env", "other", "from-file")
    assert settings.no_binary_package == ("bin-env", "bin-file")
    assert settings.no_build_isolation_package == ("iso",)
    assert _load(tmp_path, UV_NO_BUILD="1").no_build is True
    assert _load(tmp_path, UV_NO_BINARY="true").no_binary is True
    assert _load(tmp_path, UV_NO_BUILD_ISOLATION="1").no_build_isolation is True
    # `--no-build` off on the command line (`--build`) beats `UV_NO_BUILD`.
    assert _load(tmp_path, CliSettings(no_build=False), UV_NO_BUILD="1").no_build is False


def test_pip_style_binary_options(tmp_path: Path) -> None:
    _write(tmp_path / "project" / "uv.toml", '[pip]\nonly-binary = ["x"]\n'
                                             'no-binary = [":all:"]\n')
    settings = _load(tmp_path, CliSettings(pip_interface=True, only_binary=(":all:",)))
    assert settings.no_build is True
    assert settings.no_binary is True
    settings = _load(tmp_path, CliSettings(pip_interface=True, no_binary=(":none:",),
                                           only_binary=("A,b",)))
    assert settings.no_build is False
    assert settings.no_build_package == ("a", "b", "x")
    assert settings.no_binary is True  # the file's `:all:` comes after the CLI's `:none:`


def test_package_specifiers() -> None:
    assert package_specifiers([]) == (False, ())
    assert package_specifiers([":all:"]) == (True, ())
    assert package_specifiers(["a,B_c", "d"]) == (False, ("a", "b-c", "d"))
    assert package_specifiers(["a", ":none:", "b"]) == (False, ("b",))
    assert package_specifiers([":all:", ":none:"]) == (False, ())


def test_requirement_lists_and_files(tmp_path: Path) -> None:
    _write(tmp_path / "project" / "pyproject.toml", '[tool.uv]\n'
           'constraint-dependencies = ["a<2"]\noverride-dependencies = ["b==1"]\n'
           'build-constraint-dependencies = ["setuptools<70"]\nupgrade-package = ["d"]\n'
           '[[tool.uv.dependency-metadata]]\nname = "c"\nversion = "1.0"\n')
    settings = _load(tmp_path, UV_CONSTRAINT="c1.txt c2.txt", UV_OVERRIDE="o.txt",
                     UV_BUILD_CONSTRAINT="b.txt")
    assert settings.constraint_dependencies == ("a<2",)
    assert settings.override_dependencies == ("b==1",)
    assert settings.build_constraint_dependencies == ("setuptools<70",)
    assert [dict(d)["name"] for d in settings.dependency_metadata] == ["c"]
    assert (settings.constraints, settings.overrides, settings.build_constraints) == (
        ("c1.txt", "c2.txt"), ("o.txt",), ("b.txt",))
    cli = CliSettings(constraints=("cli.txt",), upgrade=True, upgrade_package=("e<3",))
    settings = _load(tmp_path, cli, UV_CONSTRAINT="env.txt")
    assert settings.constraints == ("cli.txt",)  # the command line replaces the variable
    assert settings.upgrade is True
    assert settings.upgrade_package == ("e<3", "d")


def test_config_settings_merge(tmp_path: Path) -> None:
    _write(tmp_path / "project" / "uv.toml", '[config-settings]\nmode = "file"\nkeep = "1"\n'
                                             '[pip.config-settings]\nmode = "pip"\n')
    settings = _load(tmp_path, CliSettings(pip_interface=True, config_settings=("x=1",)))
    assert settings.config_settings == {"mode": "pip", "keep": "1", "x": "1"}


# -- exclude-newer ---------------------------------------------------------------------------


def test_exclude_newer_timestamps_and_dates() -> None:
    assert parse_exclude_newer("2024-03-01T00:00:00Z") == 1709251200.0
    assert parse_exclude_newer("2024-03-01T01:00:00+01:00") == 1709251200.0
    assert parse_exclude_newer("2024-03-01T00:00:00.5Z") == 1709251200.5
    # A date counts the whole day, in local time.
    midnight = datetime.datetime(2024, 3, 2).timestamp()
    assert parse_exclude_newer("2024-03-01") == midnight
    assert parse_exclude_newer("false") is None


@pytest.mark.parametrize(("text", "seconds"), [
    ("1 week", 7 * 86400), ("24 hours", 86400), ("30 days", 30 * 86400), ("3d", 3 * 86400),
    ("1 day 2 hours", 93600), ("P7D", 7 * 86400), ("PT24H", 86400), ("P1W", 7 * 86400),
    ("P1DT12H", 129600),
])
def test_exclude_newer_durations_count_back_from_now(text: str, seconds: int) -> None:
    assert parse_exclude_newer(text, now=1_000_000_000.0) == 1_000_000_000.0 - seconds


@pytest.mark.parametrize(("text", "message"), [
    ("soon", "`soon` could not be parsed as a valid exclude-newer value (expected a date like "
     "`2024-01-01`, a timestamp like `2024-01-01T00:00:00Z`, or a duration like `3 days` or "
     "`P3D`)"),
    ("2024-13-01", "`2024-13-01` could not be parsed as a valid date: failed to parse two "
     "digit integer as month: parameter 'month' is not in the required range of 1..=12"),
    ("2 months", "Duration `2 months` uses 'months' which is not allowed; use days instead, "
     "e.g., `60 days`."),
    ("1 year", "Duration `1 year` uses unit 'years' which is not allowed; use days instead, "
     "e.g., `365 days`."),
    ("P3X", "`P3X` could not be parsed as an ISO 8601 duration"),
    ("3 fortnights", "`3 fortnights` could not be parsed as a duration: unknown unit "
     "`fortnights`"),
])
def test_exclude_newer_bad_values(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_exclude_newer(text)
    assert str(info.value) == message


def test_exclude_newer_precedence_and_false(tmp_path: Path) -> None:
    project = _write(tmp_path / "project" / "uv.toml", 'exclude-newer = "2024-01-01T00:00:00Z"\n')
    assert _load(tmp_path).exclude_newer == 1704067200.0
    assert _load(tmp_path, UV_EXCLUDE_NEWER="2024-01-02T00:00:00Z").exclude_newer == \
        1704153600.0
    cli = CliSettings(exclude_newer="2024-01-03T00:00:00Z")
    assert _load(tmp_path, cli, UV_EXCLUDE_NEWER="2024-01-02T00:00:00Z").exclude_newer == \
        1704240000.0
    project.write_text('exclude-newer = "2024-01-01T00:00:00Z"\n[pip]\nexclude-newer = false\n')
    assert _load(tmp_path, CliSettings(pip_interface=True)).exclude_newer is None


@pytest.mark.parametrize(("text", "span"), [
    ("1 week", "P1W"), ("3 days", "P3D"), ("24 hours", "PT24H"), ("1 week 2 days", "P1W2D"),
    ("P1W", "P1W"), ("2025-01-01", None), ("2025-01-01T00:00:00Z", None)])
def test_relative_exclude_newer_keeps_its_span(text: str, span: str | None) -> None:
    assert duration_span(text) == span


def test_exclude_newer_package_and_fork_strategy(tmp_path: Path) -> None:
    _write(tmp_path / "project" / "uv.toml",
           'exclude-newer = "1 week"\nfork-strategy = "fewest"\n'
           'exclude-dependencies = ["Beta_Pkg"]\n'
           'exclude-newer-package = { alpha = "2025-01-01T00:00:00Z", beta = false, '
           'gamma = "3 days" }\n')
    settings = _load(tmp_path)
    assert settings.exclude_newer_span == "P1W"
    assert settings.fork_strategy == "fewest"
    assert settings.exclude_dependencies == ("beta-pkg",)
    alpha, beta, gamma = (settings.exclude_newer_package[n] for n in ("alpha", "beta", "gamma"))
    assert alpha == (1735689600.0, None) and beta == (None, None)
    assert gamma[1] == "P3D" and gamma[0] is not None
    cli = CliSettings(exclude_newer_package=("alpha=2024-01-01T00:00:00Z",),
                      fork_strategy="requires-python")
    settings = _load(tmp_path, cli)
    assert settings.exclude_newer_package["alpha"] == (1704067200.0, None)
    assert settings.fork_strategy == "requires-python"
    with pytest.raises(SettingsError, match="PACKAGE=DATE"):
        _load(tmp_path, CliSettings(exclude_newer_package=("alpha",)))
    with pytest.raises(SettingsError, match="UV_FORK_STRATEGY"):
        _load(tmp_path, UV_FORK_STRATEGY="most")


# -- errors ----------------------------------------------------------------------------------


def test_bad_environment_values_name_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        _load(tmp_path, UV_PRERELEASE="sometimes")
    assert info.value.message == (
        "Invalid value for `UV_PRERELEASE`: expected one of `disallow`, `allow`, "
        "`if-necessary`, `explicit`, `if-necessary-or-explicit`, found `sometimes`")
    with pytest.raises(SettingsError) as info:
        _load(tmp_path, UV_NO_BINARY="perhaps")
    assert info.value.message == ("Invalid value for `UV_NO_BINARY`: expected a boolean (`1`, "
                                  "`true`, `0`, `false`), found `perhaps`")
    with pytest.raises(SettingsError) as info:
        _load(tmp_path, UV_EXCLUDE_NEWER="2 months")
    assert info.value.message == ("Invalid value for `UV_EXCLUDE_NEWER`: Duration `2 months` "
                                  "uses 'months' which is not allowed; use days instead, e.g., "
                                  "`60 days`.")


def test_bad_file_values_name_the_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "project" / "pyproject.toml",
                  '[tool.uv]\n\nresolution = "newest"\n')
    with pytest.raises(SettingsError) as info:
        _load(tmp_path)
    assert info.value.message == (f"Invalid value for `tool.uv.resolution` in `{path}` "
                                  "(line 3): expected one of `highest`, `lowest`, "
                                  "`lowest-direct`, found the string \"newest\"")
    assert info.value.hint == 'write, for example, `resolution = "highest"`'
    path.write_text('[tool.uv.pip]\nno-binary = true\n')
    with pytest.raises(SettingsError) as info:
        _load(tmp_path)
    assert info.value.message == (f"Invalid value for `tool.uv.pip.no-binary` in `{path}` "
                                  "(line 2): expected a list of strings, found the boolean "
                                  "`true`")
    user = _write(tmp_path / "config" / "uv" / "uv.toml", '[pip]\nexclude-newer = "later"\n')
    path.write_text('[project]\nname = "x"\n')
    with pytest.raises(SettingsError) as info:
        _load(tmp_path, CliSettings(pip_interface=True))
    assert info.value.message == (
        f"Invalid value for `pip.exclude-newer` in `{user}` (line 2): `later` could not be "
        "parsed as a valid exclude-newer value (expected a date like `2024-01-01`, a "
        "timestamp like `2024-01-01T00:00:00Z`, or a duration like `3 days` or `P3D`)")


def test_every_pip_command_reads_the_pip_table(puv, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # `[tool.uv.pip] index-url` is where `pip sync` looks first: an unreachable one is used.
    work = tmp_path / "work"
    _write(work / "pyproject.toml", '[tool.uv]\nindex-url = "http://127.0.0.1:9/top/"\n'
                                    '[tool.uv.pip]\nindex-url = "http://127.0.0.1:9/pip/"\n')
    _write(work / "r.txt", "a==1.0\n")
    assert puv("venv", "-q", cwd=work).returncode == 0
    result = puv("pip", "sync", "r.txt", cwd=work, env={"UV_HTTP_RETRIES": "0"})
    assert result.returncode != 0
    assert "127.0.0.1:9/pip/" in result.stderr and "/top/" not in result.stderr
