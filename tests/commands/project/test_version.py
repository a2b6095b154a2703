"""`puv version`: reading, setting and bumping the project's version as uv 0.13.8 does. Every
expected version, message and file below was taken from uv 0.13.8 on the same input (`uv`
replaced by `puv`); the lock-and-sync flow runs against the local test index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from packaging.version import Version

from puv.commands.project.version import Bump, VersionError, bump_version, parse_bump, parse_version
from tests.commands.project.test_add import BASE, UNIVERSE, indexed_project, installed, lines
from tests.conftest import Runner, assert_clean_error

PROJECT = """\
[project]
name = "My_Proj"
version = "1.2.3"
requires-python = ">=3.12"
"""

USAGE = "\n\nUsage: puv version [OPTIONS] [VALUE]\n\nFor more information, try '--help'.\n"


def bumps(*texts: str) -> list[Bump]:
    return [parse_bump(text) for text in texts]


# -- bumps: pure --------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "given", "new"), [
    ("1.2.3", ["major"], "2.0.0"),
    ("1.2.3", ["minor"], "1.3.0"),
    ("1.2.3", ["patch"], "1.2.4"),
    ("1.2", ["patch"], "1.2.1"),
    ("1", ["patch"], "1.0.1"),
    ("1", ["minor"], "1.1"),
    ("1.2.3.4", ["major"], "2.0.0.0"),
    ("1.2.3.4", ["patch"], "1.2.4.0"),
    ("1.2.3a1", ["stable"], "1.2.3"),
    ("1.2.3.dev1", ["stable"], "1.2.3"),
    ("1.2.3a1.post2.dev3+loc", ["stable"], "1.2.3+loc"),
    ("1.2.3b4.post5.dev6", ["stable"], "1.2.3"),
    ("1.2.3a1", ["alpha"], "1.2.3a2"),
    ("1.2.3a1", ["beta"], "1.2.3b1"),
    ("1.2.3rc2", ["rc"], "1.2.3rc3"),
    ("1.2.3a1.dev2", ["alpha"], "1.2.3a2"),
    ("1.2.3a1.post1", ["alpha"], "1.2.3a2"),
    ("1.2.3.dev3", ["alpha"], "1.2.3a1"),
    ("1.2.3.dev5", ["alpha=0"], "1.2.3a0"),
    ("1.2.3", ["post"], "1.2.3.post1"),
    ("1.2.3.post1", ["post"], "1.2.3.post2"),
    ("1.2.3.post1.dev1", ["post"], "1.2.3.post2"),
    ("1.2.3.dev2", ["post"], "1.2.3.post1"),
    ("1.2.3a1", ["post"], "1.2.3a1.post1"),
    ("1.2.3", ["post=0"], "1.2.3.post0"),
    ("1.2.3.dev1", ["dev"], "1.2.3.dev2"),
    ("1.2.3a4.dev6", ["dev"], "1.2.3a4.dev7"),
    ("1.2.3+loc", ["major"], "2.0.0+loc"),
    ("1.2.3a1+loc", ["alpha"], "1.2.3a2+loc"),
    ("1!1.2.3", ["major"], "1!2.0.0"),
    ("1.2.3rc1", ["major"], "2.0.0"),
    ("1.2.3.post1", ["patch"], "1.2.4"),
    ("1.2.3", ["major=5"], "5.0.0"),
    # Several: applied largest first, whatever the order given.
    ("1.2.3", ["alpha", "major"], "2.0.0a1"),
    ("1.2.3", ["patch", "dev"], "1.2.4.dev1"),
    ("1.2.3", ["dev=4", "patch"], "1.2.4.dev4"),
    ("1.2.3", ["alpha=3", "minor"], "1.3.0a3"),
    ("1.2.3a1", ["patch=3", "beta"], "1.2.3b1"),
])
def test_bumps_as_uv_applies_them(old: str, given: list[str], new: str) -> None:
    assert str(bump_version(Version(old), bumps(*given))) == new


PRE_HINT = ("when bumping to a pre-release version you also need to increase a release "
            "version component, e.g., with `--bump <major|minor|patch>`")
DEV_HINT = ("when bumping to a dev version you also need to increase another version "
            "component, e.g., with `--bump <major|minor|patch|alpha|beta|rc>`")
EXACT = "provide the exact version to force an update"


@pytest.mark.parametrize(("old", "given", "message"), [
    ("1.2.3", ["stable"], f"1.2.3 => 1.2.3 didn't increase the version; {EXACT}"),
    ("1.2.3.post1", ["stable"], f"1.2.3.post1 => 1.2.3 didn't increase the version; {EXACT}"),
    ("1.2.3+local", ["stable"],
     f"1.2.3+local => 1.2.3+local didn't increase the version; {EXACT}"),
    ("1.2.3", ["alpha"], f"1.2.3 => 1.2.3a1 didn't increase the version; {PRE_HINT}"),
    ("1.2.3.post1", ["alpha"],
     f"1.2.3.post1 => 1.2.3a1 didn't increase the version; {PRE_HINT}"),
    ("1.2.3", ["major=1", "alpha"],
     f"1.2.3 => 1.0.0a1 didn't increase the version; {PRE_HINT}"),
    ("1.2.3.dev1", ["major=1", "alpha"],
     f"1.2.3.dev1 => 1.0.0a1 didn't increase the version; {EXACT}"),
    ("1.2.3.post1.dev1", ["rc"],
     f"1.2.3.post1.dev1 => 1.2.3rc1 didn't increase the version; {EXACT}"),
    ("1.2.3b1", ["alpha"], f"1.2.3b1 => 1.2.3a1 didn't increase the version; {EXACT}"),
    ("1.2.3", ["dev"], f"1.2.3 => 1.2.3.dev1 didn't increase the version; {DEV_HINT}"),
    ("1.2.3a1", ["dev"], f"1.2.3a1 => 1.2.3a1.dev1 didn't increase the version; {DEV_HINT}"),
    ("1.2.3.post1", ["patch=3", "dev"],
     f"1.2.3.post1 => 1.2.3.dev1 didn't increase the version; {DEV_HINT}"),
    ("1.2.3.dev3", ["dev=2"], f"1.2.3.dev3 => 1.2.3.dev2 didn't increase the version; {EXACT}"),
    ("1.2.3", ["minor=1"], f"1.2.3 => 1.1.0 didn't increase the version; {EXACT}"),
    ("1.2.3a1", ["patch=3", "alpha"],
     f"1.2.3a1 => 1.2.3a1 didn't increase the version; {EXACT}"),
    # Combinations uv refuses, in its order of checks.
    ("1.2.3", ["stable", "post", "major", "minor"], "`--bump stable` cannot be used with "
     "another `--bump` value, got: stable, post, major, minor"),
    ("1.2.3", ["post", "stable"],
     "`--bump stable` cannot be used with another `--bump` value, got: post, stable"),
    ("1.2.3", ["major", "alpha", "post", "dev"], "`--bump post` cannot be used with another "
     "`--bump` value, got: major, alpha, post, dev"),
    ("1.2.3", ["dev", "alpha", "minor", "major"],
     "Only one release version component can be provided to `--bump`, got: minor, major"),
    ("1.2.3", ["alpha=2", "dev"],
     "Only one pre-release version component can be provided to `--bump`, got: alpha=2, dev"),
    ("1.2.3", ["dev", "dev"],
     "Only one pre-release version component can be provided to `--bump`, got: dev, dev"),
])
def test_bumps_uv_refuses(old: str, given: list[str], message: str) -> None:
    with pytest.raises(VersionError) as raised:
        bump_version(Version(old), bumps(*given))
    assert raised.value.message == message
    assert raised.value.exit_code == 2


@pytest.mark.parametrize(("text", "message"), [
    ("foo", "invalid bump component `foo`"),
    ("MAJOR", "invalid bump component `MAJOR`"),
    ("foo=1", "invalid bump component `foo`"),
    ("stable=1", "`--bump stable` does not accept a value"),
    ("major=", "`--bump` values cannot be empty"),
    ("major=x", "invalid numeric value `x` for `--bump major`"),
    ("major=-1", "invalid numeric value `-1` for `--bump major`"),
])
def test_bad_bump_values(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("`", ".") + "$"):
        parse_bump(text)


@pytest.mark.parametrize(("text", "normal"), [
    ("01.02", "1.2"), ("1.0-1", "1.0.post1"), ("1.0_RC1", "1.0rc1"),
    ("1.0+Local.Ver", "1.0+local.ver"), ("1.0.dev", "1.0.dev0"), ("1.0c1", "1.0rc1"),
    ("V1.0", "1.0"), (" 2.0 ", "2.0"), ("2.0.0-alpha", "2.0.0a0"), ("1.0a1-2", "1.0a1.post2"),
    ("1.0+local_ver-x", "1.0+local.ver.x"), ("18446744073709551614", "18446744073709551614"),
])
def test_values_are_normalized(text: str, normal: str) -> None:
    assert str(parse_version(text)) == normal


@pytest.mark.parametrize(("text", "message"), [
    ("abc", "expected version to start with a number, but no leading ASCII digits were found"),
    ("", "expected version to start with a number, but no leading ASCII digits were found"),
    ("==1.0", "expected version to start with a number, but no leading ASCII digits were "
     "found"),
    ("1.0-foo-bar", "after parsing `1.0`, found `-foo-bar`, which is not part of a valid "
     "version"),
    ("1.0+a b", "after parsing `1.0+a `, found `b`, which is not part of a valid version"),
    ("1..0", "after parsing `1`, found `..0`, which is not part of a valid version"),
    ("1.0ab", "after parsing `1.0a`, found `b`, which is not part of a valid version"),
    ("1.0+", "found a `+` indicating the start of a local component in a version, but did not "
     "find any alphanumeric ASCII segment following the `+`"),
    ("1.0.*", "wildcards are not allowed in a version"),
    ("1!", "expected version to have a non-empty release component after an epoch, but no "
     "ASCII digits after the epoch were found"),
    ("1.99999999999999999999", "expected number less than or equal to 18446744073709551614, "
     "but number found in \"99999999999999999999\" exceeds it"),
])
def test_invalid_values_in_uv_words(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_version(text)
    assert str(raised.value) == message


# -- the command, without locking --------------------------------------------------------


def project(root: Path, text: str = PROJECT) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "pyproject.toml"
    path.write_text(text)
    return path


def test_reads_the_version(puv: Runner, workdir: Path) -> None:
    project(workdir)
    result = puv("version")
    assert (result.returncode, result.stdout, result.stderr) == (0, "my-proj 1.2.3\n", "")
    assert puv("version", "--short").stdout == "1.2.3\n"
    shown = puv("version", "--output-format", "json")
    assert shown.stdout == ('{\n  "package_name": "my-proj",\n  "version": "1.2.3",\n'
                            '  "commit_info": null\n}\n')
    assert not (workdir / "uv.lock").exists() and not (workdir / ".venv").exists()


def test_quiet_hides_text_but_not_json(puv: Runner, workdir: Path) -> None:
    project(workdir)
    assert puv("-q", "version").stdout == ""
    assert puv("-q", "version", "--short").stdout == ""
    assert json.loads(puv("-q", "version", "--output-format", "json").stdout)["version"] \
        == "1.2.3"
    assert puv("-qq", "version", "--output-format", "json").stdout == ""


def test_set_keeps_the_formatting(puv: Runner, workdir: Path) -> None:
    path = project(workdir, "# top\n[project]\nname = \"fm\"   # name\n"
                   "version   =   '1.0'   # the version\nrequires-python = \">=3.12\"\n")
    result = puv("version", "--frozen", "2.0.0-alpha")
    assert (result.returncode, result.stdout) == (0, "fm 1.0 => 2.0.0a0\n")
    assert path.read_text() == ("# top\n[project]\nname = \"fm\"   # name\n"
                                "version   =   \"2.0.0a0\"   # the version\n"
                                "requires-python = \">=3.12\"\n")
    assert not (workdir / "uv.lock").exists()


def test_set_in_dotted_keys_and_crlf(puv: Runner, workdir: Path) -> None:
    path = project(workdir, 'project.name = "x"\nproject.version = "1.0"\n')
    assert puv("version", "--frozen", "v3.0").stdout == "x 1.0 => 3.0\n"
    assert path.read_text() == 'project.name = "x"\nproject.version = "3.0"\n'
    path.write_bytes(b'[project]\r\nname = "fm"\r\nversion = "1.0"\r\n')
    assert puv("version", "--frozen", "1.0-1").stdout == "fm 1.0 => 1.0.post1\n"
    assert path.read_bytes() == b'[project]\nname = "fm"\nversion = "1.0.post1"\n'  # as uv


def test_bump_writes_and_prints(puv: Runner, workdir: Path) -> None:
    path = project(workdir, PROJECT + '\n[tool.x]\nversion = "9"\n')
    result = puv("version", "--frozen", "--bump", "alpha", "--bump", "major")
    assert (result.returncode, result.stdout) == (0, "my-proj 1.2.3 => 2.0.0a1\n")
    assert path.read_text() == PROJECT.replace("1.2.3", "2.0.0a1") + '\n[tool.x]\nversion = "9"\n'
    assert puv("version", "--frozen", "--bump", "alpha", "--short").stdout == "2.0.0a2\n"
    shown = json.loads(puv("version", "--frozen", "--bump=beta=3",
                           "--output-format", "json").stdout)
    assert shown == {"package_name": "my-proj", "version": "2.0.0b3", "commit_info": None}


def test_dry_run_writes_nothing(puv: Runner, workdir: Path) -> None:
    path = project(workdir)
    result = puv("version", "--dry-run", "--bump", "minor")
    assert (result.returncode, result.stdout, result.stderr) == (0, "my-proj 1.2.3 => 1.3.0\n",
                                                                 "")
    assert puv("version", "--dry-run", "--short", "3.0").stdout == "3.0\n"
    assert path.read_text() == PROJECT
    assert not (workdir / "uv.lock").exists()


def test_refused_bump_changes_nothing(puv: Runner, workdir: Path) -> None:
    path = project(workdir)
    result = puv("version", "--bump", "alpha")
    assert assert_clean_error(result, code=2) == f"error: 1.2.3 => 1.2.3a1 didn't increase " \
        f"the version; {PRE_HINT}\n"
    assert path.read_text() == PROJECT


@pytest.mark.parametrize(("args", "message"), [
    (["--bump", "foo"], "invalid bump component `foo`"),
    (["--bump", "stable=1"], "`--bump stable` does not accept a value"),
    (["--bump", "major=x"], "invalid numeric value `x` for `--bump major`"),
    (["2.0", "--bump", "major"],
     "the argument '[VALUE]' cannot be used with '--bump <BUMP[=VALUE]>'"),
    (["--bump", "major", "2.0"],
     "the argument '--bump <BUMP[=VALUE]>' cannot be used with '[VALUE]'"),
])
def test_bad_command_lines_show_the_usage(puv: Runner, workdir: Path, args: list[str],
                                          message: str) -> None:
    project(workdir)
    result = puv("version", *args)
    assert assert_clean_error(result, code=2) == f"error: {message}{USAGE}"


def test_bump_needs_a_value(puv: Runner, workdir: Path) -> None:
    project(workdir)
    result = puv("version", "--bump")
    assert assert_clean_error(result, code=2) == (
        "error: a value is required for '--bump <BUMP[=VALUE]>' but none was supplied\n"
        "  [possible values: major, minor, patch, stable, alpha, beta, rc, post, dev]\n\n"
        "For more information, try '--help'.\n")


@pytest.mark.parametrize(("args", "env", "message"), [
    (["--frozen", "--no-sync"], {}, "the argument `--no-sync` cannot be used with `--frozen`"),
    (["--no-sync"], {"UV_FROZEN": "1"},
     "the argument `--no-sync` cannot be used with `UV_FROZEN` (environment variable)"),
    (["--frozen"], {"UV_NO_SYNC": "1"},
     "the argument `UV_NO_SYNC` (environment variable) cannot be used with `--frozen`"),
    ([], {"UV_FROZEN": "1", "UV_LOCKED": "1"}, "the argument `UV_LOCKED` (environment "
     "variable) cannot be used with `UV_FROZEN` (environment variable)"),
    (["--frozen", "--locked"], {}, "the argument '--frozen' cannot be used with '--locked'"),
])
def test_conflicting_modes(puv: Runner, workdir: Path, args: list[str],
                           env: dict[str, str], message: str) -> None:
    project(workdir)
    result = puv("version", *args, env=env)
    assert assert_clean_error(result, code=2) == f"error: {message}\n"


def test_invalid_value_is_refused(puv: Runner, workdir: Path) -> None:
    path = project(workdir)
    result = puv("version", "--frozen", "1.0-foo-bar")
    assert assert_clean_error(result, code=2) == ("error: after parsing `1.0`, found "
                                                  "`-foo-bar`, which is not part of a valid "
                                                  "version\n")
    assert path.read_text() == PROJECT


@pytest.mark.parametrize(("text", "error"), [
    ('[project]\nname = "dyn"\ndynamic = ["version"]\n',
     "error: We cannot get or set dynamic project versions in: pyproject.toml\n"),
    ("\n" * 10 + '[project]  # c\nname = "x"\n',
     "error: Failed to parse: pyproject.toml\n"
     "  cause: TOML parse error at line 11, column 1\n"
     "            |\n"
     "         11 | [project]  # c\n"
     "            | ^^^^^^^^^\n"
     "         `pyproject.toml` is using the `[project]` table, but the required "
     "`project.version` field is neither set nor present in the `project.dynamic` list\n"),
    ('[project]\nname = "bad"\nversion = "1.0-foo-bar"\n',
     "error: Failed to parse: pyproject.toml\n"
     "  cause: TOML parse error at line 3, column 11\n"
     "           |\n"
     "         3 | version = \"1.0-foo-bar\"\n"
     "           |           ^^^^^^^^^^^^^\n"
     "         after parsing `1.0`, found `-foo-bar`, which is not part of a valid version\n"),
    ('project.name = "x"\nproject.version = \'bad\' # c\n',
     "error: Failed to parse: pyproject.toml\n"
     "  cause: TOML parse error at line 2, column 19\n"
     "           |\n"
     "         2 | project.version = 'bad' # c\n"
     "           |                   ^^^^^\n"
     "         expected version to start with a number, but no leading ASCII digits were "
     "found\n"),
])
def test_unreadable_versions(puv: Runner, workdir: Path, text: str, error: str) -> None:
    path = project(workdir, text)
    for args in ([], ["2.0"], ["--bump", "major"]):
        result = puv("version", *args)
        assert assert_clean_error(result, code=2) == error
    assert path.read_text() == text


def test_without_a_project(puv: Runner, workdir: Path) -> None:
    workdir.mkdir(exist_ok=True)
    result = puv("version")
    assert assert_clean_error(result, code=2) == (
        "error: No `pyproject.toml` found in current directory or any parent directory\n\n"
        "hint: If you meant to view puv's version, use `puv --version` instead\n")
    project(workdir, "[tool.uv]\n")
    result = puv("version")
    assert assert_clean_error(result, code=2) == (
        f"error: No `project` table found in: {workdir / 'pyproject.toml'}\n")


def test_inline_project_table_is_not_edited(puv: Runner, workdir: Path) -> None:
    text = 'project = { name = "fm", version = "1.0" }\n'
    path = project(workdir, text)
    assert puv("version").stdout == "fm 1.0\n"
    result = puv("version", "--frozen", "2.0")
    assert assert_clean_error(result, code=2) == (
        "error: There is no 'project.version' field in: pyproject.toml\n")
    assert path.read_text() == text


def workspace(root: Path) -> None:
    project(root, '[project]\nname = "root"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
            '\n[tool.uv.workspace]\nmembers = ["packages/*"]\n')
    project(root / "packages" / "a", '[project]\nname = "a"\nversion = "1.0.0"\n')
    project(root / "packages" / "b", '[project]\nname = "B_pkg"\nversion = "2.0.0"\n')


def test_workspace_members(puv: Runner, workdir: Path) -> None:
    workspace(workdir)
    assert puv("version").stdout == "root 0.1.0\n"
    assert puv("version", "--package", "B-PKG").stdout == "b-pkg 2.0.0\n"
    assert puv("version", cwd=workdir / "packages" / "a").stdout == "a 1.0.0\n"
    result = puv("version", "--frozen", "--package", "a", "--bump", "minor")
    assert result.stdout == "a 1.0.0 => 1.1.0\n"
    assert (workdir / "packages" / "a" / "pyproject.toml").read_text() == \
        '[project]\nname = "a"\nversion = "1.1.0"\n'
    assert 'version = "0.1.0"' in (workdir / "pyproject.toml").read_text()
    missing = puv("version", "--package", "nope")
    assert assert_clean_error(missing, code=2) == (
        f"error: The workspace does not have a member nope: {workdir}\n")


def test_frozen_reads_the_lock(puv: Runner, workdir: Path) -> None:
    project(workdir, '[project]\nname = "fr"\ndynamic = ["version"]\n')
    result = puv("version", "--frozen")
    assert assert_clean_error(result, code=1) == (
        "error: Unable to find lockfile at `uv.lock`, but `--frozen` was provided. To create "
        "a lockfile, run `puv lock` or `puv sync` without the flag.\n")
    lock = workdir / "uv.lock"
    lock.write_text('version = 1\nrevision = 3\nrequires-python = ">=3.12"\n\n[[package]]\n'
                    'name = "fr"\nversion = "0.9"\nsource = { virtual = "." }\n')
    assert puv("version", "--frozen").stdout == "fr 0.9\n"
    assert puv("version", "--frozen", "--short").stdout == "0.9\n"
    lock.write_text(lock.read_text().replace('name = "fr"', 'name = "other"'))
    result = puv("version", "--frozen")
    assert assert_clean_error(result, code=1) == (
        "error: The lockfile at `uv.lock` needs to be updated, but `--frozen` was provided: "
        "Missing workspace member `fr`.\n\nhint: To update the lockfile, run `puv lock`.\n")


# -- the command: lock and sync --------------------------------------------------------------


@pytest.fixture
def index(package_index):  # type: ignore[no-untyped-def]
    return package_index(UNIVERSE)


def test_set_locks_and_syncs(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    path.write_text(path.read_text().replace("dependencies = []",
                                             'dependencies = ["alpha"]'))
    result = puv("version", "0.2.0", "-p", BASE)
    assert result.returncode == 0, result
    assert result.stdout == "q 0.1.0 => 0.2.0\n"
    assert 'version = "0.2.0"' in path.read_text()
    assert 'name = "q"\nversion = "0.2.0"\nsource = { virtual = "." }' in \
        (workdir / "uv.lock").read_text()
    assert lines(result.stderr)[1:] == [
        "Creating virtual environment at: .venv",
        "Resolved 3 packages in X",
        "Prepared 2 packages in X",
        "Installed 2 packages in X",
        " + alpha==2.0.0",
        " + beta==1.1.0",
    ]
    assert installed(workdir) == {"alpha": "2.0.0", "beta": "1.1.0"}
    again = puv("version", "--bump", "patch")
    assert again.returncode == 0, again
    assert again.stdout == "q 0.2.0 => 0.2.1\n"
    assert lines(again.stderr) == ["Resolved 3 packages in X", "Checked 2 packages in X"]
    assert puv("version", "--frozen").stdout == "q 0.2.1\n"  # now from the lock


def test_no_sync_locks_only(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    indexed_project(workdir, index.url)
    result = puv("version", "--no-sync", "--bump", "minor", "-p", BASE)
    assert result.returncode == 0, result
    assert 'name = "q"\nversion = "0.2.0"' in (workdir / "uv.lock").read_text()
    assert not (workdir / ".venv").exists()


def test_locked_restores_both_files(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    missing = puv("version", "--locked", "0.2.0", "-p", BASE)
    assert assert_clean_error(missing, code=1).endswith(
        "error: Unable to find lockfile at `uv.lock`, but `--locked` was provided. To create "
        "a lockfile, run `puv lock` or `puv sync` without the flag.\n")
    assert 'version = "0.1.0"' in path.read_text()
    assert puv("lock", "-p", BASE).returncode == 0
    before = path.read_bytes(), (workdir / "uv.lock").read_bytes()
    result = puv("version", "--locked", "--no-sync", "0.2.0", "-p", BASE)
    assert assert_clean_error(result, code=1).endswith(
        "error: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided.\n\n"
        "hint: To update the lockfile, run `puv lock`.\n")
    assert (path.read_bytes(), (workdir / "uv.lock").read_bytes()) == before


def test_failed_sync_restores_both_files(puv: Runner, workdir: Path, index) -> None:  # type: ignore[no-untyped-def]
    path = indexed_project(workdir, index.url)
    path.write_text(path.read_text() + '\n[build-system]\nrequires = []\n'
                    'build-backend = "nonexistent_backend"\n')
    assert puv("lock", "-p", BASE).returncode == 0
    before = path.read_bytes(), (workdir / "uv.lock").read_bytes()
    result = puv("version", "0.2.0", "-p", BASE)
    assert result.returncode == 1, result
    assert "error: Failed to build `q @ file://" in result.stderr  # (the backend's traceback)
    assert result.stdout == ""
    assert (path.read_bytes(), (workdir / "uv.lock").read_bytes()) == before
