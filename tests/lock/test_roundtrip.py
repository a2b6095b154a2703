"""`write_lock(read_lock(text)) == text` for lock files uv 0.13.8 wrote (tests/lock/fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from puv.lock import model
from puv.lock.reader import read_lock
from puv.lock.writer import write_lock

FIXTURES = Path(__file__).parent / "fixtures"
LOCKS = sorted(FIXTURES.glob("*/*.lock"))


@pytest.mark.parametrize("path", LOCKS, ids=lambda path: path.parent.name)
def test_writer_reproduces_uv_lock_byte_for_byte(path: Path) -> None:
    text = path.read_text()
    assert write_lock(read_lock(text)) == text


def test_fixtures_exist() -> None:
    assert {path.parent.name for path in LOCKS} >= {
        "plain",
        "markers",
        "sources",
        "workspace",
        "conflicts",
        "nonproject",
        "relative",
        "indexes",
        "fewest",
        "files",
        "script",
        "strings",
        "git",
    }


def load(name: str) -> model.Lock:
    return read_lock((FIXTURES / name / "uv.lock").read_text())


def test_reader_fills_in_version_and_source_of_unambiguous_edges() -> None:
    lock = load("plain")
    (app,) = lock.find("plain-app")
    alpha = app.dependencies[0]
    assert alpha == model.LockDependency(
        name="alpha",
        version="2.0.0",
        source=model.RegistrySource(registry="http://127.0.0.1:9/simple/"),
    )
    assert app.dependencies[1].extra == ("x",)


def test_reader_reads_groups_extras_and_metadata() -> None:
    (app,) = load("plain").find("plain-app")
    assert app.source == model.EditableSource(editable=".")
    assert sorted(app.optional_dependencies) == ["new", "old"]
    assert [dep.name for dep in app.dev_dependencies["lint"]] == ["beta", "epsilon"]
    assert app.metadata.provides_extras == ("old", "new", "socks")
    assert app.metadata.requires_dev["empty"] == ()
    beta = app.metadata.requires_dist[1]
    assert beta.marker == "sys_platform != 'win32' and extra == 'new'"
    assert beta.source == model.RegistrySpecifier(specifier=">=1.0")


def test_reader_reads_every_source_kind() -> None:
    lock = load("sources")
    sources = {package.name: package.source for package in lock.packages}
    assert sources["beta"] == model.UrlSource(
        url="http://127.0.0.1:9/files/beta-1.0.0-py3-none-any.whl"
    )
    assert sources["dirlib"] == model.DirectorySource(directory="libs/dirlib")
    assert sources["editlib"] == model.EditableSource(editable="libs/editlib")
    assert sources["virtlib"] == model.VirtualSource(virtual="libs/virtlib")
    (beta,) = lock.find("beta")
    assert beta.wheels[0].hash is not None and beta.wheels[0].size is None


def test_reader_reads_options_and_manifest() -> None:
    lock = load("workspace")
    assert lock.options == model.LockOptions(
        resolution_mode="lowest-direct",
        prerelease_mode="allow",
        exclude_newer="2026-01-01T00:00:00Z",
    )
    assert lock.manifest.members == ("member-a", "member-b", "root-app")
    assert lock.manifest.constraints == (
        model.LockRequirement(name="gamma", source=model.RegistrySpecifier(specifier="<3")),
    )
    assert lock.manifest.dependency_metadata == (
        model.DependencyMetadata(name="epsilon", version="1.0.0", requires_dist=("gamma",)),
    )
    assert lock.supported_markers == ("sys_platform == 'linux'", "sys_platform == 'darwin'")
    relative = load("relative").options
    assert relative.exclude_newer_span == "P1W"
    assert relative.exclude_newer_package == {"alpha": "2025-01-01T00:00:00Z", "beta": False}


def test_reader_reads_conflicts() -> None:
    lock = load("conflicts")
    assert lock.conflicts == (
        (
            model.ConflictItem(package="p3", extra="new"),
            model.ConflictItem(package="p3", extra="old"),
        ),
        (
            model.ConflictItem(package="p3", group="g1"),
            model.ConflictItem(package="p3", group="g2"),
        ),
    )


def test_writer_sorts_packages_by_name_version_source() -> None:
    lock = load("conflicts")
    shuffled = model.Lock(
        requires_python=lock.requires_python,
        conflicts=lock.conflicts,
        packages=tuple(reversed(lock.packages)),
    )
    names = [
        line
        for line in write_lock(shuffled).splitlines()
        if line.startswith("version = ") or line.startswith("name = ")
    ]
    assert names[:5] == [
        "version = 1",
        'name = "alpha"',
        'version = "1.0.0"',
        'name = "alpha"',
        'version = "2.0.0"',
    ]


def test_reader_reads_git_sources() -> None:
    lock = load("git")
    (gitlib,) = lock.find("gitlib")
    assert gitlib.source == model.GitSource(
        git="file:///tmp/puv-lock-fixture/origin?subdirectory=pkg&rev=v1"
        "#b8346730e25e30fcc01525632644a6a092ef4665"
    )
    (project,) = lock.find("git")
    assert project.metadata.requires_dist[1].source == model.GitSource(
        git="file:///tmp/puv-lock-fixture/origin?subdirectory=pkg2&tag=v1"
    )


REVISION_2 = """\
version = 1
revision = 2
requires-python = ">=3.12.0"

[options]
exclude-newer = "2024-03-25T00:00:00Z"

[[package]]
name = "project"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "watchdog" },
]

[package.metadata]
requires-dist = [{ name = "watchdog" }]

[[package]]
name = "watchdog"
version = "6.0.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/watchdog-6.0.0.tar.gz", hash = "sha256:9ddf7c", size = 131220 }
wheels = [
    { url = "https://files.example/watchdog-6.0.0-py3-none-win32.whl", hash = "sha256:07df1f", size = 79065 },
]
"""


def test_revision_2_file_without_upload_times_round_trips() -> None:
    lock = read_lock(REVISION_2)
    assert lock.revision == 2
    assert lock.packages[1].sdist == model.Sdist(
        url="https://files.example/watchdog-6.0.0.tar.gz", hash="sha256:9ddf7c", size=131220
    )
    assert write_lock(lock) == REVISION_2
