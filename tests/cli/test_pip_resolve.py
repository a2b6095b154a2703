"""The `puv pip compile` and `puv pip install` command lines: value checks in clap's words,
flags that come in pairs, options puv does not support yet, and what reaches the settings."""

from __future__ import annotations

import argparse

import pytest

from puv.cli.context import build_parser
from tests.conftest import Runner, assert_clean_error


def _parse(*argv: str, command: str = "compile") -> argparse.Namespace:
    parser, _ = build_parser(["pip", command])
    return parser.parse_args(list(argv))  # type: ignore[no-any-return]


def test_paired_flags_last_one_wins() -> None:
    assert _parse("r.in").no_header is None
    assert _parse("r.in", "--no-header").no_header is True
    assert _parse("r.in", "--no-header", "--header").no_header is False
    assert _parse("r.in", "--generate-hashes", "--no-generate-hashes").generate_hashes is False
    assert _parse("r.in", "--no-build", "--build").no_build is False
    assert _parse("r.in", "-U").upgrade is True


def test_platform_aliases_become_the_triple() -> None:
    assert _parse("r.in", "--python-platform", "manylinux_2_28_x86_64").python_platform == \
        "x86_64-manylinux_2_28"
    assert _parse("r.in", "--python-platform", "linux").python_platform == "linux"


def test_cli_values_reach_the_settings() -> None:
    from puv.cli.pip_resolve import _cli_settings

    args = _parse("r.in", "--resolution", "lowest", "--prerelease", "allow", "-P", "a<2",
                  "--no-binary", ":all:", "--only-binary", "b", "-C", "k=v", "-c", "c.txt",
                  "--no-build-isolation", "--exclude-newer", "2024-01-01")
    values = _cli_settings(args)
    assert values["pip_interface"] is True
    assert (values["resolution"], values["prerelease"]) == ("lowest", "allow")
    assert values["upgrade_package"] == ("a<2",)
    assert (values["no_binary"], values["only_binary"]) == ((":all:",), ("b",))
    assert values["config_settings"] == ("k=v",)
    assert values["constraints"] == ("c.txt",)
    assert values["no_build_isolation"] is True
    assert values["exclude_newer"] == "2024-01-01"
    assert _cli_settings(_parse("r.in", "--pre"))["prerelease"] == "allow"


@pytest.mark.parametrize(("argv", "message"), [
    (["--exclude-newer", "soon"], "error: invalid value 'soon' for '--exclude-newer "
     "<EXCLUDE_NEWER>': `soon` could not be parsed as a valid exclude-newer value (expected a "
     "date like `2024-01-01`, a timestamp like `2024-01-01T00:00:00Z`, or a duration like `3 "
     "days` or `P3D`)\n"),
    (["--python-version", "3.x"], "error: invalid value '3.x' for '--python-version "
     "<PYTHON_VERSION>': Python version `3.x` could not be parsed: after parsing `3`, found "
     "`.x`, which is not part of a valid version\n"),
    (["-C", "novalue"], "error: invalid value 'novalue' for '--config-setting "
     "<CONFIG_SETTING>': Expected a key-value pair of the form `KEY=VALUE`\n"),
    (["--annotation-style", "wide"], "error: invalid value 'wide' for '--annotation-style "
     "<ANNOTATION_STYLE>'\n  [possible values: line, split]\n"),
])
def test_bad_values_are_clap_errors(puv: Runner, argv: list[str], message: str) -> None:
    result = puv("pip", "compile", "r.in", *argv)
    assert_clean_error(result, code=2)
    assert result.stderr == message + "\nFor more information, try '--help'.\n"


@pytest.mark.parametrize("flag", ["--no-strip-markers"])
def test_unsupported_compile_flags_say_so(puv: Runner, flag: str) -> None:
    result = puv("pip", "compile", "r.in", flag)
    assert assert_clean_error(result, code=2).startswith(f"error: `{flag}` is not supported by "
                                                          "`puv pip compile` yet")


def test_install_help_lists_the_resolver_options(puv: Runner) -> None:
    out = puv("pip", "install", "--help").stdout
    for flag in ("--requirements", "--editable", "--constraints", "--overrides", "--extra",
                 "--upgrade-package", "--reinstall", "--no-deps", "--dry-run", "--index-url",
                 "--extra-index-url", "--find-links", "--resolution", "--prerelease",
                 "--no-build", "--no-binary", "--only-binary", "--exclude-newer",
                 "--compile-bytecode", "--link-mode", "--python", "--system", "--target",
                 "--prefix", "--break-system-packages", "--python-version"):
        assert flag in out, flag


def test_install_hash_flags_are_not_supported_yet(puv: Runner) -> None:
    result = puv("pip", "install", "a", "--require-hashes")
    assert assert_clean_error(result, code=2).startswith(
        "error: `--require-hashes` is not supported by `puv pip install` yet\n")
