"""The reader's errors name the key path that failed and what is wrong with it."""

from __future__ import annotations

import pytest

from puv.errors import PuvError
from puv.lock.reader import LockError, read_lock

HEAD = 'version = 1\nrevision = 5\nrequires-python = ">=3.12"\n'
PACKAGE = """
[[package]]
name = "six"
version = "1.17.0"
source = { registry = "https://pypi.org/simple" }
"""


def error(text: str) -> LockError:
    with pytest.raises(LockError) as info:
        read_lock(text)
    return info.value


def test_lock_error_is_a_puv_error() -> None:
    assert issubclass(LockError, PuvError)


def test_bad_wheel_hash_names_its_key_path() -> None:
    text = (
        HEAD
        + PACKAGE * 0
        + "".join(
            f'\n[[package]]\nname = "p{i}"\nversion = "1.0"\nsource = {{ registry = "https://x" }}\n'
            for i in range(3)
        )
    )
    text += PACKAGE + 'wheels = [\n    { url = "https://x/six.whl", hash = "md5" },\n]\n'
    problem = error(text)
    assert problem.path == "package[3].wheels[0].hash"
    assert str(problem) == (
        "Failed to parse `uv.lock`: package[3].wheels[0].hash: "
        "expected `<algorithm>:<hex digest>`, found `md5`"
    )


def test_wrong_type_names_expected_and_found() -> None:
    problem = error(HEAD + PACKAGE + 'sdist = { url = "https://x/six.tar.gz", size = "12" }\n')
    assert problem.path == "package[0].sdist.size"
    assert problem.problem == "expected an integer, found a string"


def test_missing_requires_python() -> None:
    problem = error("version = 1\n")
    assert problem.problem == "missing required key `requires-python`"


def test_unknown_key_is_refused_at_the_current_revision() -> None:
    problem = error(HEAD + PACKAGE + "colour = 'blue'\n")
    assert (problem.path, problem.problem) == ("package[0].colour", "unknown key")


def test_unknown_key_is_skipped_in_a_newer_revision() -> None:
    lock = read_lock(HEAD.replace("revision = 5", "revision = 9") + PACKAGE + "colour = 'x'\n")
    assert lock.revision == 9
    assert lock.packages[0].name == "six"


def test_newer_schema_version_is_refused_with_uv_wording() -> None:
    problem = error('version = 2\nrequires-python = ">=3.12"\n')
    assert str(problem) == (
        "The lockfile at `uv.lock` uses an unsupported schema version (v2, but only v1 is "
        "supported)."
    )
    assert problem.hint is not None


def test_source_needs_exactly_one_kind() -> None:
    text = HEAD + PACKAGE.replace(
        'source = { registry = "https://pypi.org/simple" }',
        'source = { registry = "https://pypi.org/simple", path = "x.whl" }',
    )
    problem = error(text)
    assert problem.path == "package[0].source"
    assert "found `path`, `registry`" in problem.problem


def test_registry_package_needs_a_version() -> None:
    problem = error(HEAD + PACKAGE.replace('version = "1.17.0"\n', ""))
    assert problem.path == "package[0]"
    assert problem.problem.startswith("missing required key `version`")


def test_dynamic_local_project_may_omit_its_version() -> None:
    lock = read_lock(HEAD + '\n[[package]]\nname = "app"\nsource = { editable = "." }\n')
    assert lock.packages[0].version is None


def test_edge_to_unknown_package() -> None:
    problem = error(HEAD + PACKAGE + 'dependencies = [\n    { name = "nope" },\n]\n')
    assert (problem.path, problem.problem) == (
        "package[0].dependencies[0]",
        "no `[[package]]` named `nope`",
    )


def test_ambiguous_edge_needs_version_and_source() -> None:
    other = PACKAGE.replace("1.17.0", "1.16.0")
    text = HEAD + PACKAGE + other + '\n[[package]]\nname = "app"\nversion = "1"\n'
    text += (
        'source = { virtual = "." }\n\n[package.optional-dependencies]\nx = [{ name = "six" }]\n'
    )
    problem = error(text)
    assert problem.path == "package[2].optional-dependencies.x[0]"
    assert "several packages are named `six`" in problem.problem


def test_name_must_be_normalized() -> None:
    problem = error(HEAD + PACKAGE.replace('name = "six"', 'name = "Six_Lib"'))
    assert (problem.path, problem.problem) == (
        "package[0].name",
        "`Six_Lib` is not a normalized package name",
    )


def test_requirement_with_two_sources() -> None:
    text = HEAD + PACKAGE.replace('registry = "https://pypi.org/simple"', 'editable = "."')
    text += (
        '\n[package.metadata]\nrequires-dist = [{ name = "a", path = "a", url = "https://a" }]\n'
    )
    problem = error(text)
    assert problem.path == "package[0].metadata.requires-dist[0]"
    assert problem.problem == "a requirement has one source, found `path`, `url`"


def test_conflict_item_path() -> None:
    problem = error(HEAD + 'conflicts = [[{ package = "p", extra = 1 }]]\n')
    assert problem.path == "conflicts[0][0].extra"


def test_unknown_option_value() -> None:
    problem = error(HEAD + '\n[options]\nresolution-mode = "newest"\n')
    assert problem.path == "options.resolution-mode"
    assert problem.problem.startswith("unknown value `newest`")


def test_invalid_toml_is_a_lock_error() -> None:
    assert str(error("version = \n")).startswith("Failed to parse `uv.lock`: ")


def test_older_revisions_read() -> None:
    # Revision 1 (uv 0.4/0.5) had no upload times, sizes only, and the same tables.
    text = HEAD.replace("revision = 5", "revision = 1") + PACKAGE
    text += 'wheels = [\n    { url = "https://x/six.whl", hash = "sha256:ab", size = 3 },\n]\n'
    lock = read_lock(text)
    assert lock.revision == 1
    assert lock.packages[0].wheels[0].size == 3


def test_revision_defaults_to_zero_and_distribution_alias() -> None:
    text = 'version = 1\nrequires-python = ">=3.8"\n' + PACKAGE.replace(
        "[[package]]", "[[distribution]]"
    )
    lock = read_lock(text)
    assert lock.revision == 0
    assert lock.packages[0].name == "six"
