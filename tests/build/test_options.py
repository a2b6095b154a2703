"""Build options from flags, `UV_*` variables and `[tool.uv]` (`puv.build.options`)."""

from __future__ import annotations

import dataclasses

import pytest

from puv.build import BuildOptions, parse_config_settings
from puv.errors import SettingsError, UsageError
from puv.settings import Settings


def settings(**options: object) -> Settings:
    return Settings(cache_dir="/nonexistent", options=options)


def test_config_settings_repeat_a_key_as_a_list() -> None:
    assert parse_config_settings(["a=1", "b=x=y", "a=2", "c="]) == {
        "a": ["1", "2"], "b": "x=y", "c": ""}


def test_config_setting_without_equals_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        parse_config_settings(["novalue"])
    assert str(info.value) == ("invalid value 'novalue' for '--config-setting <CONFIG_SETTING>': "
                               "Expected a key-value pair of the form `KEY=VALUE`")


def test_defaults_are_isolated_builds_that_are_allowed() -> None:
    options = BuildOptions()
    assert options.isolated("a") and options.build_allowed("a")
    assert options.settings_for("a") == {}


def test_options_merge_flags_environment_and_tool_uv() -> None:
    merged = BuildOptions.from_settings(
        settings(**{"no-build-isolation-package": ["Foo_Bar"],
                    "config-settings": {"mode": "file", "keep": "yes"},
                    "config-settings-package": {"foo": {"x": "1"}},
                    "extra-build-dependencies": {"Foo": ["cython", {"requirement": "numpy"}]},
                    "extra-build-variables": {"foo": {"CC": "clang"}},
                    "no-build-package": ["c"]}),
        config_settings=["mode=cli"], config_settings_package=["foo:y=2"],
        no_build_package=["d"], environ={"UV_NO_BUILD_PACKAGE": "e f"})
    assert not merged.isolated("foo-bar") and merged.isolated("other")
    assert merged.settings_for("other") == {"mode": "cli", "keep": "yes"}
    assert merged.settings_for("FOO") == {"mode": "cli", "keep": "yes", "x": "1", "y": "2"}
    assert merged.extra_requires("foo") == ("cython", "numpy")
    assert merged.variables("foo") == {"CC": "clang"}
    assert {n for n in "cdef" if not merged.build_allowed(n)} == set("cdef")
    assert merged.build_allowed("a")


def test_match_runtime_pins_the_build_dependency_to_the_runtime_version() -> None:
    options = BuildOptions.from_settings(settings(**{"extra-build-dependencies": {
        "flash-attn": ["ninja", {"requirement": "Torch>=2; sys_platform == 'linux'",
                                 "match-runtime": True}]}}))
    assert options.extra_requires("flash-attn") == ("ninja", "Torch>=2; sys_platform == 'linux'")
    synced = dataclasses.replace(options, runtime_versions={"torch": "2.6.0", "ninja": "1.0"})
    assert synced.extra_requires("flash_attn") == (
        "ninja", "Torch==2.6.0; sys_platform == \"linux\"")


@pytest.mark.parametrize(("environ", "option", "expected"), [
    ({}, None, True),
    ({"UV_NO_BUILD_ISOLATION": "1"}, None, False),
    ({"UV_NO_BUILD_ISOLATION": "0"}, True, True),  # the variable outranks the file
    ({}, True, False),
])
def test_no_build_isolation_from_environment_and_settings(environ: dict[str, str],
                                                          option: bool | None,
                                                          expected: bool) -> None:
    options = {} if option is None else {"no-build-isolation": option}
    merged = BuildOptions.from_settings(settings(**options), environ=environ)
    assert merged.isolated("a") is expected


def test_no_build_from_environment() -> None:
    merged = BuildOptions.from_settings(settings(), environ={"UV_NO_BUILD": "true"})
    assert not merged.build_allowed("anything") and not merged.build_allowed(None)


@pytest.mark.parametrize("value", [{"foo": 1}, {"foo": "torch"}, ["torch"], {"foo": ["a b!"]}])
def test_bad_extra_build_dependencies_are_settings_errors(value: object) -> None:
    with pytest.raises(SettingsError, match="extra-build-dependencies"):
        BuildOptions.from_settings(settings(**{"extra-build-dependencies": value}))
