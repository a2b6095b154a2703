"""Parsing `--python` requests in every form uv accepts."""

from __future__ import annotations

import pytest

from puv.errors import PuvError
from puv.python.request import PythonVersion, parse_request


@pytest.mark.parametrize(
    ("text", "kind", "implementation", "version", "described"),
    [
        ("", "any", None, None, "Python"),
        ("any", "any", None, None, "Python"),
        ("3", "version", None, "3", "Python 3"),
        ("3.12", "version", None, "3.12", "Python 3.12"),
        ("3.12.3", "version", None, "3.12.3", "Python 3.12.3"),
        ("312", "version", None, "3.12", "Python 3.12"),
        ("3.13t", "version", None, "3.13t", "Python 3.13t"),
        ("3.14.0rc1", "version", None, "3.14.0rc1", "Python 3.14.0rc1"),
        (">=3.11,<3.13", "version", None, ">=3.11, <3.13", "Python >=3.11, <3.13"),
        ("==3.12.*", "version", None, "==3.12.*", "Python ==3.12.*"),
        ("python3.12", "version", None, "3.12", "Python 3.12"),
        ("cpython", "implementation", "cpython", None, "CPython"),
        ("cpython@3.12", "implementation", "cpython", "3.12", "CPython 3.12"),
        ("cpython3.12", "implementation", "cpython", "3.12", "CPython 3.12"),
        ("cp312", "implementation", "cpython", "3.12", "CPython 3.12"),
        ("cp3.12", "implementation", "cpython", "3.12", "CPython 3.12"),
        ("pypy@3.10", "implementation", "pypy", "3.10", "PyPy 3.10"),
        ("cpython-3.12.3-linux-x86_64-gnu", "implementation", "cpython", "3.12.3",
         "CPython 3.12.3"),
        ("/usr/bin/python3", "path", None, None, "path `/usr/bin/python3`"),
        ("./venv/bin/python", "path", None, None, "path `./venv/bin/python`"),
        ("my-python", "executable", None, None, "executable name `my-python`"),
    ],
)
def test_request_forms(text: str, kind: str, implementation: str | None, version: str | None,
                       described: str) -> None:
    request = parse_request(text)
    assert request.kind == kind
    assert request.implementation == implementation
    assert (str(request.version) if request.version else None) == version
    assert request.describe() == described


@pytest.mark.parametrize(
    ("text", "version", "matches"),
    [
        ("3.12", "3.12.1", True),
        ("3.12", "3.11.7", False),
        ("3.12.1", "3.12.1", True),
        ("3.12.1", "3.12.2", False),
        ("3", "3.6.15", True),
        (">=3.11,<3.13", "3.12.1", True),
        (">=3.11,<3.13", "3.13.0", False),
        ("3.14.0rc1", "3.14.0rc1", True),
        ("3.14.0rc1", "3.14.0", False),
    ],
)
def test_version_matching(text: str, version: str, matches: bool) -> None:
    request = parse_request(text)
    assert request.matches("cpython", PythonVersion.parse(version), freethreaded=False) is matches


def test_implementation_must_match() -> None:
    assert not parse_request("pypy@3.10").matches("cpython", PythonVersion.parse("3.10.1"),
                                                  freethreaded=False)


def test_freethreaded_request_needs_a_freethreaded_build() -> None:
    request = parse_request("3.13t")
    version = PythonVersion.parse("3.13.0")
    assert not request.matches("cpython", version, freethreaded=False)
    assert request.matches("cpython", version, freethreaded=True)


def test_executable_names_most_specific_first() -> None:
    assert parse_request("3.12").executable_names() == ["python3.12", "python3", "python"]
    assert parse_request("").executable_names() == ["python3", "python"]
    assert parse_request("pypy@3.10").executable_names()[0] == "pypy3.10"


def test_invalid_range_is_a_clear_error() -> None:
    with pytest.raises(PuvError, match=r"Invalid Python request `>=3\.\.1`"):
        parse_request(">=3..1")


def test_python_versions_sort_prereleases_first() -> None:
    versions = [PythonVersion.parse(v) for v in ("3.12.0", "3.12.0rc1", "3.11.9", "3.12.1")]
    assert [str(v) for v in sorted(versions)] == ["3.11.9", "3.12.0rc1", "3.12.0", "3.12.1"]
