"""The writer's layout rules, on hand-built models (the fixtures cover uv's own output)."""

from __future__ import annotations

import sys

from puv.lock import model
from puv.lock.reader import read_lock
from puv.lock.writer import write_lock

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REGISTRY = model.RegistrySource(registry="https://pypi.org/simple")


def package(name: str, version: str | None = "1.0", **fields: object) -> model.LockPackage:
    return model.LockPackage(
        name=name,
        version=version,
        source=fields.pop("source", REGISTRY),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


def test_minimal_lock() -> None:
    lock = model.Lock(requires_python=">=3.12")
    assert write_lock(lock) == 'version = 1\nrevision = 5\nrequires-python = ">=3.12"\n'


def test_revision_zero_is_not_written() -> None:
    lock = model.Lock(revision=0, requires_python=">=3.8")
    assert write_lock(lock) == 'version = 1\nrequires-python = ">=3.8"\n'


def test_git_url_subdirectory_zstd_and_dynamic_version() -> None:
    lock = model.Lock(
        requires_python=">=3.12",
        packages=(
            package(
                "app",
                None,
                source=model.EditableSource(editable="."),
                dependencies=(
                    model.LockDependency(name="lib", version="0.0.1"),
                    model.LockDependency(name="remote", marker="sys_platform == 'linux'"),
                ),
            ),
            package("lib", "0.0.1", source=model.GitSource(git="https://g/r?tag=v1#abc")),
            package(
                "remote",
                "2.0",
                source=model.UrlSource(url="https://h/r.tar.gz", subdirectory="pkg/sub"),
                sdist=model.Sdist(hash="sha256:00"),
                wheels=(
                    model.Wheel(
                        url="https://h/r.whl",
                        hash="sha256:ab",
                        size=3,
                        zstd=model.ZstdArtifact(hash="sha256:cd", size=2),
                    ),
                ),
            ),
        ),
    )
    text = write_lock(lock)
    assert text.endswith(
        """
[[package]]
name = "app"
source = { editable = "." }
dependencies = [
    { name = "lib" },
    { name = "remote", marker = "sys_platform == 'linux'" },
]

[[package]]
name = "lib"
version = "0.0.1"
source = { git = "https://g/r?tag=v1#abc" }

[[package]]
name = "remote"
version = "2.0"
source = { url = "https://h/r.tar.gz", subdirectory = "pkg/sub" }
sdist = { hash = "sha256:00" }
wheels = [
    { url = "https://h/r.whl", hash = "sha256:ab", size = 3, zstd = { hash = "sha256:cd", size = 2 } },
]
"""
    )
    assert write_lock(read_lock(text)) == text


def test_sources_sort_by_kind_then_location() -> None:
    lock = model.Lock(
        requires_python=">=3.12",
        packages=(
            package("a", source=model.VirtualSource(virtual="a")),
            package("a", source=model.PathSource(path="a.whl")),
            package("a", source=model.RegistrySource(registry="https://x/simple/")),
            package("a", source=model.GitSource(git="https://g")),
            package("a", source=model.RegistrySource(registry="https://x/simple")),
            package("a", "0.9", source=model.VirtualSource(virtual="b")),
        ),
    )
    sources = [line for line in write_lock(lock).splitlines() if line.startswith("source")]
    assert sources == [
        'source = { virtual = "b" }',
        'source = { registry = "https://x/simple" }',
        'source = { registry = "https://x/simple/" }',
        'source = { git = "https://g" }',
        'source = { path = "a.whl" }',
        'source = { virtual = "a" }',
    ]


def test_versions_sort_by_pep_440() -> None:
    lock = model.Lock(
        requires_python=">=3.12",
        packages=(package("a", "10.0"), package("a", "9.0"), package("a", "10.0rc1")),
    )
    versions = [line for line in write_lock(lock).splitlines() if line.startswith('version = "')]
    assert versions == ['version = "9.0"', 'version = "10.0rc1"', 'version = "10.0"']


def test_prerelease_package_options_are_sorted() -> None:
    lock = model.Lock(
        requires_python=">=3.12",
        options=model.LockOptions(prerelease_package={"zz": "allow", "aa": "explicit"}),
    )
    assert write_lock(lock).endswith(
        '\n[options]\n\n[options.prerelease-package]\naa = "explicit"\nzz = "allow"\n'
    )


def test_requirement_lists_are_inline_up_to_one_element() -> None:
    one = (model.LockRequirement(name="a"),)
    two = (*one, model.LockRequirement(name="b", groups=("g",)))
    lock = model.Lock(
        requires_python=">=3.12",
        manifest=model.LockManifest(requirements=one, constraints=two),
    )
    assert write_lock(lock).endswith(
        '\n[manifest]\nrequirements = [{ name = "a" }]\nconstraints = [\n'
        '    { name = "a" },\n    { name = "b", groups = ["g"] },\n]\n'
    )


def test_strings_take_the_style_uv_picks() -> None:
    # The styles uv 0.13.8 wrote for these directory names (fixture `strings`).
    cases = {
        "plain": '"plain"',
        "tab\there": '"tab\\there"',
        'say "hi"': "'say \"hi\"'",
        "back\\slash": "'back\\slash'",
        "t\"a'b": '"""t"a\'b"""',
        "new\nline": '"""\nnew\nline"""',
        "it's a \\": "'''it's a \\'''",
        "lit'''3\\": "\"lit'''3\\\\\"",
        "del\x7f": '"del\\u007F"',
        "esc\x1b\n": '"""\nesc\\u001B\n"""',
        'four""""': '\'four""""\'',
        'four""""\'': "'''four\"\"\"\"''''",
        'four""""\'\'\'': '"four\\"\\"\\"\\"\'\'\'"',
    }
    for value, expected in cases.items():
        lock = model.Lock(requires_python=value)
        text = write_lock(lock)
        assert text.splitlines()[2:] == f"requires-python = {expected}".splitlines(), value
        assert tomllib.loads(text)["requires-python"] == value
